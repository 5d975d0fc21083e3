"""The catalogue's kinds of item by the short name URLs use, and what each one is called in a list.

Moderation, the profile page and the "suggest an edit" / "report a problem" links all speak of
items of any kind; this is the one table that says which models those are, and which of their fields
a contributor fills in (EDITABLE_FIELDS: the submission and edit services, the review page).
"""

from django.db import models
from django.db.models.functions import Cast, Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community.models import (
    Channel,
    Edition,
    FundingOpportunity,
    Guide,
    JobPosting,
    Organization,
    Paper,
    Person,
    Project,
    Topic,
    Venue,
)

# URL name -> model. Every model built on CatalogueItem is here (editions included: they are
# submitted and moderated on their own, though they are shown on their venue's page).
KINDS: dict[str, type[models.Model]] = {
    "paper": Paper,
    "project": Project,
    "venue": Venue,
    "edition": Edition,
    "job": JobPosting,
    "funding": FundingOpportunity,
    "channel": Channel,
    "organization": Organization,
    "person": Person,
    "guide": Guide,
    "topic": Topic,
}
CATALOGUE_MODELS: tuple[type[models.Model], ...] = tuple(KINDS.values())

# The fields a contributor may set, per model: what a submission fills in and what an edit may change.
# Paper authors are the ordered list of names ("authors"); status, slug and created_by are never theirs.
EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Paper: (
        "title",
        "abstract",
        "year",
        "venue",
        "edition",
        "volume",
        "issue",
        "pages",
        "arxiv_id",
        "doi",
        "url",
        "pdf_url",
        "code_url",
        "topics",
        "authors",
    ),
    Project: (
        "name",
        "description",
        "kind",
        "repository_url",
        "homepage",
        "license",
        "language",
        "organization",
        "topics",
    ),
    Venue: ("name", "full_name", "publisher", "website", "description", "topics"),
    Edition: ("year", "start_date", "end_date", "city", "country", "website", "external_id"),
    JobPosting: (
        "organization",
        "title",
        "description",
        "kind",
        "location",
        "remote",
        "apply_url",
        "posted_on",
        "closes_on",
        "topics",
    ),
    FundingOpportunity: (
        "funder",
        "title",
        "description",
        "kind",
        "amount_min",
        "amount_max",
        "currency",
        "deadline",
        "deadline_timezone",
        "eligibility",
        "url",
        "topics",
    ),
    Channel: ("name", "kind", "url", "description", "topics"),
    Organization: ("name", "kind", "description", "country", "website", "topics"),
    Person: ("name", "affiliation", "homepage", "orcid", "bio"),
    Guide: ("title", "summary", "body", "topics"),
    Topic: ("name", "description", "parent"),
}

KIND_LABELS: dict[str, str | Promise] = {
    "paper": _("Paper"),
    "project": _("Project"),
    "venue": _("Venue"),
    "edition": _("Conference edition"),
    "job": _("Job"),
    "funding": _("Funding"),
    "channel": _("Channel"),
    "organization": _("Organisation"),
    "person": _("Person"),
    "guide": _("Guide"),
    "topic": _("Topic"),
}

_KIND_OF = {model: kind for kind, model in KINDS.items()}

# The detail page of each kind, by URL name; editions have none (they live on their venue's page).
DETAIL_URL_NAMES = {
    "paper": "community:paper-detail",
    "project": "community:project-detail",
    "venue": "community:venue-detail",
    "job": "community:job-detail",
    "funding": "community:funding-detail",
    "channel": "community:channel-detail",
    "organization": "community:organization-detail",
    "person": "community:person-detail",
    "guide": "community:guide-detail",
    "topic": "community:topic-detail",
}


def kind_of(model_or_item) -> str:
    """'paper' for Paper or a paper; '' for anything that is not a catalogue model."""
    model = model_or_item if isinstance(model_or_item, type) else type(model_or_item)
    return _KIND_OF.get(model, "")


def label_expression(model: type[models.Model]):
    """The SQL expression for an item's one-line label (what its __str__ says, as near as SQL can)."""
    if model is Edition:
        return Concat(models.F("venue__name"), models.Value(" "), Cast("year", models.CharField()))
    name = "title" if model in (Paper, JobPosting, FundingOpportunity, Guide) else "name"
    return Cast(models.F(name), models.CharField())


def slug_path(model: type[models.Model]) -> str:
    """The slug that the item's public URL is built from: an edition is shown on its venue's page."""
    return "venue__slug" if model is Edition else "slug"
