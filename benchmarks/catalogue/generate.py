"""A synthetic catalogue at scale, for load tests and query plans (`manage.py generate_catalogue`).

Items read like the field's (titles and abstracts from word lists of deep learning, authors with
common names, real venue names, topics: benchmarks/catalogue/words.py), are all published, and carry
unique slugs and identifiers (DOIs under the 10.5555 test prefix, arXiv ids numbered 9xxxx in their
month, repository URLs under github.com/synthetic-*). Rows are bulk-inserted in batches, the
many-to-many through rows too; nothing goes through the moderation services, so there is no audit
trail: this is test data, and the reason it lives with the benchmarks rather than in the site.

The same seed on the same database gives the same catalogue. A second run adds more items: slugs and
identifiers are numbered after the rows that exist.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from community import models as catalogue
from community import page_cache
from community.services.catalogue_stats import catalogue_stats_refresh

from .words import (
    ABSTRACT_SENTENCES,
    ADJECTIVES,
    CITIES,
    FIRST_NAMES,
    LANGUAGES,
    LAST_NAMES,
    LICENSES,
    METHODS,
    ORG_PATTERNS,
    PROPERTIES,
    TASKS,
    TITLE_PATTERNS,
    TOPICS,
    VENUES,
)

PUBLISHED = catalogue.ModerationStatus.PUBLISHED


@dataclass
class GenerationReport:
    counts: dict[str, int] = field(default_factory=dict)


def catalogue_generate(
    *,
    papers: int,
    projects: int,
    people: int,
    jobs: int,
    funding: int,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Adds that many published synthetic items of each kind (see the module docstring)."""
    topics, venues = _reference_rows()
    run = _Run(
        rng=random.Random(seed),
        batch_size=batch_size,
        say=progress or (lambda message: None),
        today=timezone.now().date(),
        topics=topics,
        venues=venues,
        organizations=_organizations(wanted=len(ORG_PATTERNS) * len(CITIES)),
    )
    # Papers are written by people and link projects, so those come first; the order is also the
    # order of the random draws, which is what makes a seed give the same catalogue.
    person_ids = list(catalogue.Person.objects.published().values_list("pk", flat=True))
    person_ids += _generate(run, catalogue.Person, people, _person, "people")
    project_ids = _generate(run, catalogue.Project, projects, _project, "projects", links=_project_links)
    arxiv = _ArxivNumbers(
        taken=set(catalogue.Paper.objects.exclude(arxiv_id="").values_list("arxiv_id", flat=True))
    )
    _generate(
        run,
        catalogue.Paper,
        papers,
        lambda run, number: _paper(run, number, arxiv),
        "papers",
        links=lambda run, created: _paper_links(run, created, person_ids, project_ids),
    )
    _generate(run, catalogue.JobPosting, jobs, _job, "jobs", links=_topic_links)
    _generate(run, catalogue.FundingOpportunity, funding, _funding_call, "funding", links=_topic_links)
    catalogue_stats_refresh()  # the topic pages' stored counts (a periodic job in production)
    page_cache.catalogue_changed()  # bulk_create sends no signals
    counts = {"people": people, "projects": projects, "papers": papers, "jobs": jobs, "funding": funding}
    return GenerationReport(counts=counts)


# --- one run: what every kind's rows are drawn from ---------------------------------------------


@dataclass
class _Run:
    rng: random.Random
    batch_size: int
    say: Callable[[str], None]
    today: dt.date
    topics: list[catalogue.Topic]
    venues: list[catalogue.Venue]
    organizations: list[catalogue.Organization]

    @property
    def chunk(self) -> int:
        """Rows built in memory before they are inserted (in batches of `batch_size`)."""
        return self.batch_size * 5


def _generate(
    run: _Run,
    model: type[models.Model],
    total: int,
    make_row: Callable[[_Run, int], models.Model],
    label: str,
    *,
    links: Callable[[_Run, list], None] | None = None,
) -> list[int]:
    """Insert `total` rows of `model`, chunk by chunk; `make_row(run, number)` builds one (numbered
    after the rows that exist), `links(run, created)` inserts a chunk's many-to-many rows. Returns the
    new primary keys."""
    offset = model.objects.count()
    ids: list[int] = []
    for start in range(0, total, run.chunk):
        size = min(run.chunk, total - start)
        created = _insert(model, [make_row(run, offset + i) for i in range(start, start + size)], run)
        if links is not None:
            links(run, created)
        ids += [obj.pk for obj in created]
        run.say(f"{label}: {start + size}/{total}")
    return ids


def _insert(model, rows: list, run: _Run) -> list:
    with transaction.atomic():
        return model.objects.bulk_create(rows, batch_size=run.batch_size)


# --- the rows of each kind -----------------------------------------------------------------------


def _person(run: _Run, number: int) -> catalogue.Person:
    rng = run.rng
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return _published(
        catalogue.Person,
        number,
        name=name,
        affiliation=rng.choice(run.organizations) if rng.random() < 0.8 else None,
        bio=f"Works on {rng.choice(TASKS).lower()} and {rng.choice(METHODS).lower()}.",
    )


def _project(run: _Run, number: int) -> catalogue.Project:
    rng = run.rng
    method = rng.choice(METHODS)
    name = f"{rng.choice(ADJECTIVES).replace('-', '')}{method.split()[0]}-{number}"
    return _published(
        catalogue.Project,
        number,
        name=name,
        kind=rng.choice(catalogue.Project.Kind.values),
        description=f"A {rng.choice(ADJECTIVES).lower()} library of {method.lower()} "
        f"for {rng.choice(TASKS).lower()}.",
        repository_url=f"https://github.com/synthetic-{number}/{slugify(name)}",
        license=rng.choice(LICENSES),
        language=rng.choice(LANGUAGES),
        organization=rng.choice(run.organizations) if rng.random() < 0.5 else None,
        stars=rng.randint(0, 50000),
        forks=rng.randint(0, 5000),
    )


def _project_links(run: _Run, created: list[catalogue.Project]) -> None:
    links = [
        catalogue.Project.topics.through(project_id=p.pk, topic_id=t.pk)
        for p in created
        for t in run.rng.sample(run.topics, min(2, len(run.topics)))
    ]
    _insert(catalogue.Project.topics.through, links, run)


@dataclass
class _ArxivNumbers:
    """arXiv ids numbered from 90000 in their month, skipping those already taken."""

    taken: set[str]
    next_in_month: dict[str, int] = field(default_factory=dict)

    def draw(self, rng: random.Random, year: int) -> str:
        """An unused id in a random month of `year`; "" before 2008 (the old scheme) or when the
        month has no number left."""
        if year < 2008:
            return ""
        month = f"{year % 100:02d}{rng.randint(1, 12):02d}"
        k = self.next_in_month.get(month, 90000)
        while f"{month}.{k:05d}" in self.taken:
            k += 1
        self.next_in_month[month] = k + 1
        if k > 99999:
            return ""
        self.taken.add(f"{month}.{k:05d}")
        return f"{month}.{k:05d}"


def _paper(run: _Run, number: int, arxiv: _ArxivNumbers) -> catalogue.Paper:
    rng, this_year = run.rng, run.today.year
    title = _pick_title(rng)
    # Recent years weigh more, as in the field.
    year = rng.choices(range(1990, this_year + 1), weights=range(1, this_year - 1990 + 2))[0]
    return _published(
        catalogue.Paper,
        number,
        title=title,
        arxiv_id=arxiv.draw(rng, year),
        abstract=_pick_text(rng, rng.randint(2, 4)),
        year=year,
        venue=rng.choice(run.venues) if run.venues and rng.random() < 0.85 else None,
        doi=f"10.5555/synthetic.{number}",
        url=f"https://example.org/papers/{number}",
    )


def _paper_links(
    run: _Run, created: list[catalogue.Paper], person_ids: list[int], project_ids: list[int]
) -> None:
    """Each paper's authors (in order), topics and, for one in ten, a project."""
    rng = run.rng
    authorships, topic_links, project_links = [], [], []
    for paper in created:
        if person_ids:
            authors = rng.sample(person_ids, min(rng.randint(1, 6), len(person_ids)))
            for position, person_id in enumerate(authors):
                authorships.append(
                    catalogue.Authorship(paper_id=paper.pk, person_id=person_id, position=position)
                )
        for topic in rng.sample(run.topics, min(rng.randint(1, 3), len(run.topics))):
            topic_links.append(catalogue.Paper.topics.through(paper_id=paper.pk, topic_id=topic.pk))
        if project_ids and rng.random() < 0.1:
            project_links.append(
                catalogue.Paper.projects.through(paper_id=paper.pk, project_id=rng.choice(project_ids))
            )
    _insert(catalogue.Authorship, authorships, run)
    _insert(catalogue.Paper.topics.through, topic_links, run)
    _insert(catalogue.Paper.projects.through, project_links, run)


def _job(run: _Run, number: int) -> catalogue.JobPosting:
    rng = run.rng
    kind = rng.choice(catalogue.JobPosting.Kind.values)
    title = f"{catalogue.JobPosting.Kind(kind).label} in {rng.choice(TASKS).lower()}"
    posted = run.today - dt.timedelta(days=rng.randint(0, 365))
    return _published(
        catalogue.JobPosting,
        number,
        title=title,
        organization=rng.choice(run.organizations),
        kind=kind,
        description=f"Join us to work on {rng.choice(METHODS).lower()}.",
        location=rng.choice(CITIES),
        remote=rng.random() < 0.3,
        apply_url=f"https://example.org/jobs/{number}",
        posted_on=posted,
        closes_on=posted + dt.timedelta(days=rng.randint(14, 120)) if rng.random() < 0.7 else None,
    )


def _funding_call(run: _Run, number: int) -> catalogue.FundingOpportunity:
    rng = run.rng
    kind = rng.choice(catalogue.FundingOpportunity.Kind.values)
    title = f"{rng.choice(CITIES)} {catalogue.FundingOpportunity.Kind(kind).label} for {rng.choice(TASKS).lower()}"
    amount = rng.randint(1, 500) * 1000
    return _published(
        catalogue.FundingOpportunity,
        number,
        title=title,
        funder=rng.choice(run.organizations),
        kind=kind,
        description=f"Supports research on {rng.choice(METHODS).lower()}.",
        amount_min=amount,
        amount_max=amount * 2,
        currency=rng.choice(("USD", "EUR", "CNY", "GBP")),
        deadline=timezone.now() + dt.timedelta(days=rng.randint(-60, 300)),
        eligibility="Researchers at any career stage.",
        url=f"https://example.org/funding/{number}",
    )


def _topic_links(run: _Run, created: list) -> None:
    """One topic for each new job posting or funding call."""
    if not created:
        return
    through = type(created[0]).topics.through
    owner = f"{type(created[0])._meta.model_name}_id"
    _insert(
        through,
        [through(**{owner: obj.pk, "topic_id": run.rng.choice(run.topics).pk}) for obj in created],
        run,
    )


# --- text, slugs and the rows items link to ----------------------------------------------------------


def _pick_title(rng: random.Random) -> str:
    return rng.choice(TITLE_PATTERNS).format(
        adj=rng.choice(ADJECTIVES),
        method=rng.choice(METHODS),
        task=rng.choice(TASKS),
        prop=rng.choice(PROPERTIES),
    )


def _pick_text(rng: random.Random, sentences: int) -> str:
    words = {
        "adj_l": rng.choice(ADJECTIVES).lower(),
        "method": rng.choice(METHODS),
        "method_l": rng.choice(METHODS).lower(),
        "task_l": rng.choice(TASKS).lower(),
        "prop_l": rng.choice(PROPERTIES).lower(),
        "n": rng.randint(2, 40),
    }
    return " ".join(s.format(**words) for s in rng.sample(ABSTRACT_SENTENCES, sentences))


def _published(model, number: int, **fields):
    """A published row of `model`, its slug made from its name (or title) and `number`."""
    label = fields["name"] if "name" in fields else fields["title"]
    return model(slug=_slug(label, number), status=PUBLISHED, **fields)


def _slug(text: str, number: int) -> str:
    return f"{slugify(text)[:100]}-{number}"


def _reference_rows() -> tuple[list[catalogue.Topic], list[catalogue.Venue]]:
    """The topics and venues items link to: those of the word lists, created when missing."""
    existing_topics = {t.name for t in catalogue.Topic.objects.all()}
    taken = set(catalogue.Topic.objects.values_list("slug", flat=True))
    catalogue.Topic.objects.bulk_create(
        [
            catalogue.Topic(
                name=name, slug=slugify(name), status=PUBLISHED, description=f"Work on {name.lower()}."
            )
            for name in TOPICS
            if name not in existing_topics and slugify(name) not in taken
        ]
    )
    existing_venues = {v.name for v in catalogue.Venue.objects.all()}
    taken = set(catalogue.Venue.objects.values_list("slug", flat=True))
    catalogue.Venue.objects.bulk_create(
        [
            catalogue.Venue(name=name, slug=slugify(name), kind=kind, status=PUBLISHED)
            for name, kind in VENUES
            if name not in existing_venues and slugify(name) not in taken
        ]
    )
    return list(catalogue.Topic.objects.published().order_by("pk")), list(
        catalogue.Venue.objects.published().order_by("pk")
    )


def _organizations(wanted: int) -> list[catalogue.Organization]:
    names = set(catalogue.Organization.objects.values_list("name", flat=True))
    slugs = set(catalogue.Organization.objects.values_list("slug", flat=True))
    new = []
    for pattern, kind in ORG_PATTERNS:
        for city in CITIES:
            name = pattern.format(city=city)
            if len(new) < wanted and name not in names and slugify(name) not in slugs:
                new.append(
                    catalogue.Organization(
                        name=name, slug=slugify(name), kind=kind, country="", status=PUBLISHED
                    )
                )
    catalogue.Organization.objects.bulk_create(new)
    return list(catalogue.Organization.objects.published().order_by("pk"))
