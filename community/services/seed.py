"""Loading the curated seed catalogue (`community/seed/*.yaml`) into the database.

The load is idempotent: each item is looked up by what identifies it (a venue's name, a paper's DOI
or arXiv id, a project's repository; failing that, the slug of a row nobody entered by hand), and a
row is only saved when a stated field, topic set or author list differs. Saving an unchanged row
would still move `updated_at` (auto_now), so a rerun that rewrote everything would look like an
edit of every item.

What the seed owns: the fields an item states, the YAML winning over an edit of those fields. A
field the YAML leaves out is left to editors, and so are `status` and `created_by`, which are only
set when the seed creates the row (published, no creator): a moderator who unpublishes a seeded
item is not overruled by the next run. A guide's review date (`reviewed` in its front matter) is
written when the seed creates or changes the guide, or the guide has none: a moderator's later review
of an unchanged guide stands. The seed never deletes rows; an item removed from the YAML
stays in the database until someone removes it.

Guides, topics and the descriptions of the other kinds are stored per language (community/translation.py). The load runs with English
active, so a bare field (`name`, `title`) is the English text and fills `name_en`; the Chinese text
is stated as `name_zh_hans` and so on. Guides come from `guides/<language>/<slug>.md`, the timeline of
/history/ from history.yaml.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url
from community.models import (
    Authorship,
    Channel,
    Edition,
    FundingOpportunity,
    Guide,
    JobPosting,
    ModerationStatus,
    Organization,
    Paper,
    Person,
    Project,
    TimelineEvent,
    Topic,
    Venue,
)
from community.models.base import CatalogueItem
from community.seed import SEED_DIR, SeedData, SeedDataError, read_seed
from community.seed.reader import GUIDE_LINKS
from community.services.catalogue_stats import catalogue_stats_refresh
from community.services.slugs import unique_slug

# In load order; the report lists every one of them, so "0 created" for jobs reads as a decision.
SEEDED_MODELS: tuple[type[models.Model], ...] = (
    Topic,
    Organization,
    Venue,
    Edition,
    Person,
    Project,
    Channel,
    Paper,
    FundingOpportunity,
    JobPosting,
    TimelineEvent,
    Guide,
)


@dataclass
class SeedCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SeedReport:
    """What one load did, per model (keyed by `model._meta.model_name`, in load order)."""

    source: Path
    counts: dict[str, SeedCounts] = field(
        default_factory=lambda: {model._meta.model_name: SeedCounts() for model in SEEDED_MODELS}
    )

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def lines(self) -> list[str]:
        names = {model._meta.model_name: str(model._meta.verbose_name_plural) for model in SEEDED_MODELS}
        width = max(len(name) for name in names.values())
        return [
            f"{names[key].capitalize():<{width}}  created {c.created:>3}  updated {c.updated:>3}"
            f"  unchanged {c.unchanged:>3}"
            for key, c in self.counts.items()
        ]


def seed_load(*, data_dir: Path = SEED_DIR) -> SeedReport:
    """Create or update every item of the seed files in `data_dir`, all or nothing.

    Raises SeedDataError (naming the file and item) when a file is malformed or an item fails the
    model's validation; then nothing is written.
    """
    data = read_seed(Path(data_dir))
    # English active: the bare translated fields are the English text (see the module docstring),
    # and lookups by name compare with name_en, whatever language the caller had active.
    with translation.override("en"), transaction.atomic():
        report = _Loader(data).run()
        catalogue_stats_refresh()  # the topic pages' stored counts, at once rather than at the next job
        return report


class _Loader:
    def __init__(self, data: SeedData) -> None:
        self.data = data
        self.report = SeedReport(source=data.source)
        # seed slug -> row, per family, to resolve the references between items.
        self.rows: dict[str, dict[str, Any]] = {}
        self.editions: dict[tuple[str, int], Edition] = {}
        # Rows this run already matched, so two seed items can never land on the same row.
        self.claimed: dict[type[models.Model], set[int]] = {}

    def run(self) -> SeedReport:
        steps = (
            ("topics", self._topic),
            ("organizations", self._organization),
            ("venues", self._venue),
            ("people", self._person),
            ("projects", self._project),
            ("channels", self._channel),
            ("papers", self._paper),
            ("funding", self._funding),
            ("jobs", self._job),
            ("history", self._event),
            ("guides", self._guide),
        )
        for family, load in steps:
            rows = self.rows.setdefault(family, {})
            for index, item in enumerate(self.data[family]):
                where = (
                    f"guides/en/{item['slug']}.md"
                    if family == "guides"
                    else f"{family}.yaml ({item['slug']})"
                )
                rows[item["slug"]] = load(item | {"_index": index}, where=where)
        return self.report

    # --- one method per family: how an item is identified and which fields it states -----------

    def _topic(self, item: dict, *, where: str) -> Topic:
        fields = _plain(item, "name", "description", "name_zh_hans", "description_zh_hans")
        if "parent" in item:
            fields["parent"] = self.rows["topics"][item["parent"]]
        return self._upsert(
            Topic, where=where, slug=item["slug"], lookups=[{"name": item["name"]}], fields=fields
        )

    def _named(self, model: type[models.Model], item: dict, *, where: str, fields: tuple[str, ...]) -> Any:
        """An item known by its name (organisations, venues, channels): looked up by seed slug, then
        by name; its `fields` and its topics as the seed states them."""
        return self._upsert(
            model,
            where=where,
            slug=item["slug"],
            lookups=[{"name": item["name"]}],
            fields=_plain(item, "name", *fields),
            m2m=self._topics(item),
        )

    def _organization(self, item: dict, *, where: str) -> Organization:
        fields = ("kind", "description", "description_zh_hans", "country", "website")
        return self._named(Organization, item, where=where, fields=fields)

    def _venue(self, item: dict, *, where: str) -> Venue:
        fields = ("kind", "full_name", "publisher", "website", "description", "description_zh_hans")
        venue = self._named(Venue, item, where=where, fields=fields)
        for edition in item.get("editions", []):
            year = edition["year"]
            self.editions[(item["slug"], year)] = self._upsert(
                Edition,
                where=f"{where} edition {year}",
                # Derived, so it is as stable as the venue's seed slug: neurips-2017.
                slug=f"{item['slug']}-{year}",
                lookups=[{"venue": venue, "year": year}],
                with_slug_lookup=False,
                fields={"venue": venue}
                | _plain(
                    edition, "year", "start_date", "end_date", "city", "country", "website", "external_id"
                ),
            )
        return venue

    def _person(self, item: dict, *, where: str) -> Person:
        fields = _plain(item, "name", "homepage", "orcid", "bio", "bio_zh_hans")
        if "affiliation" in item:
            fields["affiliation"] = self.rows["organizations"][item["affiliation"]]
        # Names are not unique, so people are matched by slug only: a namesake entered by hand
        # stays a separate person rather than being merged into a paper's author list.
        return self._upsert(Person, where=where, slug=item["slug"], lookups=[], fields=fields)

    def _project(self, item: dict, *, where: str) -> Project:
        fields = _plain(
            item, "name", "kind", "repository_url", "description", "homepage", "license", "language"
        )
        fields |= _plain(item, "description_zh_hans")
        if "organization" in item:
            fields["organization"] = self.rows["organizations"][item["organization"]]
        return self._upsert(
            Project,
            where=where,
            slug=item["slug"],
            lookups=[{"repository_url": normalize_repo_url(item["repository_url"])}],
            fields=fields,
            m2m=self._topics(item),
        )

    def _channel(self, item: dict, *, where: str) -> Channel:
        return self._named(
            Channel, item, where=where, fields=("kind", "url", "description", "description_zh_hans")
        )

    def _paper(self, item: dict, *, where: str) -> Paper:
        fields = _plain(item, "title", "abstract", "year", "volume", "issue", "pages", "arxiv_id", "doi")
        fields |= _plain(item, "url", "pdf_url", "code_url")
        if "venue" in item:
            fields["venue"] = self.rows["venues"][item["venue"]]
        if "edition" in item:
            fields["edition"] = self.editions[(item["venue"], item["edition"])]
        lookups = []
        if "doi" in item:
            lookups.append({"doi": normalize_doi(item["doi"])})
        if "arxiv_id" in item:
            lookups.append({"arxiv_id": normalize_arxiv_id(item["arxiv_id"])})
        m2m = self._topics(item)
        if "projects" in item:
            m2m["projects"] = [self.rows["projects"][slug] for slug in item["projects"]]
        return self._upsert(
            Paper,
            where=where,
            slug=item["slug"],
            lookups=lookups,
            fields=fields,
            m2m=m2m,
            authors=[self.rows["people"][slug] for slug in item["authors"]],
        )

    def _funding(self, item: dict, *, where: str) -> FundingOpportunity:
        funder = self.rows["organizations"][item["funder"]]
        fields = {"funder": funder} | _plain(
            item, "title", "kind", "url", "description", "eligibility", "currency", "amount_min", "amount_max"
        )
        fields |= _plain(item, "description_zh_hans", "eligibility_zh_hans")
        # Stated every time (false when left out), so a call the YAML stops calling rolling stops being so.
        fields["rolling"] = item.get("rolling", False)
        return self._upsert(
            FundingOpportunity,
            where=where,
            slug=item["slug"],
            lookups=[{"funder": funder, "title": item["title"]}],
            fields=fields,
            m2m=self._topics(item),
        )

    def _job(self, item: dict, *, where: str) -> JobPosting:
        fields = {"organization": self.rows["organizations"][item["organization"]]} | _plain(
            item, "title", "kind", "apply_url", "posted_on", "closes_on", "description", "location", "remote"
        )
        fields |= _plain(item, "description_zh_hans")
        return self._upsert(
            JobPosting, where=where, slug=item["slug"], lookups=[], fields=fields, m2m=self._topics(item)
        )

    def _event(self, item: dict, *, where: str) -> TimelineEvent:
        fields = {"year": item["year"], "text": item["text_en"]} | _plain(item, "text_zh_hans")
        # The file's order breaks ties within a year; an event moved in the file is an update.
        fields["position"] = item["_index"]
        fields["paper"] = self.rows["papers"][item["paper"]] if "paper" in item else None
        fields["project"] = self.rows["projects"][item["project"]] if "project" in item else None
        return self._upsert(TimelineEvent, where=where, slug=item["slug"], lookups=[], fields=fields)

    def _guide(self, item: dict, *, where: str) -> Guide:
        fields = _plain(item, "title", "summary", "body", "order", "benchmark")
        fields |= _plain(item, "title_zh_hans", "summary_zh_hans", "body_zh_hans")
        # Every link list is stated (an empty one too), so a link dropped from the front matter goes.
        m2m = {family: [self.rows[family][slug] for slug in item[family]] for family in GUIDE_LINKS.values()}
        # Matched by slug only, like people: two guides may share a title.
        return self._upsert(
            Guide,
            where=where,
            slug=item["slug"],
            lookups=[],
            fields=fields,
            m2m=m2m,
            with_change={"reviewed_on": item["reviewed"]},
        )

    def _topics(self, item: dict) -> dict[str, list[models.Model]]:
        if "topics" not in item:
            return {}
        return {"topics": [self.rows["topics"][slug] for slug in item["topics"]]}

    # --- the one write path ----------------------------------------------------------------------

    def _upsert(
        self,
        model: type[models.Model],
        *,
        where: str,
        slug: str,
        lookups: list[dict[str, Any]],
        fields: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
        authors: list[Person] | None = None,
        with_slug_lookup: bool = True,
        with_change: dict[str, Any] | None = None,
    ) -> Any:
        """Create or update the row `lookups` (then the slug) find. `with_change`: fields set only
        when the row is created or changed, or while they are empty, and never a reason to save."""
        m2m = m2m or {}
        with_change = with_change or {}
        catalogue = issubclass(model, CatalogueItem)
        if with_slug_lookup and not catalogue:
            # Not a catalogue item (a timeline event): nobody enters those by hand, the slug is enough.
            lookups = [*lookups, {"slug": slug}]
        elif with_slug_lookup:
            # The slug comes last, and only finds rows nobody entered by hand: it keeps a seed item
            # on its row when the YAML corrects its name or DOI, while a hand-entered item that
            # merely shares the slug (another Kai Chen, another "adam") is never overwritten.
            lookups = [*lookups, {"slug": slug, "created_by__isnull": True}]
        obj = self._find(model, lookups)
        created = obj is None
        if created and not catalogue:
            obj = model(slug=slug)
            before = {}
        elif created:
            obj = model(slug=unique_slug(model, slug), status=ModerationStatus.PUBLISHED, created_by=None)
            before = {}
        else:
            before = {name: getattr(obj, model._meta.get_field(name).attname) for name in fields}
        for name, value in fields.items():
            setattr(obj, name, value)
        try:
            # Also normalises what the model normalises (DOI case, repository URL), so the
            # comparison below sees the stored form.
            obj.full_clean()
        except ValidationError as exc:
            raise SeedDataError(f"{where}: {_describe(exc)}") from exc

        changed_fields = [
            name
            for name in fields
            if created or getattr(obj, model._meta.get_field(name).attname) != before[name]
        ]
        changed_m2m = {
            name: targets
            for name, targets in m2m.items()
            if created or set(getattr(obj, name).values_list("pk", flat=True)) != {t.pk for t in targets}
        }
        authors_changed = authors is not None and (
            created
            or list(obj.authorships.order_by("position").values_list("person_id", flat=True))
            != [person.pk for person in authors]
        )

        counts = self.report.counts[model._meta.model_name]
        changed = created or changed_fields or changed_m2m or authors_changed
        empty = {name: value for name, value in with_change.items() if getattr(obj, name) in (None, "")}
        if not changed and empty:
            # A row from before the field existed: filled in without moving updated_at.
            model._default_manager.filter(pk=obj.pk).update(**empty)
            for name, value in empty.items():
                setattr(obj, name, value)
        if not changed:
            counts.unchanged += 1
        else:
            for name, value in with_change.items():
                setattr(obj, name, value)
            # A changed topic set or author list is an edit of the item too, so it moves updated_at.
            obj.save()
            for name, targets in changed_m2m.items():
                getattr(obj, name).set(targets)
            if authors_changed:
                self._set_authors(obj, authors, where=where)
            if created:
                counts.created += 1
            else:
                counts.updated += 1
        self.claimed.setdefault(model, set()).add(obj.pk)
        return obj

    def _find(self, model: type[models.Model], lookups: list[dict[str, Any]]) -> Any:
        claimed = self.claimed.get(model, set())
        for lookup in lookups:
            rows = list(model._default_manager.filter(**lookup).exclude(pk__in=claimed)[:2])
            if len(rows) == 1:
                return rows[0]
        return None

    def _set_authors(self, paper: Paper, authors: list[Person], *, where: str) -> None:
        # Positions are unique per paper, so reordering in place would collide midway: replace the list.
        paper.authorships.all().delete()
        for position, person in enumerate(authors):
            authorship = Authorship(paper=paper, person=person, position=position)
            try:
                authorship.full_clean()
            except ValidationError as exc:
                raise SeedDataError(f"{where}: author {person.slug}: {_describe(exc)}") from exc
            authorship.save()


def _plain(item: dict[str, Any], *names: str) -> dict[str, Any]:
    """The stated values of fields that go into the row as they are."""
    return {name: item[name] for name in names if name in item}


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
