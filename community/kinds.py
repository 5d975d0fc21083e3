"""The catalogue's kinds of item, each declared once: the registry every caller reads.

A `Kind` says which model it is, what it is called, which fields a contributor fills in (what a
submission sets, what an edit may change, in the order a form shows them), how a new item is checked
for duplicates, how its values are tidied and checked beyond the model's own validation, and which
pages show it. The submission and edit services, the submit and edit forms, the API's input and
reference serializers and viewsets, moderation, the profile page and exports build on it. Adding a
kind is a model and its migration, an entry here, its reads (selectors, filters, read serializers)
and its templates (README, "Where the code lives").

This module imports models and community.rules only: services, forms and the API import it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models.functions import Cast, Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community import models as catalogue
from community import rules


@dataclass(frozen=True)
class Duplicates:
    """How a new item is checked against the catalogue (community.services.duplicates.duplicates_of).

    `identifiers`: fields whose value another item may not share (normalised first: an arXiv id, a
    DOI, a repository address; a unique name compares case-insensitively); a match is refused.
    `similar`: the field whose near-identical values hold a submission back until it is confirmed,
    among the items with the same `same` (a foreign key) when that is set."""

    identifiers: tuple[str, ...] = ()
    similar: str = ""
    same: str = ""


@dataclass(frozen=True)
class Kind:
    name: str  # in URLs and API types: "paper"
    model: type[models.Model]
    label: str | Promise  # what a list of items of any kind calls it: "Paper"
    fields: tuple[str, ...]  # what a contributor sets, in form order ("authors": a paper's names)
    title_field: str = "name"  # what the slug is made from and what names the item in messages
    duplicates: Duplicates = field(default_factory=Duplicates)
    prepare: Callable | None = None  # tidy values before validation (rules.prepare_*)
    check: Callable | None = None  # checks beyond the model's (rules.*_check)
    aliases: tuple[str, ...] = ()  # keys the services take besides `fields` (a local deadline)
    # The model's name inside a message ("Choose a published venue."); None: its verbose name.
    noun: str | Promise | None = None
    plural: str | Promise | None = None
    has_page: bool = True  # editions have none: they are shown on their venue's page
    collection: str = ""  # the plural in API paths and export files ("papers"); default name + "s"

    def __post_init__(self):
        if not self.collection:
            object.__setattr__(self, "collection", f"{self.name}s")

    @property
    def detail_url_name(self) -> str:
        return f"community:{self.name}-detail" if self.has_page else ""

    @property
    def api_url_name(self) -> str:
        return f"api:{self.name}-detail"

    @property
    def class_prefix(self) -> str:
        """What the classes built for this kind are called: PaperForm, PaperRef, PaperInputSerializer."""
        return self.name.capitalize()


def _fields(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# A name no two items share (case aside), and near-identical names held back.
UNIQUE_NAME = Duplicates(identifiers=("name",), similar="name")


def _nouns(singular, plural) -> dict:
    return {"noun": singular, "plural": plural}


# Paper authors are the ordered list of names ("authors"); status, slug and created_by are never a
# contributor's. The message nouns are translated here rather than with verbose_name on the models,
# which would also change the slugs services/slugs.py derives from that name and need migrations.
# fmt: off
REGISTRY: tuple[Kind, ...] = (
    Kind("paper", catalogue.Paper, _("Paper"), _fields(
        "title authors year abstract venue edition volume issue pages arxiv_id doi url pdf_url code_url "
        "topics"
    ), title_field="title", duplicates=Duplicates(identifiers=("arxiv_id", "doi"), similar="title"),
        prepare=rules.prepare_paper, check=rules.year_check,
        **_nouns(pgettext_lazy("model name", "paper"), pgettext_lazy("model name", "papers"))),
    Kind("project", catalogue.Project, _("Project"), _fields(
        "name kind repository_url description homepage license language organization topics"
    ), duplicates=Duplicates(identifiers=("repository_url",), similar="name"),
        **_nouns(pgettext_lazy("model name", "project"), pgettext_lazy("model name", "projects"))),
    Kind("venue", catalogue.Venue, _("Venue"), _fields(
        "name full_name publisher website description topics"
    ), duplicates=UNIQUE_NAME,
        **_nouns(pgettext_lazy("model name", "venue"), pgettext_lazy("model name", "venues"))),
    Kind("edition", catalogue.Edition, _("Conference edition"), _fields(
        "year start_date end_date city country website external_id"
    ), title_field="year", check=rules.edition_check, has_page=False,
        **_nouns(pgettext_lazy("model name", "edition"), pgettext_lazy("model name", "editions"))),
    Kind("job", catalogue.JobPosting, _("Job"), _fields(
        "title organization kind description location remote apply_url posted_on closes_on topics"
    ), title_field="title", duplicates=Duplicates(similar="title", same="organization"),
        check=rules.job_check),
    Kind("funding", catalogue.FundingOpportunity, _("Funding"), _fields(
        "title funder kind description amount_min amount_max currency deadline deadline_timezone rolling "
        "eligibility url topics"
    ), title_field="title", duplicates=Duplicates(similar="title", same="funder"),
        aliases=("deadline_local",), collection="funding"),
    Kind("channel", catalogue.Channel, _("Channel"), _fields("name kind url description topics"),
        duplicates=UNIQUE_NAME),
    Kind("organization", catalogue.Organization, _("Organisation"), _fields(
        "name kind description country website topics"
    ), duplicates=UNIQUE_NAME,
        **_nouns(pgettext_lazy("model name", "organization"), pgettext_lazy("model name", "organizations"))),
    Kind("person", catalogue.Person, _("Person"), _fields("name affiliation homepage orcid bio"),
        duplicates=Duplicates(identifiers=("orcid",), similar="name"), collection="people",
        prepare=rules.prepare_person, check=rules.person_check,
        **_nouns(pgettext_lazy("model name", "person"), pgettext_lazy("model name", "people"))),
    Kind("guide", catalogue.Guide, _("Guide"), _fields("title summary body topics"), title_field="title",
        duplicates=Duplicates(similar="title")),
    Kind("topic", catalogue.Topic, _("Topic"), _fields("name description parent"), duplicates=UNIQUE_NAME,
        check=rules.topic_check,
        **_nouns(pgettext_lazy("model name", "topic"), pgettext_lazy("model name", "topics"))),
)
# fmt: on

KIND: dict[str, Kind] = {kind.name: kind for kind in REGISTRY}
_KIND_FOR_MODEL: dict[type[models.Model], Kind] = {kind.model: kind for kind in REGISTRY}

# URL name -> model, and every model built on CatalogueItem (editions included: they are submitted
# and moderated on their own, though they are shown on their venue's page).
KINDS: dict[str, type[models.Model]] = {kind.name: kind.model for kind in REGISTRY}
CATALOGUE_MODELS: tuple[type[models.Model], ...] = tuple(KINDS.values())


def kind_for(model_or_item) -> Kind | None:
    """The Kind of a model or of an item; None for anything that is not a catalogue model."""
    model = model_or_item if isinstance(model_or_item, type) else type(model_or_item)
    return _KIND_FOR_MODEL.get(model)


def kind_of(model_or_item) -> str:
    """'paper' for Paper or a paper; '' for anything that is not a catalogue model."""
    kind = kind_for(model_or_item)
    return kind.name if kind else ""


def kind_label(name: str) -> str | Promise:
    """What a list of items of any kind calls kind `name` ("Paper"); the name itself if none."""
    kind = KIND.get(name)
    return kind.label if kind else name


def label_expression(model: type[models.Model]):
    """The SQL expression for an item's one-line label (what its __str__ says, as near as SQL can)."""
    if model is catalogue.Edition:
        return Concat(models.F("venue__name"), models.Value(" "), Cast("year", models.CharField()))
    return Cast(models.F(kind_for(model).title_field), models.CharField())


def slug_path(model: type[models.Model]) -> str:
    """The slug that the item's public URL is built from: an edition is shown on its venue's page."""
    return "venue__slug" if model is catalogue.Edition else "slug"
