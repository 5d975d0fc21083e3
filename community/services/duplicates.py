"""Duplicate detection shared by every submit path (forms, imports, API).

Two kinds of answer: an *exact* match on an identifier (arXiv id, DOI, repository URL, or a name that
must be unique) is refused with a link to the existing item; a *near-identical* title (normalised,
fuzzy ratio >= 0.9) is a warning the submitter confirms or withdraws.
"""

from dataclasses import dataclass, field

from django.db import models
from rapidfuzz import fuzz, process

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url, normalize_title
from community.models import Paper, Project

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


# How each identifier is compared: normalised (a pasted address becomes the identifier; a value
# that is not one matches nothing), or, for a unique name, case-insensitively.
_NORMALISE = {
    "arxiv_id": normalize_arxiv_id,
    "doi": normalize_doi,
    "repository_url": normalize_repo_url,
    "name": str.strip,
    "orcid": str.strip,
}
_LOOKUP = {"name": "name__iexact"}


def find_duplicates(
    model: type[models.Model],
    *,
    identifiers: dict[str, str],
    similar_field: str = "",
    similar_value: str = "",
    same: tuple[str, object] | None = None,
    exclude_pk=None,
) -> DuplicateCheck:
    """The first item of `model` (rejected ones aside) sharing one of `identifiers` ({field: value},
    tried in order), else the items whose `similar_field` is nearly `similar_value` (only those whose
    `same` = (foreign key, id) matches, when given)."""
    for name, value in identifiers.items():
        try:
            value = _NORMALISE[name](value or "")
        except (ValueError, TypeError):
            continue
        if value:
            queryset = model.objects.filter(**{_LOOKUP.get(name, name): value})
            existing = queryset.exclude(pk=exclude_pk).exclude(status="rejected").first()
            if existing:
                return DuplicateCheck(exact=existing, exact_field=name)
    if not similar_field:
        return DuplicateCheck()
    similar = similar_titles(model, similar_value, field_name=similar_field, exclude_pk=exclude_pk)
    if same is not None:
        similar = [other for other in similar if getattr(other, f"{same[0]}_id") == same[1]]
    return DuplicateCheck(similar=similar)


def duplicates_of(kind, item: models.Model, *, exclude_pk=None, similar: bool = True) -> DuplicateCheck:
    """What `kind.duplicates` (community.kinds.Duplicates) finds for `item`; only identifiers when
    not `similar` (an edit is never held back for a similar title)."""
    rule = kind.duplicates
    same = (rule.same, getattr(item, f"{rule.same}_id")) if rule.same else None
    return find_duplicates(
        kind.model,
        identifiers={name: getattr(item, name) for name in rule.identifiers},
        similar_field=rule.similar if similar else "",
        similar_value=getattr(item, rule.similar, "") if rule.similar else "",
        same=same,
        exclude_pk=exclude_pk,
    )


def paper_duplicates(*, title: str, arxiv_id: str = "", doi: str = "", exclude_pk=None) -> DuplicateCheck:
    """Invalid identifiers are the form's business (it reports them); here they simply do not match."""
    return find_duplicates(
        Paper,
        identifiers={"arxiv_id": arxiv_id, "doi": doi},
        similar_field="title",
        similar_value=title,
        exclude_pk=exclude_pk,
    )


def project_duplicates(*, name: str, repository_url: str, exclude_pk=None) -> DuplicateCheck:
    return find_duplicates(
        Project,
        identifiers={"repository_url": repository_url},
        similar_field="name",
        similar_value=name,
        exclude_pk=exclude_pk,
    )


def named_duplicates(model: type[models.Model], *, name: str, exclude_pk=None) -> DuplicateCheck:
    """For types whose name is unique (venues, organisations, channels, topics): case-insensitive."""
    return find_duplicates(
        model, identifiers={"name": name}, similar_field="name", similar_value=name, exclude_pk=exclude_pk
    )
