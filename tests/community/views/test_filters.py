"""Each facet of each list page filters: one item it keeps and one it drops."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Organization
from tests.community import factories as f


def _values(factory, field: str, keep, drop, **params):
    """A facet on one field: the item with ``field=keep`` stays, the one with ``field=drop`` goes."""
    return lambda: (factory(**{field: keep}), factory(**{field: drop}), params)


def _topic(factory, topics=lambda item: item.topics):
    """The topic facet: the item on the topic stays, one on another topic goes."""

    def build():
        topic = f.TopicFactory()
        keep, drop = factory(), factory()
        topics(keep).add(topic)
        topics(drop).add(f.TopicFactory())
        return keep, drop, {"topic": topic.slug}

    return build


def _paper_venue():
    venue = f.VenueFactory()
    return f.PaperFactory(venue=venue), f.PaperFactory(venue=f.VenueFactory()), {"venue": venue.slug}


def _job_organization_kind():
    keep = f.JobPostingFactory(organization=f.OrganizationFactory(kind=Organization.Kind.COMPANY))
    drop = f.JobPostingFactory(organization=f.OrganizationFactory(kind=Organization.Kind.RESEARCH_LAB))
    return keep, drop, {"organization_kind": "company"}


def _job_open():
    today = timezone.now().date()
    keep = f.JobPostingFactory(closes_on=today)
    drop = f.JobPostingFactory(closes_on=today - dt.timedelta(days=1))
    return keep, drop, {"open": "on"}


def _funding_funder():
    keep = f.FundingOpportunityFactory()
    return keep, f.FundingOpportunityFactory(), {"funder": keep.funder.slug}


def _funding_open():
    keep = f.FundingOpportunityFactory(deadline=timezone.now() + dt.timedelta(hours=1))
    drop = f.FundingOpportunityFactory(deadline=timezone.now() - dt.timedelta(hours=1))
    return keep, drop, {"open": "on"}


def _funding_rolling_is_open():
    keep = f.FundingOpportunityFactory(deadline=None, rolling=True)
    drop = f.FundingOpportunityFactory(deadline=timezone.now() - dt.timedelta(days=1))
    return keep, drop, {"open": "on"}


def _deadline_venue():
    keep = f.DeadlineFactory()
    return keep, f.DeadlineFactory(), {"venue": keep.venue.slug}


def _topic_parent():
    parent = f.TopicFactory()
    return f.TopicFactory(parent=parent), f.TopicFactory(), {"parent": parent.slug}


# case id -> (the list page's kind, build): build() makes the item the facet keeps, the one it drops,
# and the query that should tell them apart.
CASES = {
    "paper_topic": ("paper", _topic(f.PaperFactory)),
    "paper_year": ("paper", _values(f.PaperFactory, "year", 2012, 2017, year="2012")),
    "paper_venue": ("paper", _paper_venue),
    "paper_q": (
        "paper",
        _values(f.PaperFactory, "title", "Attention is all you need", "Deep residual", q="ATTENTION"),
    ),
    "paper_q_abstract": (
        "paper",
        _values(f.PaperFactory, "abstract", "We use dropout everywhere.", "Nothing here.", q="dropout"),
    ),
    "project_topic": ("project", _topic(f.ProjectFactory)),
    "project_kind": ("project", _values(f.ProjectFactory, "kind", "dataset", "framework", kind="dataset")),
    "project_language": ("project", _values(f.ProjectFactory, "language", "Rust", "Python", language="Rust")),
    "venue_kind": ("venue", _values(f.VenueFactory, "kind", "journal", "conference", kind="journal")),
    "venue_topic": ("venue", _topic(f.VenueFactory)),
    "job_kind": ("job", _values(f.JobPostingFactory, "kind", "phd", "full_time", kind="phd")),
    "job_remote": ("job", _values(f.JobPostingFactory, "remote", True, False, remote="true")),
    "job_not_remote": ("job", _values(f.JobPostingFactory, "remote", False, True, remote="false")),
    "job_organization_kind": ("job", _job_organization_kind),
    "job_topic": ("job", _topic(f.JobPostingFactory)),
    "job_open": ("job", _job_open),
    "funding_kind": (
        "funding",
        _values(f.FundingOpportunityFactory, "kind", "compute", "grant", kind="compute"),
    ),
    "funding_funder": ("funding", _funding_funder),
    "funding_open": ("funding", _funding_open),
    "funding_rolling_is_open": ("funding", _funding_rolling_is_open),
    "organization_kind": (
        "organization",
        _values(f.OrganizationFactory, "kind", "nonprofit", "company", kind="nonprofit"),
    ),
    "person_q": ("person", _values(f.PersonFactory, "name", "Yoshua Bengio", "Fei-Fei Li", q="bengio")),
    "channel_kind": (
        "channel",
        _values(f.ChannelFactory, "kind", "mailing_list", "chat", kind="mailing_list"),
    ),
    "guide_topic": ("guide", _topic(f.GuideFactory)),
    "deadline_venue": ("deadline", _deadline_venue),
    "deadline_kind": ("deadline", _values(f.DeadlineFactory, "kind", "abstract", "paper", kind="abstract")),
    "deadline_topic": ("deadline", _topic(f.DeadlineFactory, lambda item: item.venue.topics)),
    "topic_parent": ("topic", _topic_parent),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind, build", CASES.values(), ids=CASES.keys())
def test_facet_keeps_matches_and_drops_the_rest(client, kind, build):
    url_name = f"community:{kind}-list"
    keep, drop, params = build()
    unfiltered = list(client.get(reverse(url_name)).context["items"])
    assert keep in unfiltered and drop in unfiltered
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    items = list(response.context["items"])
    assert keep in items
    assert drop not in items


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("year", ["old", "new"]),
        ("-year", ["new", "old"]),
        ("title", ["new", "old"]),
        ("-title", ["old", "new"]),
    ],
)
def test_papers_sort_by_the_whitelisted_orderings(client, ordering, expected):
    f.PaperFactory(title="b old", year=2001)
    f.PaperFactory(title="a new", year=2020)
    response = client.get(reverse("community:paper-list"), {"ordering": ordering})
    assert [paper.title.split()[1] for paper in response.context["items"]] == expected


@pytest.mark.django_db
def test_pages_hold_page_size_items_and_the_links_keep_the_filters(client, settings):
    topic = f.TopicFactory()
    for _ in range(settings.PAGE_SIZE + 1):
        f.PaperFactory().topics.add(topic)
    first = client.get(reverse("community:paper-list"), {"topic": topic.slug})
    assert len(first.context["items"]) == settings.PAGE_SIZE
    assert f"?topic={topic.slug}&amp;page=2" in first.content.decode()
    second = client.get(reverse("community:paper-list"), {"topic": topic.slug, "page": 2})
    assert len(second.context["items"]) == 1
