"""factory_boy factories for the catalogue: every item is published unless a test says otherwise.

`fully_linked_paper()` builds a paper with everything a paper page links to; the other
`linked_<kind>(width=...)` helpers do the same for the other kinds, with `width` items on every
relation, so a query-budget test can compare one link with a full page of them.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from community import models as catalogue

PUBLISHED = catalogue.ModerationStatus.PUBLISHED


class CatalogueFactory(factory.django.DjangoModelFactory):
    status = PUBLISHED

    class Meta:
        abstract = True


def catalogue_factory(model, label: str, *, title_field: str | None = "name", **fields):
    """A factory of published `model` items numbered from `label`: the n-th has the slug "<label>-n",
    lower-cased, and is called "<label> n" (in `title_field`, if any); `fields` are the other declarations."""
    numbered = {"slug": factory.Sequence(lambda n: f"{slugify(label)}-{n}")}
    if title_field:
        numbered[title_field] = factory.Sequence(lambda n: f"{label} {n}")
    return factory.make_factory(model, FACTORY_CLASS=CatalogueFactory, **numbered, **fields)


def in_days(days: int, *, date: bool = False):
    """A moment `days` from when the item is built (its date, with `date`)."""
    if date:
        return factory.LazyFunction(lambda: timezone.now().date() + dt.timedelta(days=days))
    return factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=days))


TopicFactory = catalogue_factory(catalogue.Topic, "Topic", description="A branch of deep learning.")
OrganizationFactory = catalogue_factory(
    catalogue.Organization,
    "Lab",
    kind=catalogue.Organization.Kind.RESEARCH_LAB,
    description="A research organisation.",
    country="Canada",
    website=factory.Sequence(lambda n: f"https://lab{n}.example.org"),
)
PersonFactory = catalogue_factory(
    catalogue.Person,
    "Person",
    affiliation=factory.SubFactory(OrganizationFactory),
    bio="Works on neural networks.",
)
VenueFactory = catalogue_factory(
    catalogue.Venue,
    "Conf",
    full_name=factory.Sequence(lambda n: f"Conference on Learning {n}"),
    kind=catalogue.Venue.Kind.CONFERENCE,
    website="https://conf.example.org",
    description="A machine-learning conference.",
)
EditionFactory = catalogue_factory(
    catalogue.Edition,
    "Edition",
    title_field=None,
    venue=factory.SubFactory(VenueFactory),
    year=2027,
    start_date=dt.date(2027, 12, 6),
    end_date=dt.date(2027, 12, 12),
    city="Vancouver",
    country="Canada",
)
ProjectFactory = catalogue_factory(
    catalogue.Project,
    "Project",
    description="A deep-learning library.",
    kind=catalogue.Project.Kind.LIBRARY,
    repository_url=factory.Sequence(lambda n: f"https://github.com/example/project{n}"),
    language="Python",
    license="MIT",
    organization=factory.SubFactory(OrganizationFactory),
    stars=1000,
)
PaperFactory = catalogue_factory(
    catalogue.Paper,
    "Paper",
    title_field="title",
    abstract="We propose a network.",
    year=2017,
    arxiv_id=factory.Sequence(lambda n: f"1706.{n:05d}"),
    doi=factory.Sequence(lambda n: f"10.5555/paper.{n}"),
)
JobPostingFactory = catalogue_factory(
    catalogue.JobPosting,
    "Research scientist",
    title_field="title",
    organization=factory.SubFactory(OrganizationFactory),
    description="Train large models.",
    kind=catalogue.JobPosting.Kind.FULL_TIME,
    location="Montreal",
    apply_url="https://jobs.example.org/apply",
    posted_on=in_days(-3, date=True),
    closes_on=in_days(30, date=True),
)
FundingOpportunityFactory = catalogue_factory(
    catalogue.FundingOpportunity,
    "Grant",
    title_field="title",
    funder=factory.SubFactory(OrganizationFactory, kind=catalogue.Organization.Kind.GOVERNMENT),
    description="Money for research.",
    kind=catalogue.FundingOpportunity.Kind.GRANT,
    amount_min=Decimal("10000"),
    amount_max=Decimal("50000"),
    currency="USD",
    deadline=in_days(60),
    eligibility="Early-career researchers.",
    url="https://funder.example.org/call",
)
ChannelFactory = catalogue_factory(
    catalogue.Channel,
    "Channel",
    kind=catalogue.Channel.Kind.FORUM,
    url=factory.Sequence(lambda n: f"https://forum{n}.example.org"),
    description="Where people talk.",
)
GuideFactory = catalogue_factory(
    catalogue.Guide,
    "Guide",
    title_field="title",
    summary="How it works.",
    body="# Heading\n\nSome *text* with $x^2$.\n",
)


class DeadlineFactory(factory.django.DjangoModelFactory):
    venue = factory.SubFactory(VenueFactory)
    edition = factory.SubFactory(EditionFactory, venue=factory.SelfAttribute("..venue"))
    kind = catalogue.Deadline.Kind.PAPER
    label = factory.Sequence(lambda n: f"round {n}")
    due_at = in_days(30)
    timezone_label = "AoE"

    class Meta:
        model = catalogue.Deadline


class AuthorshipFactory(factory.django.DjangoModelFactory):
    paper = factory.SubFactory(PaperFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)

    class Meta:
        model = catalogue.Authorship


# --- linked graphs ------------------------------------------------------------------------------


def with_topics(item, width: int):
    """`item`, tagged with `width` new topics."""
    item.topics.add(*TopicFactory.create_batch(width))
    return item


def in_guides(item, width: int, relation: str):
    """`item`, linked from `width` new guides (through the guides' `relation` field)."""
    for guide in GuideFactory.create_batch(width):
        getattr(guide, relation).add(item)
    return item


def fully_linked_paper(*, width: int = 2, **kwargs) -> catalogue.Paper:
    """A paper with `width` (at least 2) authors with affiliations, topics, projects and guides, a
    venue with an edition, and its arXiv/DOI/code links."""
    width = max(width, 2)
    venue = kwargs.pop("venue", None) or VenueFactory()
    edition = kwargs.pop("edition", None) or EditionFactory(venue=venue)
    paper = PaperFactory(
        venue=venue,
        edition=edition,
        url="https://papers.example.org/p",
        pdf_url="https://papers.example.org/p.pdf",
        code_url="https://github.com/example/code",
        **kwargs,
    )
    for position in range(width):
        AuthorshipFactory(paper=paper, person=PersonFactory(), position=position)
    paper.projects.add(*ProjectFactory.create_batch(width))
    return in_guides(with_topics(paper, width), width, "papers")


def linked_project(*, width: int = 2, **kwargs) -> catalogue.Project:
    project = with_topics(ProjectFactory(**kwargs), width)
    for _ in range(width):
        fully_linked_paper(width=2).projects.add(project)
    return in_guides(project, width, "projects")


def linked_venue(*, width: int = 2, **kwargs) -> catalogue.Venue:
    venue = with_topics(VenueFactory(**kwargs), width)
    for i in range(width):
        edition = EditionFactory(venue=venue, year=2000 + i)
        deadline = DeadlineFactory(venue=venue, edition=edition)
        # As an import leaves them: the deadline's source, and the year's acceptance rate.
        catalogue.Provenance.objects.create(
            item=deadline, source="ccf-deadlines", file=f"conference/AI/v{i}.yml"
        )
        catalogue.AcceptanceRate.objects.create(
            venue=venue, year=2000 + i, submitted=100, accepted=20, rate=0.2
        )
        DeadlineFactory(venue=venue, edition=None, kind=catalogue.Deadline.Kind.OTHER)
        PaperFactory(venue=venue, edition=edition)
    return in_guides(venue, width, "venues")


def linked_job(*, width: int = 2, **kwargs) -> catalogue.JobPosting:
    return with_topics(JobPostingFactory(**kwargs), width)


def linked_funding(*, width: int = 2, **kwargs) -> catalogue.FundingOpportunity:
    return with_topics(FundingOpportunityFactory(**kwargs), width)


def linked_organization(*, width: int = 2, **kwargs) -> catalogue.Organization:
    organization = with_topics(OrganizationFactory(**kwargs), width)
    PersonFactory.create_batch(width, affiliation=organization)
    ProjectFactory.create_batch(width, organization=organization)
    JobPostingFactory.create_batch(width, organization=organization)
    FundingOpportunityFactory.create_batch(width, funder=organization)
    return in_guides(organization, width, "organizations")


def linked_person(*, width: int = 2, **kwargs) -> catalogue.Person:
    person = PersonFactory(**kwargs)
    for _ in range(width):
        paper = fully_linked_paper(width=2)
        AuthorshipFactory(paper=paper, person=person, position=10)
    return person


def linked_channel(*, width: int = 2, **kwargs) -> catalogue.Channel:
    return with_topics(ChannelFactory(**kwargs), width)


def benchmark_with_sweeps(*, width: int = 2, paper: catalogue.Paper | None = None):
    """A training benchmark (of `paper`) with `width` published sweeps, for the embedded leaderboards."""
    from tests.training.factories import BenchmarkFactory, SweepFactory

    benchmark = BenchmarkFactory(paper=paper)
    for i in range(width):
        SweepFactory(
            benchmark=benchmark,
            state="succeeded",
            published=True,
            published_at=timezone.now(),
            summary={"n": 1, "metrics": {"test_acc": {"mean": 0.6 + i / 100, "std": 0.01}}},
        )
    return benchmark


def linked_guide(*, width: int = 2, **kwargs) -> catalogue.Guide:
    """A guide linking `width` items of every kind, with a reference benchmark of `width` sweeps,
    and `width` contributors (approved edits by different people)."""
    kwargs.setdefault("benchmark", benchmark_with_sweeps(width=width).slug)
    guide = with_topics(GuideFactory(**kwargs), width)
    guide.papers.add(*PaperFactory.create_batch(width))
    guide.projects.add(*ProjectFactory.create_batch(width))
    guide.venues.add(*VenueFactory.create_batch(width))
    guide.organizations.add(*OrganizationFactory.create_batch(width))
    guide.channels.add(*ChannelFactory.create_batch(width))
    for _ in range(width):
        approved_edit(guide, user=UserFactory())
    return guide


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"contributor{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)


def approved_edit(
    item, *, user, changes: dict | None = None, at: dt.datetime | None = None
) -> catalogue.EditSuggestion:
    """An edit of `item` by `user`, approved at `at` (now by default), as the moderation record keeps
    it; the item itself is left as it is."""
    return catalogue.EditSuggestion.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        submitted_by=user,
        changes=changes or {"summary": "Clearer."},
        status=catalogue.ReviewStatus.APPROVED,
        reviewed_at=at or timezone.now(),
    )


def linked_topic(*, width: int = 2, **kwargs) -> catalogue.Topic:
    """A topic hub's worth: `width` subtopics, papers (over several years, each with a project and a
    benchmark of published sweeps), venues with an open deadline, and items of every other kind."""
    topic = TopicFactory(parent=TopicFactory(), **kwargs)
    TopicFactory.create_batch(width, parent=topic)
    for i in range(width):
        paper = fully_linked_paper(width=2, year=2000 + i)
        paper.topics.add(topic)
        benchmark_with_sweeps(width=2, paper=paper)
    for factory_class in (
        ProjectFactory,
        VenueFactory,
        JobPostingFactory,
        FundingOpportunityFactory,
        ChannelFactory,
        GuideFactory,
    ):
        for item in factory_class.create_batch(width):
            item.topics.add(topic)
            if factory_class is VenueFactory:
                DeadlineFactory(venue=item, edition=EditionFactory(venue=item))
    return topic


def linked_deadline(**kwargs) -> catalogue.Deadline:
    venue = VenueFactory()
    venue.topics.add(TopicFactory())
    return DeadlineFactory(venue=venue, edition=EditionFactory(venue=venue), **kwargs)


def timeline_event(**kwargs) -> catalogue.TimelineEvent:
    """An event of /history/, about a new paper or (every other one) a new project."""
    timeline_event.count = getattr(timeline_event, "count", 0) + 1
    n = timeline_event.count
    target = {"project": ProjectFactory()} if n % 2 else {"paper": PaperFactory()}
    fields = {"slug": f"event-{n}", "year": 1940 + n, "text": f"Something happened in {1940 + n}."}
    return catalogue.TimelineEvent.objects.create(**(fields | target | kwargs))
