"""Each facet of each list page filters: one item it keeps and one it drops."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Deadline, FundingOpportunity, JobPosting, Organization, Project, Venue
from tests.community import factories as f


def _paper_topic():
    topic = f.TopicFactory()
    keep, drop = f.PaperFactory(), f.PaperFactory()
    keep.topics.add(topic)
    drop.topics.add(f.TopicFactory())
    return keep, drop, {"topic": topic.slug}


def _paper_year():
    return f.PaperFactory(year=2012), f.PaperFactory(year=2017), {"year": "2012"}


def _paper_venue():
    venue = f.VenueFactory()
    return f.PaperFactory(venue=venue), f.PaperFactory(venue=f.VenueFactory()), {"venue": venue.slug}


def _paper_q():
    return (
        f.PaperFactory(title="Attention is all you need"),
        f.PaperFactory(title="Deep residual"),
        {"q": "ATTENTION"},
    )


def _paper_q_abstract():
    keep = f.PaperFactory(abstract="We use dropout everywhere.")
    return keep, f.PaperFactory(abstract="Nothing here."), {"q": "dropout"}


def _project_topic():
    topic = f.TopicFactory()
    keep = f.ProjectFactory()
    keep.topics.add(topic)
    return keep, f.ProjectFactory(), {"topic": topic.slug}


def _project_kind():
    keep = f.ProjectFactory(kind=Project.Kind.DATASET)
    return keep, f.ProjectFactory(kind=Project.Kind.FRAMEWORK), {"kind": "dataset"}


def _project_language():
    return f.ProjectFactory(language="Rust"), f.ProjectFactory(language="Python"), {"language": "Rust"}


def _venue_kind():
    keep = f.VenueFactory(kind=Venue.Kind.JOURNAL)
    return keep, f.VenueFactory(kind=Venue.Kind.CONFERENCE), {"kind": "journal"}


def _venue_topic():
    topic = f.TopicFactory()
    keep = f.VenueFactory()
    keep.topics.add(topic)
    return keep, f.VenueFactory(), {"topic": topic.slug}


def _job_kind():
    keep = f.JobPostingFactory(kind=JobPosting.Kind.PHD)
    return keep, f.JobPostingFactory(kind=JobPosting.Kind.FULL_TIME), {"kind": "phd"}


def _job_remote():
    return f.JobPostingFactory(remote=True), f.JobPostingFactory(remote=False), {"remote": "true"}


def _job_not_remote():
    return f.JobPostingFactory(remote=False), f.JobPostingFactory(remote=True), {"remote": "false"}


def _job_organization_kind():
    keep = f.JobPostingFactory(organization=f.OrganizationFactory(kind=Organization.Kind.COMPANY))
    drop = f.JobPostingFactory(organization=f.OrganizationFactory(kind=Organization.Kind.RESEARCH_LAB))
    return keep, drop, {"organization_kind": "company"}


def _job_topic():
    topic = f.TopicFactory()
    keep = f.JobPostingFactory()
    keep.topics.add(topic)
    return keep, f.JobPostingFactory(), {"topic": topic.slug}


def _job_open():
    today = timezone.now().date()
    keep = f.JobPostingFactory(closes_on=today)
    drop = f.JobPostingFactory(closes_on=today - dt.timedelta(days=1))
    return keep, drop, {"open": "on"}


def _funding_kind():
    keep = f.FundingOpportunityFactory(kind=FundingOpportunity.Kind.COMPUTE)
    return keep, f.FundingOpportunityFactory(kind=FundingOpportunity.Kind.GRANT), {"kind": "compute"}


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


def _organization_kind():
    keep = f.OrganizationFactory(kind=Organization.Kind.NONPROFIT)
    return keep, f.OrganizationFactory(kind=Organization.Kind.COMPANY), {"kind": "nonprofit"}


def _person_q():
    return f.PersonFactory(name="Yoshua Bengio"), f.PersonFactory(name="Fei-Fei Li"), {"q": "bengio"}


def _channel_kind():
    from community.models import Channel

    keep = f.ChannelFactory(kind=Channel.Kind.MAILING_LIST)
    return keep, f.ChannelFactory(kind=Channel.Kind.CHAT), {"kind": "mailing_list"}


def _guide_topic():
    topic = f.TopicFactory()
    keep = f.GuideFactory()
    keep.topics.add(topic)
    return keep, f.GuideFactory(), {"topic": topic.slug}


def _deadline_venue():
    keep = f.DeadlineFactory()
    return keep, f.DeadlineFactory(), {"venue": keep.venue.slug}


def _deadline_kind():
    keep = f.DeadlineFactory(kind=Deadline.Kind.ABSTRACT)
    return keep, f.DeadlineFactory(kind=Deadline.Kind.PAPER), {"kind": "abstract"}


def _deadline_topic():
    topic = f.TopicFactory()
    keep = f.DeadlineFactory()
    keep.venue.topics.add(topic)
    return keep, f.DeadlineFactory(), {"topic": topic.slug}


def _topic_parent():
    parent = f.TopicFactory()
    return f.TopicFactory(parent=parent), f.TopicFactory(), {"parent": parent.slug}


CASES = [
    ("community:paper-list", _paper_topic),
    ("community:paper-list", _paper_year),
    ("community:paper-list", _paper_venue),
    ("community:paper-list", _paper_q),
    ("community:paper-list", _paper_q_abstract),
    ("community:project-list", _project_topic),
    ("community:project-list", _project_kind),
    ("community:project-list", _project_language),
    ("community:venue-list", _venue_kind),
    ("community:venue-list", _venue_topic),
    ("community:job-list", _job_kind),
    ("community:job-list", _job_remote),
    ("community:job-list", _job_not_remote),
    ("community:job-list", _job_organization_kind),
    ("community:job-list", _job_topic),
    ("community:job-list", _job_open),
    ("community:funding-list", _funding_kind),
    ("community:funding-list", _funding_funder),
    ("community:funding-list", _funding_open),
    ("community:funding-list", _funding_rolling_is_open),
    ("community:organization-list", _organization_kind),
    ("community:person-list", _person_q),
    ("community:channel-list", _channel_kind),
    ("community:guide-list", _guide_topic),
    ("community:deadline-list", _deadline_venue),
    ("community:deadline-list", _deadline_kind),
    ("community:deadline-list", _deadline_topic),
    ("community:topic-list", _topic_parent),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name, build", CASES, ids=[build.__name__.lstrip("_") for _, build in CASES])
def test_facet_keeps_matches_and_drops_the_rest(client, url_name, build):
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
