"""What the API reads and writes, one section per catalogue family.

Reading: every serializer works on the querysets of `community.selectors`, whose prefetches hold
only published related items; a forward foreign key (a paper's venue, a person's affiliation) is
fetched with select_related and may point at an unpublished item, so `PublicRef` answers null for
those. No serializer here issues a query of its own, which is what keeps a list endpoint's query
count independent of the page size.

Writing (community.api.writes): the input serializers take the fields of the kind's registry entry
(community.kinds), which a contributor sets. Server-owned fields (status,
created_by, slug, timestamps, stars and other fetched stats) are not among them, so a client can
never set them; the validated data goes to the submission services unchanged.
"""

import copy

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import SlugIdentityLink, SlugLink
from community.kinds import KIND, REGISTRY
from community.models import (
    AcceptanceRate,
    Authorship,
    Deadline,
    Edition,
    ModerationStatus,
    Provenance,
    Venue,
)
from community.translation import LANGUAGE_CODES, language_columns, translated_fields

PUBLISHED = ModerationStatus.PUBLISHED
SLUG_LOOKUP = {"lookup_field": "slug"}


# --- short references to related items ------------------------------------------------------------


class PublicRef(serializers.Serializer):
    """A related item as {slug, name, url}; null when the item is not published (yet)."""

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if value is not None and getattr(value, "status", PUBLISHED) != PUBLISHED:
            return None
        return value


def _api_url(view_name: str) -> SlugIdentityLink:
    return SlugIdentityLink(view_name=view_name, **SLUG_LOOKUP)


def reference(kind_name: str, **extra: serializers.Field) -> type[PublicRef]:
    """The short reference to an item of a kind: {slug, its title or name, *extra, api_url}, as a
    class named `<Kind>Ref` (the OpenAPI component's name)."""
    kind = KIND[kind_name]
    attrs = {
        "slug": serializers.SlugField(read_only=True),
        kind.title_field: serializers.CharField(read_only=True),
        # Copies, made now: DRF orders declared fields by when they were made.
        **{name: copy.deepcopy(field) for name, field in extra.items()},
        "api_url": _api_url(kind.api_url_name),
        "__module__": __name__,
    }
    return type(f"{kind.class_prefix}Ref", (PublicRef,), attrs)


TopicRef = reference("topic")
PersonRef = reference("person")
OrganizationRef = reference("organization")
VenueRef = reference("venue", kind=serializers.ChoiceField(choices=Venue.Kind.choices, read_only=True))
ProjectRef = reference("project")
PaperRef = reference("paper", year=serializers.IntegerField(read_only=True))
GuideRef = reference("guide")
JobRef = reference("job")
FundingRef = reference("funding")


class EditionRef(PublicRef):
    year = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class AuthorSerializer(serializers.ModelSerializer):
    """One author of a paper, in author-list order (`position` 0 is the first author)."""

    slug = serializers.SlugField(source="person.slug", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    api_url = SlugLink(source="person", view_name="api:person-detail", read_only=True, **SLUG_LOOKUP)

    class Meta:
        model = Authorship
        fields = ["position", "slug", "name", "api_url"]
        read_only_fields = fields


class OptionalURLField(serializers.URLField):
    """A link the item may not have: null rather than "" (which is not a URI), so a client tests for
    null and a schema validator accepts it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class BlankURLsAsNull:
    """ModelSerializer mixin: an optional URL field of the model (blank=True) reads as OptionalURLField."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.URLField) and model_field.blank:
            field_class = OptionalURLField
            kwargs["allow_null"] = True
        return field_class, kwargs


# --- the fields every catalogue item shares ---------------------------------------------------------

CATALOGUE_FIELDS = ["api_url", "web_url", "slug", "status", "created_at", "updated_at"]


@extend_schema_field({"type": "string", "enum": list(LANGUAGE_CODES), "nullable": True})
class TextLanguageField(serializers.Field):
    """`description_language`: the language the item's `description` is in, as answered: the one
    requested (Content-Language), another one where the item has no text in it yet (a fallback),
    or null where it has none at all."""

    def __init__(self, name: str, **kwargs):
        self.text_field = name
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, obj):
        requested = get_language()
        order = [requested, *(code for code in LANGUAGE_CODES if code != requested)]
        columns = dict((code, column) for column, code in language_columns(self.text_field))
        for code in order:
            if getattr(obj, columns.get(code, ""), None):
                return code
        return None


class CatalogueSerializer(BlankURLsAsNull, serializers.HyperlinkedModelSerializer):
    """Read-only: `api_url` is this item in the API, `web_url` its portal page. (`url`, where a
    model has one, keeps its meaning: the paper's own link, a channel's address.)"""

    url_field_name = "api_url"
    serializer_url_field = SlugIdentityLink
    web_url = serializers.SerializerMethodField()

    catalogue_kind = ""  # the registry's name of the model shown (community.kinds)
    shown_fields: list[str] = []  # after CATALOGUE_FIELDS; all read-only

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "shown_fields" in cls.__dict__:
            kind, fields = KIND[cls.catalogue_kind], [*CATALOGUE_FIELDS, *cls.shown_fields]

            class Meta:
                model = kind.model
                read_only_fields = fields
                extra_kwargs = {"api_url": {"view_name": kind.api_url_name, **SLUG_LOOKUP}}

            # Beside each per-language text, the language it is in (TextLanguageField).
            for name in translated_fields(kind.model):
                if name in cls.shown_fields:
                    cls._declared_fields[f"{name}_language"] = TextLanguageField(
                        name,
                        help_text=format_lazy(
                            gettext_lazy(
                                "The language `{field}` is in: the one asked for (Content-Language), "
                                "another where the item has no text in that one yet, null where it has none."
                            ),
                            field=name,
                        ),
                    )
                    fields.insert(fields.index(name) + 1, f"{name}_language")
            Meta.fields = fields
            cls.Meta = Meta

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


# --- topics --------------------------------------------------------------------------------------


class TopicSerializer(CatalogueSerializer):
    parent = TopicRef(read_only=True, allow_null=True)

    catalogue_kind = "topic"
    shown_fields = ["name", "description", "parent"]


class TopicDetailSerializer(TopicSerializer):
    children = TopicRef(many=True, read_only=True)

    shown_fields = ["name", "description", "parent", "children"]


# --- people and organisations ---------------------------------------------------------------------


class OrganizationSerializer(CatalogueSerializer):
    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "organization"
    shown_fields = ["name", "kind", "description", "country", "website", "topics"]


class OrganizationDetailSerializer(OrganizationSerializer):
    people = PersonRef(source="listed_people", many=True, read_only=True)
    projects = ProjectRef(source="listed_projects", many=True, read_only=True)
    open_jobs = JobRef(many=True, read_only=True)
    funding = FundingRef(source="listed_funding", many=True, read_only=True)
    guides = GuideRef(many=True, read_only=True)

    shown_fields = [
        *["name", "kind", "description", "country", "website", "topics"],
        *["people", "projects", "open_jobs", "funding", "guides"],
    ]


class PersonSerializer(CatalogueSerializer):
    affiliation = OrganizationRef(read_only=True, allow_null=True)

    catalogue_kind = "person"
    shown_fields = ["name", "affiliation", "homepage", "orcid", "bio"]


class PersonDetailSerializer(PersonSerializer):
    papers = PaperRef(many=True, read_only=True)

    shown_fields = ["name", "affiliation", "homepage", "orcid", "bio", "papers"]


# --- venues, editions, deadlines --------------------------------------------------------------------


class AnnouncedDateTimeField(serializers.DateTimeField):
    """A deadline's instant in the zone it was announced in (its own offset, not converted to UTC)."""

    def get_attribute(self, instance):
        try:
            return instance.announced_at
        except Exception:  # noqa: BLE001 - a label no zone matches (an old import) must not cost a 500
            return instance.due_at

    def enforce_timezone(self, value):
        return value


class ProvenanceSerializer(serializers.ModelSerializer):
    """Where an imported item came from: the source (a tracker), its file, the revision (a commit or a
    fetch date), and the licence and attribution it asks for."""

    class Meta:
        model = Provenance
        fields = ["source", "file", "revision", "licence", "attribution"]
        read_only_fields = fields


class NestedDeadlineSerializer(serializers.ModelSerializer):
    """A deadline inside its venue or edition (so without the venue again), with the sources that
    give it (two trackers: two entries; entered by hand: none)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:deadline-detail")
    announced_at = AnnouncedDateTimeField(read_only=True)
    # Prefetched by community.selectors.venues.venue_detail.
    sources = ProvenanceSerializer(many=True, read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "api_url",
            "kind",
            "label",
            "due_at",
            "timezone_label",
            "announced_at",
            "note",
            "sources",
        ]
        read_only_fields = fields


class DeadlineSerializer(NestedDeadlineSerializer):
    """A deadline: `due_at` in UTC, `announced_at` the same instant in the zone it was announced
    in (`timezone_label`, e.g. AoE), so a client can print "23:59 AoE"."""

    # The nested deadline with its venue and edition; its sources are prefetched by DeadlineViewSet.
    venue = VenueRef(read_only=True)
    edition = EditionRef(read_only=True, allow_null=True)

    class Meta(NestedDeadlineSerializer.Meta):
        fields = ["id", "api_url", "venue", "edition", *NestedDeadlineSerializer.Meta.fields[2:]]
        read_only_fields = fields


class EditionSerializer(BlankURLsAsNull, serializers.ModelSerializer):
    deadlines = NestedDeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Edition
        fields = ["slug", "year", "start_date", "end_date", "city", "country", "website", "deadlines"]
        read_only_fields = fields


class AcceptanceRateSerializer(BlankURLsAsNull, serializers.ModelSerializer):
    """One year's acceptance figures; `rate` is a fraction (0.22), `source_url` where it was published."""

    class Meta:
        model = AcceptanceRate
        fields = ["year", "submitted", "accepted", "rate", "source_url"]
        read_only_fields = fields


# The ranks and the dblp key come from the ccf-deadlines tracker (N: not ranked; "": not known).
VENUE_FIELDS = [
    *["name", "full_name", "kind", "publisher", "website", "description", "topics"],
    *["ccf_rank", "core_rank", "thcpl_rank", "ccf_field", "dblp_key"],
]


class VenueSerializer(CatalogueSerializer):
    topics = TopicRef(many=True, read_only=True)
    # Plain strings, not enums: "" (not known) is a value too.
    ccf_rank = serializers.CharField(
        read_only=True, help_text=gettext_lazy("CCF rank: A, B, C, N (not ranked) or empty.")
    )
    core_rank = serializers.CharField(
        read_only=True, help_text=gettext_lazy("CORE rank: A*, A, B, C, N (not ranked) or empty.")
    )
    thcpl_rank = serializers.CharField(
        read_only=True, help_text=gettext_lazy("THCPL rank: A, B, N (not ranked) or empty.")
    )
    ccf_field = serializers.CharField(
        read_only=True, help_text=gettext_lazy("CCF field: AI, CG, CT, DB, DS, HI, MX, NW, SC, SE or empty.")
    )

    catalogue_kind = "venue"
    shown_fields = VENUE_FIELDS


class VenueDetailSerializer(VenueSerializer):
    """A venue with its published editions (each with its deadlines), the deadlines of no edition
    (a journal's special issues), its newest papers and the guides that mention it."""

    editions = EditionSerializer(many=True, read_only=True)
    deadlines = NestedDeadlineSerializer(source="venue_deadlines", many=True, read_only=True)
    acceptance_rates = AcceptanceRateSerializer(many=True, read_only=True)
    recent_papers = PaperRef(many=True, read_only=True)
    guides = GuideRef(many=True, read_only=True)

    shown_fields = [*VENUE_FIELDS, "editions", "deadlines", "acceptance_rates", "recent_papers", "guides"]


# --- papers and projects ----------------------------------------------------------------------------

PAPER_FIELDS = [
    *["title", "abstract", "year", "authors", "venue", "edition", "volume", "issue", "pages"],
    *["arxiv_id", "doi", "url", "pdf_url", "code_url", "arxiv_url", "doi_url", "topics"],
]


class PaperSerializer(CatalogueSerializer):
    authors = AuthorSerializer(source="authorships", many=True, read_only=True)
    venue = VenueRef(read_only=True, allow_null=True)
    edition = EditionRef(read_only=True, allow_null=True)
    arxiv_url = OptionalURLField(read_only=True)
    doi_url = OptionalURLField(read_only=True)
    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "paper"
    shown_fields = PAPER_FIELDS


class PaperDetailSerializer(PaperSerializer):
    projects = ProjectRef(many=True, read_only=True)
    guides = GuideRef(many=True, read_only=True)

    shown_fields = [*PAPER_FIELDS, "projects", "guides"]


PROJECT_FIELDS = [
    *["name", "description", "kind", "repository_url", "homepage", "license", "language", "organization"],
    *["topics", "stars", "forks", "last_activity_at", "stats_fetched_at"],
]


class ProjectSerializer(CatalogueSerializer):
    organization = OrganizationRef(read_only=True, allow_null=True)
    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "project"
    shown_fields = PROJECT_FIELDS


class ProjectDetailSerializer(ProjectSerializer):
    papers = PaperRef(many=True, read_only=True)
    guides = GuideRef(many=True, read_only=True)

    shown_fields = [*PROJECT_FIELDS, "papers", "guides"]


# --- careers, funding, channels, guides ---------------------------------------------------------------


class JobSerializer(CatalogueSerializer):
    organization = OrganizationRef(read_only=True, allow_null=True)
    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "job"
    shown_fields = [
        *["title", "organization", "description", "kind", "location", "remote", "apply_url"],
        # closed_at: when the posting stopped taking applications (past its closing date, or
        # closed early by a moderator); null while it is open. Read-only, like every field here.
        *["posted_on", "closes_on", "closed_at", "topics"],
    ]


class FundingSerializer(CatalogueSerializer):
    funder = OrganizationRef(read_only=True, allow_null=True)
    topics = TopicRef(many=True, read_only=True)
    # Decimals as strings, so no amount loses precision in a client's floats.
    amount_min = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    amount_max = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)

    catalogue_kind = "funding"
    shown_fields = [
        *["title", "funder", "description", "kind", "amount_min", "amount_max", "currency"],
        *["deadline", "deadline_timezone", "rolling", "closed_at", "eligibility", "url", "topics"],
    ]


class ChannelSerializer(CatalogueSerializer):
    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "channel"
    shown_fields = ["name", "kind", "url", "description", "topics"]


class GuideSerializer(CatalogueSerializer):
    """A guide without its body (lists defer it); the detail adds `body` (Markdown with LaTeX)."""

    topics = TopicRef(many=True, read_only=True)

    catalogue_kind = "guide"
    shown_fields = ["title", "summary", "reviewed_on", "topics"]


class GuideDetailSerializer(GuideSerializer):
    papers = PaperRef(many=True, read_only=True)
    projects = ProjectRef(many=True, read_only=True)
    venues = VenueRef(many=True, read_only=True)
    organizations = OrganizationRef(many=True, read_only=True)

    shown_fields = [
        "title",
        "summary",
        "reviewed_on",
        "body",
        "topics",
        "papers",
        "projects",
        "venues",
        "organizations",
    ]


# --- one item in full, by model -------------------------------------------------------------------

# What each model's detail endpoint shows (`GET /api/v1/papers/<slug>/`); the moderation queue shows
# a submitted item, and the item an edit or a report concerns, the same way. Editions have no
# endpoint of their own (they are shown on their venue).
DETAIL_SERIALIZERS: dict[type[models.Model], type[serializers.Serializer]] = {
    kind.model: globals().get(f"{kind.class_prefix}DetailSerializer")
    or globals()[f"{kind.class_prefix}Serializer"]
    for kind in REGISTRY
    if kind.has_page
}
