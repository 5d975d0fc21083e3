"""What the pages show and link to: detail pages cross-linked both ways, the home page, search,
the Chinese prefix, and the page furniture every page needs (landmarks, skip link, labels)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.community import factories as f
from tests.community.pages import DETAIL_PAGES, LIST_PAGES

ALL_LIST_URLS = [*sorted(LIST_PAGES), "community:home", "community:search"]


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_paper_page_links_authors_in_order_venue_edition_projects_topics_and_identifiers(client):
    paper = f.fully_linked_paper(width=3)
    html = _html(client, paper.get_absolute_url())
    authors = [a.person for a in paper.authorships.order_by("position")]
    positions = [html.index(person.get_absolute_url()) for person in authors]
    assert positions == sorted(positions)
    for person in authors:
        assert person.affiliation.get_absolute_url() in html
    assert paper.venue.get_absolute_url() in html
    assert f"{paper.venue.get_absolute_url()}#edition-{paper.edition.year}" in html
    for item in (*paper.projects.all(), *paper.topics.all(), *paper.guides.all()):
        assert item.get_absolute_url() in html
    assert paper.arxiv_url in html and paper.doi_url in html


@pytest.mark.django_db
def test_authors_keep_their_position_even_when_created_out_of_order(client):
    paper = f.PaperFactory()
    last, first = f.PersonFactory(name="Zed Last"), f.PersonFactory(name="Amy First")
    f.AuthorshipFactory(paper=paper, person=last, position=1)
    f.AuthorshipFactory(paper=paper, person=first, position=0)
    for url in (paper.get_absolute_url(), reverse("community:paper-list")):
        html = _html(client, url)
        assert html.index("Amy First") < html.index("Zed Last")


@pytest.mark.django_db
def test_the_other_side_links_back_to_the_paper(client):
    paper = f.fully_linked_paper()
    person = paper.authorships.first().person
    for page in (person, paper.venue, paper.projects.first(), paper.topics.first(), paper.guides.first()):
        assert paper.get_absolute_url() in _html(client, page.get_absolute_url()), page
    assert person.get_absolute_url() in _html(client, person.affiliation.get_absolute_url())


@pytest.mark.django_db
def test_organization_page_links_people_projects_jobs_funding(client):
    org = f.linked_organization()
    html = _html(client, org.get_absolute_url())
    for item in (
        *org.people.all(),
        *org.projects.all(),
        *org.jobs.all(),
        *org.funding.all(),
        *org.guides.all(),
    ):
        assert item.get_absolute_url() in html
    job = org.jobs.first()
    assert org.get_absolute_url() in _html(client, job.get_absolute_url())
    assert org.get_absolute_url() in _html(client, org.funding.first().get_absolute_url())


@pytest.mark.django_db
def test_venue_page_lists_editions_with_deadlines_and_papers(client):
    venue = f.linked_venue()
    html = _html(client, venue.get_absolute_url())
    for edition in venue.editions.all():
        assert f'id="edition-{edition.year}"' in html
    for deadline in venue.deadlines.all():
        assert deadline.label in html
    for paper in venue.papers.all():
        assert paper.get_absolute_url() in html
    assert f"{reverse('community:paper-list')}?venue={venue.slug}" in html


@pytest.mark.django_db
def test_topic_page_links_every_kind_and_child_topics(client):
    topic = f.linked_topic()
    html = _html(client, topic.get_absolute_url())
    related = [
        *topic.children.all(),
        topic.parent,
        *topic.papers.all(),
        *topic.projects.all(),
        *topic.venues.all(),
        *topic.jobs.all(),
        *topic.funding.all(),
        *topic.channels.all(),
        *topic.guides.all(),
    ]
    assert len(related) == 2 * 8 + 1
    for item in related:
        assert item.get_absolute_url() in html, item


@pytest.mark.django_db
def test_guide_page_renders_markdown_and_links_its_items(client):
    guide = f.linked_guide()
    guide.body = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nInline $a*b*c$ stays text."
    guide.save()
    html = _html(client, guide.get_absolute_url())
    assert "<h2>Title</h2>" in html and "<table>" in html
    assert '<span class="math math-inline">$a*b*c$</span>' in html
    for item in (*guide.papers.all(), *guide.projects.all(), *guide.venues.all(), *guide.organizations.all()):
        assert item.get_absolute_url() in html


@pytest.mark.django_db
def test_home_shows_newest_items_deadlines_and_topics(client):
    paper = f.fully_linked_paper()
    project = f.ProjectFactory()
    job = f.JobPostingFactory()
    deadline = f.DeadlineFactory(label="home-deadline")
    guide = f.GuideFactory()
    html = _html(client, reverse("community:home"))
    for item in (paper, project, job, guide, *paper.topics.all()):
        assert item.get_absolute_url() in html
    assert deadline.label in html
    assert "data-due=" in html


@pytest.mark.django_db
def test_search_finds_across_kinds_and_caps_each(client):
    for number in range(12):
        f.PaperFactory(title=f"Convolution study {number}")
    f.ProjectFactory(description="fast convolution kernels")
    f.TopicFactory(name="Convolutional networks")
    response = client.get(reverse("community:search"), {"q": "convolution"})
    sections = {section.key: section for section in response.context["sections"]}
    assert set(sections) == {"papers", "projects", "topics"}
    assert len(sections["papers"].items) == 10 and sections["papers"].has_more
    assert not sections["projects"].has_more
    assert f"{reverse('community:paper-list')}?q=convolution" in response.content.decode()


@pytest.mark.django_db
def test_search_with_nothing_found_says_so(client):
    response = client.get(reverse("community:search"), {"q": "nothing-matches-this"})
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert "Nothing published matches" in response.content.decode()


@pytest.fixture
def back_to_english():
    """A request under /zh-hans/ leaves Chinese active in this thread (LocaleMiddleware activates a
    language and nothing deactivates it after the response); later reverse() calls would get the prefix."""
    yield
    translation.activate("en")


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
@pytest.mark.parametrize("path", ["/zh-hans/papers/", "/zh-hans/", "/zh-hans/deadlines/", "/zh-hans/search/"])
def test_chinese_prefix_serves_the_pages(client, path):
    f.fully_linked_paper()
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("back_to_english")
def test_chinese_links_stay_under_the_prefix_and_the_switcher_offers_english(client):
    paper = f.fully_linked_paper()
    html = _html(client, "/zh-hans/papers/")
    assert f'href="/zh-hans/papers/{paper.slug}/"' in html
    # The switcher is a set_language form (it stores the choice); its `next` is this page in English.
    assert '<input type="hidden" name="next" value="/papers/">' in html
    assert '<button type="submit" class="link-button" name="language" value="en" lang="en">' in html
    assert '<link rel="alternate" hreflang="en" href="/papers/">' in html
    with translation.override("zh-hans"):
        url = paper.get_absolute_url()
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ALL_LIST_URLS)
def test_every_page_has_landmarks_skip_link_labels_and_no_inline_code(client, url_name):
    f.fully_linked_paper()
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    # every form control has a label pointing at it
    for control_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, control_id
    # the strict CSP allows neither inline scripts nor style attributes
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html
    assert "Content-Security-Policy" in response.headers
    # every list page is in the navigation
    for list_name in LIST_PAGES:
        assert f'href="{reverse(list_name)}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_PAGES))
def test_detail_pages_have_one_h1_and_no_inline_code(client, url_name):
    item = DETAIL_PAGES[url_name](2)
    html = _html(client, item.get_absolute_url())
    assert html.count("<h1") == 1
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html


@pytest.mark.django_db
def test_the_error_pages_render_without_a_request_context():
    from django.template.loader import render_to_string

    for name in ("400.html", "404.html", "500.html"):
        assert "DeepCommons" in render_to_string(name)
