"""Every portal page with a builder for its content, shared by the view tests.

LIST_PAGES: url name -> function(**fields) that creates one fully linked, published item the page
lists. DETAIL_PAGES: url name -> function(width) that creates one published item with `width`
published items on each of its relations. TEXT_FIELDS: per kind, the free-text fields a
contributor fills in (used by the escaping tests).
"""

from django.urls import reverse

from community.models import Provenance
from tests.community import factories as f


def _paper(**fields):
    return f.fully_linked_paper(**fields)


def _imported_paper(width: int):
    """A fully linked paper as an import leaves it: with the source that gave it (its abstract's label)."""
    paper = f.fully_linked_paper(width=width)
    Provenance.objects.create(item=paper, source="arxiv", file="export.arxiv.org/api/query")
    return paper


LIST_PAGES = {
    "community:paper-list": _paper,
    "community:project-list": lambda **fields: f.linked_project(**fields),
    "community:venue-list": lambda **fields: f.linked_venue(**fields),
    "community:deadline-list": lambda **fields: f.linked_deadline(**fields),
    "community:job-list": lambda **fields: f.linked_job(**fields),
    "community:funding-list": lambda **fields: f.linked_funding(**fields),
    "community:organization-list": lambda **fields: f.linked_organization(**fields),
    "community:person-list": lambda **fields: f.linked_person(**fields),
    "community:channel-list": lambda **fields: f.linked_channel(**fields),
    "community:guide-list": lambda **fields: f.linked_guide(**fields),
    "community:topic-list": lambda **fields: f.linked_topic(**fields),
}

DETAIL_PAGES = {
    "community:paper-detail": _imported_paper,
    "community:project-detail": lambda width: f.linked_project(width=width),
    "community:venue-detail": lambda width: f.linked_venue(width=width),
    "community:job-detail": lambda width: f.linked_job(width=width),
    "community:funding-detail": lambda width: f.linked_funding(width=width),
    "community:organization-detail": lambda width: f.linked_organization(width=width),
    "community:person-detail": lambda width: f.linked_person(width=width),
    "community:channel-detail": lambda width: f.linked_channel(width=width),
    "community:guide-detail": lambda width: f.linked_guide(width=width),
    "community:topic-detail": lambda width: f.linked_topic(width=width),
}

# Pages that are neither a list nor a detail page: url name -> function(width) that fills them.
OTHER_PAGES = {
    "community:history": lambda width: [f.timeline_event() for _ in range(width)],
}

# The detail page of each kind the list pages show (deadlines have none: they live on venue pages).
LISTED_KINDS = (
    "paper",
    "project",
    "venue",
    "job",
    "funding",
    "organization",
    "person",
    "channel",
    "guide",
    "topic",
)
DETAIL_OF_LIST = {f"community:{kind}-list": f"community:{kind}-detail" for kind in LISTED_KINDS}

TEXT_FIELDS = {
    "community:paper-list": ("title", "abstract"),
    "community:project-list": ("name", "description", "language", "license"),
    "community:venue-list": ("name", "full_name", "publisher", "description"),
    "community:deadline-list": ("label", "note"),
    "community:job-list": ("title", "description", "location"),
    "community:funding-list": ("title", "description", "eligibility"),
    "community:organization-list": ("name", "description", "country"),
    "community:person-list": ("name", "bio"),
    "community:channel-list": ("name", "description"),
    "community:guide-list": ("title", "summary", "body"),
    "community:topic-list": ("name", "description"),
}


def detail_url(item) -> str:
    return item.get_absolute_url()


def list_url(name: str) -> str:
    return reverse(name)
