"""Duplicate detection shared by every submit path (forms, imports, API).

Two kinds of answer: an *exact* match on an identifier (arXiv id, DOI, repository URL, or a name that
must be unique) is refused with a link to the existing item; a *near-identical* title (normalised,
fuzzy ratio >= 0.9) is a warning the submitter confirms or withdraws.
"""

from dataclasses import dataclass, field

from django.db import models
from rapidfuzz import fuzz, process

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url, normalize_title
from community.models import Channel, Organization, Paper, Project, Topic, Venue

SIMILAR_TITLE_RATIO = 90  # rapidfuzz scores are 0..100
MAX_SIMILAR = 5


@dataclass
class DuplicateCheck:
    exact: models.Model | None = None  # refuse: this item already exists
    exact_field: str = ""  # which identifier matched
    similar: list[models.Model] = field(default_factory=list)  # warn: titles this close exist

    @property
    def is_clean(self) -> bool:
        return self.exact is None and not self.similar


def similar_titles(
    model: type[models.Model], title: str, *, field_name: str = "title", exclude_pk=None
) -> list[models.Model]:
    """Items of `model` whose normalised title scores >= 90 against `title`, best first.

    Rejected items do not count: a refused submission should not block a better one.
    """
    wanted = normalize_title(title)
    if not wanted:
        return []
    rows = model.objects.exclude(status="rejected").exclude(pk=exclude_pk).values_list("pk", field_name)
    choices = {pk: normalize_title(text) for pk, text in rows}
    matches = process.extract(
        wanted, choices, scorer=fuzz.ratio, score_cutoff=SIMILAR_TITLE_RATIO, limit=MAX_SIMILAR
    )
    order = [pk for _, _, pk in matches]
    found = model.objects.in_bulk(order)
    return [found[pk] for pk in order if pk in found]


def _first(queryset, exclude_pk):
    return queryset.exclude(pk=exclude_pk).exclude(status="rejected").first()


def paper_duplicates(*, title: str, arxiv_id: str = "", doi: str = "", exclude_pk=None) -> DuplicateCheck:
    """Invalid identifiers are the form's business (it reports them); here they simply do not match."""
    for name, value, normalize in (("arxiv_id", arxiv_id, normalize_arxiv_id), ("doi", doi, normalize_doi)):
        try:
            value = normalize(value)
        except ValueError:
            continue
        if value:
            existing = _first(Paper.objects.filter(**{name: value}), exclude_pk)
            if existing:
                return DuplicateCheck(exact=existing, exact_field=name)
    return DuplicateCheck(similar=similar_titles(Paper, title, exclude_pk=exclude_pk))


def project_duplicates(*, name: str, repository_url: str, exclude_pk=None) -> DuplicateCheck:
    try:
        url = normalize_repo_url(repository_url)
    except ValueError:
        url = ""
    if url:
        existing = _first(Project.objects.filter(repository_url=url), exclude_pk)
        if existing:
            return DuplicateCheck(exact=existing, exact_field="repository_url")
    return DuplicateCheck(similar=similar_titles(Project, name, field_name="name", exclude_pk=exclude_pk))


def named_duplicates(model: type[models.Model], *, name: str, exclude_pk=None) -> DuplicateCheck:
    """For types whose name is unique (venues, organisations, channels, topics): case-insensitive."""
    existing = _first(model.objects.filter(name__iexact=name.strip()), exclude_pk)
    if existing:
        return DuplicateCheck(exact=existing, exact_field="name")
    return DuplicateCheck(similar=similar_titles(model, name, field_name="name", exclude_pk=exclude_pk))


UNIQUE_NAME_MODELS = (Venue, Organization, Channel, Topic)
