"""The catalogue's own text in both languages (issue 16, item 1) and the seed's corrections (item 5).

The crawl reads the Chinese site as a reader does: every list page (all its pages) and the detail
page of every seed item of the kinds whose descriptions are ours to write, and fails on any text
shown in English (the page marks such a text with the fallback label) or missing its Chinese text.
"""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from community.models import (
    Channel,
    FundingOpportunity,
    JobPosting,
    Organization,
    Paper,
    Person,
    Project,
    TimelineEvent,
    Venue,
)
from community.seed import SEED_DIR, read_seed
from community.translation import translated_fields
from tests.community import factories as f

pytestmark = pytest.mark.django_db

# Model -> the list page's url name. Papers' abstracts are the authors' text and stay as written.
CRAWLED = {
    Organization: "community:organization-list",
    Venue: "community:venue-list",
    Project: "community:project-list",
    Channel: "community:channel-list",
    FundingOpportunity: "community:funding-list",
    JobPosting: "community:job-list",
    Person: "community:person-list",
}
FALLBACK = 'class="lang-fallback"'


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _list_pages(client, url_name: str) -> str:
    """Every page of a Chinese list page, concatenated."""
    with translation.override("zh-hans"):
        url = reverse(url_name)
    assert url.startswith("/zh-hans/")
    pages, number = [], 1
    while True:
        response = client.get(url, {"page": number})
        if response.status_code == 404:
            break
        assert response.status_code == 200, url
        pages.append(html.unescape(response.content.decode()))
        if f"page={number + 1}" not in pages[-1]:
            break
        number += 1
    return "\n".join(pages)


def _start(text: str) -> str:
    """The first words of a text, as a list page shows them before truncating."""
    return " ".join(text.split())[:30]


def test_the_seed_states_chinese_text_for_every_description_it_states():
    data = read_seed(SEED_DIR)
    for family in ("organizations", "venues", "projects", "channels", "funding", "jobs", "people"):
        for item in data[family]:
            for name in ("description", "eligibility", "bio"):
                if name in item:
                    assert item.get(f"{name}_zh_hans"), f"{family}.yaml ({item['slug']}): no {name}_zh_hans"


def test_a_text_not_yet_translated_is_shown_in_english_and_marked(client):
    organization = f.OrganizationFactory(description="Only written in English so far.")

    with translation.override("zh-hans"):
        chinese = client.get(organization.get_absolute_url())
    english = client.get(organization.get_absolute_url())

    page = chinese.content.decode()
    assert FALLBACK in page
    assert re.search(r'<div class="prose" lang="en">.*Only written in English so far\.', page, re.DOTALL)
    assert FALLBACK not in english.content.decode()
    assert "Only written in English so far." in english.content.decode()


def test_a_translated_text_is_shown_in_each_language(client):
    organization = f.OrganizationFactory(description="A lab in Beijing.")
    organization.description_zh_hans = "北京的一个实验室。"
    organization.save()

    with translation.override("zh-hans"):
        chinese = client.get(organization.get_absolute_url())
    english = client.get(organization.get_absolute_url())

    assert "北京的一个实验室。" in chinese.content.decode()
    assert "A lab in Beijing." not in chinese.content.decode()
    assert "A lab in Beijing." in english.content.decode()
    assert "北京的一个实验室。" not in english.content.decode()


# --- corrections (issue 16, item 5; those on the seed are in the class below) ------------------


def test_a_rolling_call_is_open_and_says_so(client):
    call = f.FundingOpportunityFactory(deadline=None, rolling=True)
    assert FundingOpportunity.objects.open().filter(pk=call.pk).exists()
    assert "Rolling, no deadline" in _page(client, call.get_absolute_url())
    dated = f.FundingOpportunityFactory(deadline=timezone.now() + timezone.timedelta(days=30))
    assert FundingOpportunity.objects.open().filter(pk=dated.pk).exists()


def test_the_admin_edits_each_language_of_a_description(admin_client):
    organization = f.OrganizationFactory(description="A lab.")
    url = reverse("admin:community_organization_change", args=[organization.pk])

    page = admin_client.get(url).content.decode()

    assert 'name="description_en"' in page and 'name="description_zh_hans"' in page
    for model in ("fundingopportunity", "venue", "project", "channel", "jobposting", "person"):
        add = admin_client.get(reverse(f"admin:community_{model}_add")).content.decode()
        assert "_zh_hans" in add, model


@pytest.mark.usefixtures("seed_for_the_class")
class TestOnTheLoadedSeed:
    """Pages and rows of the shipped seed: read by each test, loaded once for them all."""

    def test_the_chinese_site_shows_chinese_text_for_every_seed_item(self, client):
        checked = 0
        for model, list_name in CRAWLED.items():
            fields = translated_fields(model)
            assert fields, model
            listing = _list_pages(client, list_name)
            assert FALLBACK not in listing, f"{list_name}: a text is shown in English on the Chinese site"
            for item in model.objects.published():
                texts = {name: getattr(item, f"{name}_zh_hans") for name in fields}
                english = {name: getattr(item, f"{name}_en") for name in fields}
                for name, text in english.items():
                    if text:
                        assert texts[name], f"{model.__name__} {item.slug}: {name} has no Chinese text"
                with translation.override("zh-hans"):
                    url = item.get_absolute_url()
                detail = _page(client, url)
                assert FALLBACK not in detail, url
                for name, text in texts.items():
                    if not text:
                        continue
                    assert " ".join(text.split()) in " ".join(detail.split()), (
                        f"{url}: {name} not shown in Chinese"
                    )
                    assert _start(english[name]) not in detail, f"{url}: {name} shown in English"
                    if name != "eligibility":  # the list pages show the description (a bio) only
                        assert _start(text) in listing, f"{list_name}: {item.slug} not shown in Chinese"
                    checked += 1
        # The seed's own organisations, venues, projects, channels and funding calls: not a vacuous crawl.
        assert checked >= 80

    def test_the_new_kinds_and_the_chinese_community_are_catalogued_with_sources(self, client):
        assert Channel.objects.filter(kind=Channel.Kind.BLOG).count() >= 3
        assert Venue.objects.filter(kind=Venue.Kind.WORKSHOP).exists()
        for model, link in (
            (Organization, "https://www.nsfc.gov.cn"),
            (Project, "https://github.com/paddlepaddle/paddle"),
            (Channel, "https://www.zhihu.com"),
            (Venue, "https://www.jos.org.cn"),
        ):
            item = model.objects.filter(
                **{
                    {Organization: "website", Project: "repository_url", Channel: "url", Venue: "website"}[
                        model
                    ]
                    + "__iexact": link
                }
            ).get()
            page = _page(client, item.get_absolute_url())
            assert link.lower() in page.lower(), item

    # --- corrections (issue 16, item 5)

    def test_the_journal_machine_learning_was_published_by_kluwer_before_springer(self, client):
        venue = Venue.objects.get(name="Machine Learning")
        english = " ".join(_page(client, venue.get_absolute_url()).split())
        with translation.override("zh-hans"):
            chinese = " ".join(_page(client, venue.get_absolute_url()).split())
        assert "by Kluwer Academic Publishers until Kluwer merged with Springer in 2004" in english
        assert "Springer since 1986" not in english
        assert "Kluwer" in chinese and "2004" in chinese

    def test_a_yearly_call_without_a_date_is_not_rolling_and_not_open(self, client):
        grfp = FundingOpportunity.objects.get(slug="nsf-graduate-research-fellowship")
        assert grfp.deadline is None and not grfp.rolling

        detail = _page(client, grfp.get_absolute_url())
        listing = _page(client, reverse("community:funding-list"))
        home = _page(client, reverse("community:home"))

        assert "Date not announced" in detail
        assert "Rolling, no deadline" not in detail
        assert "rolling, no deadline" not in listing and "date not announced" in listing
        assert not FundingOpportunity.objects.open().filter(pk=grfp.pk).exists()
        assert grfp.title not in home
        open_only = _page(client, reverse("community:funding-list") + "?open=on")
        assert grfp.title not in open_only

    def test_alexnet_links_its_proceedings_and_its_reprint_doi(self, client):
        paper = Paper.objects.get(title="ImageNet Classification with Deep Convolutional Neural Networks")
        page = _page(client, paper.get_absolute_url())
        assert "https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html" in page
        assert "https://doi.org/10.1145/3065386" in page

    def test_adam_has_one_year_on_the_timeline_its_page_and_the_history_guide(self, client):
        adam = Paper.objects.get(arxiv_id="1412.6980")
        assert TimelineEvent.objects.get(paper=adam).year == adam.year == 2015
        timeline = _page(client, reverse("community:history"))
        assert "published in its journal or conference proceedings" in timeline
        for language, prefix, bullet in (("en", "", "- **2015**"), ("zh-hans", "/zh-hans", "- **2015 年**")):
            body = read_seed(SEED_DIR)["guides"]
            guide = next(g for g in body if g["slug"] == "history")
            text = guide["body"] if language == "en" else guide["body_zh_hans"]
            line = next(line for line in text.splitlines() if f"{prefix}/papers/adam/" in line)
            # The bullet that names Adam is the 2015 one (a bullet may run over several lines).
            bullets = re.split(r"\n(?=- \*\*)", text)
            assert any(b.startswith(bullet) and line in b for b in bullets), language

    def test_the_chinese_guide_has_data_flow_from_input_to_output(self, client):
        page = _page(client, "/zh-hans/guides/what-is-deep-learning/")
        assert "接收下一层的输出" not in page
        assert "接收前一层" in page and "交给后一层" in page

    def test_the_gru_guide_says_where_pytorch_puts_the_reset_gate(self, client):
        for url in ("/guides/recurrent-networks/", "/zh-hans/guides/recurrent-networks/"):
            page = _page(client, url)
            assert "nn.GRU" in page
            assert "b_{hn}" in page, url  # the formula of PyTorch's placement, in both languages

    def test_the_funding_guide_links_the_programmes_it_promises(self, client):
        for url, prefix in (("/guides/funding/", ""), ("/zh-hans/guides/funding/", "/zh-hans")):
            page = _page(client, url)
            links = set(re.findall(rf'href="({prefix}/funding/[a-z0-9-]+/)"', page))
            assert len(links) >= 4, url
            for link in links:
                assert client.get(link).status_code == 200, link
