"""Reading the catalogue through /api/v1/: published items only, slugs, the portal's filters, search,
ordering, pagination and BibTeX."""

import datetime as dt

import bibtexparser
import pytest
from django.utils import timezone

from community.models import Deadline, ModerationStatus, Venue
from tests.community import factories as f

pytestmark = pytest.mark.django_db

PENDING = ModerationStatus.PENDING

# endpoint, factory of a published item, the field that names it
KINDS = [
    ("papers", f.PaperFactory, "title"),
    ("people", f.PersonFactory, "name"),
    ("organizations", f.OrganizationFactory, "name"),
    ("projects", f.ProjectFactory, "name"),
    ("venues", f.VenueFactory, "name"),
    ("jobs", f.JobPostingFactory, "title"),
    ("funding", f.FundingOpportunityFactory, "title"),
    ("channels", f.ChannelFactory, "name"),
    ("guides", f.GuideFactory, "title"),
    ("topics", f.TopicFactory, "name"),
]


@pytest.mark.parametrize(("endpoint", "factory", "label"), KINDS)
def test_list_and_detail_show_published_items_only(api, endpoint, factory, label):
    shown = factory()
    hidden = factory(status=PENDING)
    rejected = factory(status=ModerationStatus.REJECTED)

    response = api.get(f"/api/v1/{endpoint}/")

    assert response.status_code == 200
    body = response.json()
    slugs = [item["slug"] for item in body["results"]]
    assert shown.slug in slugs
    assert hidden.slug not in slugs and rejected.slug not in slugs
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}

    detail = api.get(f"/api/v1/{endpoint}/{shown.slug}/")
    assert detail.status_code == 200
    assert detail.json()[label] == getattr(shown, label)
    assert detail.json()["api_url"].endswith(f"/api/v1/{endpoint}/{shown.slug}/")
    assert detail.json()["web_url"].endswith(shown.get_absolute_url())

    for slug in (hidden.slug, rejected.slug, "no-such-slug"):
        missing = api.get(f"/api/v1/{endpoint}/{slug}/")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"


def test_paper_detail_has_authors_in_order_venue_topics_and_links(api):
    paper = f.fully_linked_paper(width=3)
    body = api.get(f"/api/v1/papers/{paper.slug}/").json()

    assert [a["position"] for a in body["authors"]] == [0, 1, 2]
    assert body["authors"][0]["slug"] == paper.authorships.order_by("position").first().person.slug
    assert body["venue"]["slug"] == paper.venue.slug
    assert body["edition"]["year"] == paper.edition.year
    assert len(body["topics"]) == 3 and len(body["projects"]) == 3 and len(body["guides"]) == 3
    assert body["arxiv_url"] == f"https://arxiv.org/abs/{paper.arxiv_id}"
    assert body["url"] == "https://papers.example.org/p"  # the paper's own link keeps its name


def test_unpublished_related_items_are_left_out(api):
    venue = f.VenueFactory(status=PENDING)
    paper = f.PaperFactory(venue=venue)
    hidden_author = f.PersonFactory(status=PENDING)
    f.AuthorshipFactory(paper=paper, person=hidden_author, position=0)
    paper.topics.add(f.TopicFactory(status=PENDING))

    body = api.get(f"/api/v1/papers/{paper.slug}/").json()

    assert body["venue"] is None
    assert body["authors"] == []
    assert body["topics"] == []


def test_venue_nests_editions_with_deadlines_and_special_issue_deadlines(api):
    venue = f.linked_venue(width=2)
    f.EditionFactory(venue=venue, year=1999, status=PENDING)

    body = api.get(f"/api/v1/venues/{venue.slug}/").json()

    assert [e["year"] for e in body["editions"]] == [2001, 2000]  # published only, newest first
    assert all(len(e["deadlines"]) == 1 for e in body["editions"])
    assert len(body["deadlines"]) == 2  # the deadlines of no edition
    assert all(d["kind"] == Deadline.Kind.OTHER for d in body["deadlines"])
    assert len(body["recent_papers"]) == 2


def test_deadlines_list_upcoming_and_keep_the_announced_zone(api):
    upcoming = f.linked_deadline(due_at=timezone.now() + dt.timedelta(days=3), timezone_label="AoE")
    past = f.linked_deadline(due_at=timezone.now() - dt.timedelta(days=3))

    body = api.get("/api/v1/deadlines/").json()
    ids = [d["id"] for d in body["results"]]
    assert ids == [upcoming.pk]

    detail = api.get(f"/api/v1/deadlines/{upcoming.pk}/").json()
    assert detail["announced_at"].endswith("-12:00")  # AoE
    assert detail["due_at"].endswith("Z")
    assert api.get(f"/api/v1/deadlines/{past.pk}/").status_code == 200  # past ones stay readable


def test_paper_filters_are_the_portals(api):
    topic = f.TopicFactory(slug="transformers")
    venue = f.VenueFactory(slug="neurips")
    match = f.PaperFactory(year=2017, venue=venue)
    match.topics.add(topic)
    f.PaperFactory(year=2017)
    f.PaperFactory(year=2018, venue=venue)

    body = api.get("/api/v1/papers/", {"topic": "transformers", "year": 2017, "venue": "neurips"}).json()

    assert [p["slug"] for p in body["results"]] == [match.slug]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "no-such-topic"}, "topic"),
        ({"year": "2017.5"}, "year"),
        ({"ordering": "abstract"}, "ordering"),
        ({"search": "x" * 201}, "search"),
        ({"search": "nul\x00"}, "search"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/papers/", params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_search_matches_fragments_in_the_searched_fields(api):
    hit = f.PaperFactory(title="Attention is all you need")
    abstract_hit = f.PaperFactory(title="Other", abstract="We use self-attention layers.")
    f.PaperFactory(title="Convolutional networks")

    slugs = {p["slug"] for p in api.get("/api/v1/papers/", {"search": "atten"}).json()["results"]}

    assert slugs == {hit.slug, abstract_hit.slug}


def test_ordering_and_pagination(api):
    for year in (2015, 2019, 2017):
        f.PaperFactory(year=year)

    first = api.get("/api/v1/papers/", {"ordering": "year", "page_size": 2}).json()
    assert first["count"] == 3
    assert [p["year"] for p in first["results"]] == [2015, 2017]
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert [p["year"] for p in second["results"]] == [2019]
    assert second["next"] is None

    past_end = api.get("/api/v1/papers/", {"page": 9})
    assert past_end.status_code == 404
    assert past_end.json()["error"]["code"] == "not_found"


def test_page_size_is_capped(api):
    f.TopicFactory.create_batch(3)
    body = api.get("/api/v1/topics/", {"page_size": 100000}).json()
    assert len(body["results"]) == 3  # capped at 100, not an error


def test_project_language_facet_and_job_open_filter(api):
    f.ProjectFactory(language="Rust")
    python = f.ProjectFactory(language="Python")
    assert [p["slug"] for p in api.get("/api/v1/projects/", {"language": "Python"}).json()["results"]] == [
        python.slug
    ]

    today = timezone.now().date()
    open_job = f.JobPostingFactory(closes_on=today + dt.timedelta(days=1))
    f.JobPostingFactory(closes_on=today - dt.timedelta(days=1))
    slugs = [j["slug"] for j in api.get("/api/v1/jobs/", {"open": "true"}).json()["results"]]
    assert slugs == [open_job.slug]


def test_bibtex_for_a_paper_and_a_page_of_papers(api):
    journal = f.VenueFactory(kind=Venue.Kind.JOURNAL, name="JMLR", full_name="Journal of ML Research")
    paper = f.fully_linked_paper(venue=journal, title="50% fewer FLOPs & more", pages="1--10")

    response = api.get(f"/api/v1/papers/{paper.slug}/", {"format": "bibtex"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "article" and entry.key == paper.slug
    assert entry["journal"] == "Journal of ML Research"
    assert r"\%" in entry["title"] and r"\&" in entry["title"]  # LaTeX-escaped, so the entry compiles
    assert entry["author"].count(" and ") == 1
    assert entry["doi"] == paper.doi and entry["eprint"] == paper.arxiv_id

    f.PaperFactory()
    f.PaperFactory(status=ModerationStatus.PENDING)
    listing = api.get("/api/v1/papers/", {"format": "bibtex", "page_size": 1})
    assert len(bibtexparser.parse_string(listing.content.decode()).entries) == 1  # one page
    everything = api.get("/api/v1/papers/", {"format": "bibtex"})
    assert len(bibtexparser.parse_string(everything.content.decode()).entries) == 2  # published only


def test_bibtex_errors_are_json(api):
    response = api.get("/api/v1/papers/nope/", {"format": "bibtex"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_topic_detail_lists_published_children(api):
    parent = f.TopicFactory()
    child = f.TopicFactory(parent=parent)
    f.TopicFactory(parent=parent, status=PENDING)

    body = api.get(f"/api/v1/topics/{parent.slug}/").json()

    assert [c["slug"] for c in body["children"]] == [child.slug]
    assert api.get(f"/api/v1/topics/{child.slug}/").json()["parent"]["slug"] == parent.slug


def test_a_deadline_with_an_unknown_zone_label_still_reads(api):
    deadline = f.linked_deadline()
    Deadline.objects.filter(pk=deadline.pk).update(timezone_label="Mars/Olympus_Mons")  # an old bad import

    body = api.get(f"/api/v1/deadlines/{deadline.pk}/").json()

    assert body["timezone_label"] == "Mars/Olympus_Mons"
    assert body["announced_at"] == body["due_at"]


def test_a_guide_says_when_it_was_last_reviewed(api):
    reviewed = f.GuideFactory(reviewed_on=dt.date(2026, 11, 28))
    never = f.GuideFactory(reviewed_on=None)

    listed = {item["slug"]: item for item in api.get("/api/v1/guides/").json()["results"]}
    assert listed[reviewed.slug]["reviewed_on"] == "2026-11-28"
    assert listed[never.slug]["reviewed_on"] is None
    assert api.get(f"/api/v1/guides/{reviewed.slug}/").json()["reviewed_on"] == "2026-11-28"


def test_bibtex_with_no_matching_paper_is_still_bibtex(api):
    """An empty page of BibTeX used to be an empty body, from which DRF drops the Content-Type (the
    fuzzer read it as broken JSON): it is a BibTeX comment, typed as BibTeX."""
    f.fully_linked_paper(year=2017)

    response = api.get("/api/v1/papers/", {"format": "bibtex", "year": 1999})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert library.entries == [] and not library.failed_blocks
