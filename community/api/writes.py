"""Writing to the catalogue through the API: every write is a submission for the moderators.

- `POST /api/v1/<type>/` submits a new item: `community.services.submissions.<type>_submit` (the
  function the web form calls), which creates it *pending*; the answer is 202 with a receipt.
- `PUT` / `PATCH /api/v1/<type>/<slug>/` suggests an edit of a published item (`edit_suggest`); nothing
  changes before a moderator approves it. `PUT` takes every required field, `PATCH` only those to change.
- `POST /api/v1/<type>/<slug>/report/` reports a problem (`report_create`).
- `POST /api/v1/venues/<slug>/editions/` submits a conference edition with its deadlines (`edition_submit`).

Duplicates answer 409 (see common.api.errors.Conflict): `duplicate` when an item with the same
identifier exists (arXiv id, DOI, repository, unique name; refused whatever the client sends), and
`near_duplicate` when items with nearly the same title exist; the same request with `"confirm": true`
is then accepted. Any other problem the service finds is a 400 naming the field.

The input serializers convert (slugs to published items, text to dates and numbers) and declare the
rules a JSON Schema can state (lengths, ranges, patterns, choices, required and non-blank fields), so
the OpenAPI schema tells a client what the API accepts (common.api.schema; tests/api/test_fuzz.py
checks every request the schema calls valid is accepted). The service still checks everything (what
may be set, duplicates, dates in order, ORCID format), so the web form and the API can never
disagree. Their fields are the kind's registry entry (community.kinds), related items by slug, plus
what a class declares; none of them is server-owned (status, slug, created_by, timestamps, a
project's stars and other fetched stats).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from common.api.errors import Conflict
from common.api.fields import (
    ARXIV_ID,
    CURRENCY,
    DOI,
    LOCAL_DATETIME,
    NAME,
    ORCID,
    REPOSITORY_URL,
    WEB_URL,
    SlugRelatedField,
    UniqueListField,
    pattern,
    timezone_label_field,
)
from community.kinds import KIND, kind_of
from community.models import (
    Deadline,
    ModerationStatus,
    Report,
    Venue,
)
from community.services import submissions
from community.services.rate_limits import RateLimited, client_ip
from community.translation import language_columns, translated_fields

from .fields import YearField

PUBLISHED = ModerationStatus.PUBLISHED
# Fields every catalogue item has that only the server sets; sent in a body, they are ignored.
SERVER_OWNED = frozenset({"status", "slug", "created_by", "created_at", "updated_at"})


# --- conflicts ----------------------------------------------------------------------------------------


def existing_ref(item, request=None) -> dict:
    """A short reference to an item a submission collides with (pending items have no public page)."""
    url = None
    if item.status == PUBLISHED and hasattr(item, "get_absolute_url"):
        path = item.get_absolute_url()
        url = request.build_absolute_uri(path) if request else path
    name = getattr(item, "title", None) or getattr(item, "name", None) or str(item)
    return {"type": kind_of(item), "slug": item.slug, "name": name, "status": item.status, "web_url": url}


def submission_conflict(exc: DjangoValidationError, request) -> Conflict | None:
    """The 409 for a service's DuplicateItem / NearDuplicate, or an edit that changes nothing (the item
    already is so: the request conflicts with its state, though its body is valid); None for any other
    ValidationError."""
    if getattr(exc, "code", None) == "no_changes":
        return Conflict(exc.messages[0], code="no_changes")
    if isinstance(exc, submissions.DuplicateItem):
        return Conflict(exc.messages[0], code="duplicate", existing=[existing_ref(exc.item, request)])
    if isinstance(exc, submissions.NearDuplicate):
        message = exc.messages[0] + " " + _('To submit anyway, send the same request with "confirm": true.')
        return Conflict(
            message, code="near_duplicate", existing=[existing_ref(item, request) for item in exc.items]
        )
    return None


def call_service(request, service, **kwargs):
    """Run a submission service with the client's address (the services count every submission path
    against one budget, community.services.rate_limits); its duplicate errors become 409s, other
    ValidationErrors 400s (through the exception handler, which names the fields), and an exhausted
    budget a 429 with Retry-After."""
    try:
        return service(ip=client_ip(request), **kwargs)
    except RateLimited as exc:
        raise Throttled(
            wait=exc.wait_seconds,
            detail=_("You have sent %(count)s submissions in the last hour; please wait %(minutes)s minutes.")
            % {"count": exc.count, "minutes": exc.wait_minutes},
        ) from exc
    except DjangoValidationError as exc:
        conflict = submission_conflict(exc, request)
        if conflict is not None:
            raise conflict from exc
        raise


# --- input serializers ---------------------------------------------------------------------------------


def published_slug(model, **kwargs) -> serializers.SlugRelatedField:
    """A related published item, named by its slug."""
    return SlugRelatedField(slug_field="slug", queryset=model.objects.published(), **kwargs)


class SubmissionInputSerializer(serializers.ModelSerializer):
    """Base of the input serializers: converts, leaves every rule to the service.

    Uniqueness is not checked here on purpose: the service's duplicate check answers an existing name
    or identifier with a 409 that links the item, which is more useful than "already exists".
    Keys that are neither input fields nor fields the API shows are refused (a typo must not be
    silently dropped); shown fields the server owns (`status`, `slug`, ...) are ignored, so a client
    can send back what it read.
    """

    confirm = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text=gettext_lazy("Submit even though items with a nearly identical title exist (after a 409)."),
    )
    read_fields: frozenset[str] = frozenset()

    class Meta:
        validators = []  # no unique_together checks: see the class docstring

    # The web addresses a URLField takes, beyond Django's URLValidator: only what the schema can state
    # (http or https and a host name; a repository also needs a path), so the two agree.
    url_patterns = {"repository_url": REPOSITORY_URL}
    relation_help = {"topics": gettext_lazy("Slugs of published topics.")}

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        if issubclass(field_class, serializers.URLField):
            regex = self.url_patterns.get(field_name, WEB_URL)
            kwargs["validators"].append(pattern(regex, _("Enter a valid web address (http or https)."), ignore_case=True))
        return field_class, kwargs

    # Set by a subclass: the registry's kind (community.kinds) whose fields it takes, and what those
    # fields need beyond what the model states (patterns, help, not required): Meta.extra_kwargs.
    catalogue_kind = ""
    field_rules: dict[str, dict] = {}

    def __init_subclass__(cls, **kwargs):
        # Meta from the registry: the kind's fields, then the ones the class declares besides (a venue's
        # kind, a local deadline, an edition's deadlines), then `confirm`.
        super().__init_subclass__(**kwargs)
        if "catalogue_kind" in cls.__dict__:
            kind = KIND[cls.catalogue_kind]
            declared = [name for name in cls._declared_fields if name not in (*kind.fields, "confirm")]
            # A per-language text (community.translation) is `description` in the request's language
            # (?lang= or Accept-Language) and, explicitly, `description_en` / `description_zh_hans`.
            translated = translated_fields(kind.model)
            fields = []
            for name in kind.fields:
                fields.append(name)
                if name in translated:
                    fields.extend(column for column, _code in language_columns(name))
            fields = [*fields, *declared, "confirm"]
            rules = dict(cls.field_rules)
            for name in translated:
                for column, code in language_columns(name):
                    rules.setdefault(column, {}).setdefault(
                        "help_text",
                        format_lazy(
                            gettext_lazy("`{field}` in {language} ({code}), whatever the request's language."),
                            field=name,
                            language=get_language_info(code)["name"],
                            code=code,
                        ),
                    )

            class Meta:
                model = kind.model
                validators = []
                extra_kwargs = rules

            Meta.fields = fields
            cls.Meta = Meta

    @classmethod
    def for_edits(cls, excluded: tuple[str, ...] = ()) -> type["SubmissionInputSerializer"]:
        """The same fields with a `comment`, without `confirm` (an edit is never held back for
        similar titles) and without `excluded` (what only a submission sets): `<Kind>EditSerializer`."""
        dropped = {"confirm", *excluded}
        fields = [name for name in cls.Meta.fields if name not in dropped] + ["comment"]
        meta = type("Meta", (cls.Meta,), {"fields": fields})
        attrs = {"Meta": meta, "__module__": cls.__module__, **dict.fromkeys(dropped)}  # None drops a field
        return type(cls.__name__.replace("InputSerializer", "EditSerializer"), (EditInputMixin, cls), attrs)

    def build_relational_field(self, field_name, relation_info):
        # A related item is named by its slug and must be published (the service checks it again).
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        model = relation_info.related_model
        kwargs.update(slug_field="slug", queryset=model.objects.published())
        if field_name in self.relation_help:
            kwargs.setdefault("help_text", self.relation_help[field_name])
        return SlugRelatedField, kwargs

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields) - self.read_fields - SERVER_OWNED)
            if unknown:
                raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
        return attrs


_ARXIV_MESSAGE = gettext_lazy("Not an arXiv identifier (expected e.g. 1706.03762 or hep-th/9901001).")
_DOI_MESSAGE = gettext_lazy("Not a DOI (expected e.g. 10.1038/nature14236).")


class PaperInputSerializer(SubmissionInputSerializer):
    year = YearField()
    authors = UniqueListField(
        # One space between words, none around: the service tidies names so, and a name listed twice
        # is refused, which `uniqueItems` can state only of tidy names.
        child=serializers.CharField(
            max_length=200, validators=[pattern(NAME, gettext_lazy("Write the name with single spaces."))]
        ),
        min_length=1,
        max_length=submissions.MAX_AUTHORS,
        help_text=gettext_lazy(
            "Author names in order, at least one, each once. Each is matched to the person of exactly "
            "that name, else a new person is submitted with the paper."
        ),
    )
    catalogue_kind = "paper"
    field_rules = dict(
        arxiv_id={"validators": [pattern(ARXIV_ID, _ARXIV_MESSAGE, ignore_case=True)]},
        doi={"validators": [pattern(DOI, _DOI_MESSAGE, ignore_case=True)]},
    )


class VenueInputSerializer(SubmissionInputSerializer):
    kind = serializers.ChoiceField(
        choices=Venue.Kind.choices,
        default=Venue.Kind.JOURNAL,
        help_text=gettext_lazy(
            "On submission only: a journal, or a conference (whose editions are then submitted at "
            "/venues/{slug}/editions/)."
        ),
    )
    catalogue_kind = "venue"


class JobInputSerializer(SubmissionInputSerializer):
    catalogue_kind = "job"
    field_rules = dict(posted_on={"required": False, "help_text": gettext_lazy("Today when left out.")})


class FundingInputSerializer(SubmissionInputSerializer):
    deadline_timezone = timezone_label_field(required=False)
    deadline_local = serializers.CharField(
        required=False,
        write_only=True,
        validators=[pattern(LOCAL_DATETIME, gettext_lazy("Enter a date and time, e.g. 2027-05-15T23:59."))],
        help_text=gettext_lazy(
            "The deadline as announced, without an offset (e.g. 2027-05-15T23:59), in `deadline_timezone` "
            "(AoE, UTC, UTC+8 or an IANA name); stored as the UTC instant. Or give `deadline` with an offset."
        ),
    )
    catalogue_kind = "funding"
    field_rules = dict(
        currency={
            "validators": [
                pattern(CURRENCY, gettext_lazy("Give the ISO 4217 code, e.g. EUR."), ignore_case=True)
            ],
            "help_text": gettext_lazy("ISO 4217, e.g. EUR; needed with an amount."),
        },
        amount_max={"help_text": gettext_lazy("At least `amount_min`.")},
    )


class PersonInputSerializer(SubmissionInputSerializer):
    catalogue_kind = "person"
    field_rules = dict(
        orcid={"validators": [pattern(ORCID, gettext_lazy("An ORCID iD looks like 0000-0002-1825-0097."))]}
    )


def input_serializer(kind: str) -> type[SubmissionInputSerializer]:
    """`<Kind>InputSerializer` for a kind that needs nothing beyond its registry entry and its model
    (projects, channels, organisations, guides, topics: their viewsets make theirs with this)."""
    name = f"{KIND[kind].class_prefix}InputSerializer"
    return type(name, (SubmissionInputSerializer,), {"__module__": __name__, "catalogue_kind": kind})


class DeadlineInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Deadline.Kind.choices)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_local = serializers.CharField(
        validators=[pattern(LOCAL_DATETIME, gettext_lazy("Enter a date and time, e.g. 2027-05-15T23:59."))],
        help_text=gettext_lazy("The date and time as announced, e.g. 2027-05-15T23:59, in `timezone_label`."),
    )
    timezone_label = timezone_label_field(default="AoE")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EditionInputSerializer(SubmissionInputSerializer):
    year = YearField()
    deadlines = DeadlineInputSerializer(many=True, required=False, max_length=submissions.MAX_DEADLINES)
    catalogue_kind = "edition"


class EditInputMixin(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=gettext_lazy("Why the change: a source, what was wrong."),
    )


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- receipts ------------------------------------------------------------------------------------------


class SubmissionReceiptSerializer(serializers.Serializer):
    """What a write answers: the new pending submission, suggestion or report."""

    type = serializers.CharField(help_text=gettext_lazy("paper, ..., edit (a suggested edit) or report."))
    id = serializers.IntegerField()
    slug = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The new item's slug (null for edits and reports).")
    )
    status = serializers.CharField(help_text=gettext_lazy("Always pending: a moderator decides."))
    moderation_id = serializers.CharField(
        help_text=gettext_lazy("Its id in the moderation queue (/api/v1/moderation/{moderation_id}/).")
    )
    changes = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=gettext_lazy("Edits only: the fields proposed."),
    )
    message = serializers.CharField()


def receipt(*, type_: str, obj, slug=None, changes=None) -> dict:
    body = {
        "type": type_,
        "id": obj.pk,
        "slug": slug,
        "status": ModerationStatus.PENDING,
        "moderation_id": f"{type_}-{obj.pk}",
        "message": _("Thank you. A moderator will review it before anything is published."),
    }
    if changes is not None:
        body["changes"] = changes
    return body


# --- the viewset mixin ---------------------------------------------------------------------------------

WRITE_ERRORS = {
    "create": ("409",),
    "update": ("409",),
    "partial_update": ("409",),
}


def service_data(validated: dict) -> dict:
    data = dict(validated)
    data.pop("confirm", None)
    data.pop("comment", None)
    return data


class SubmissionWriteMixin:
    """create / update / partial_update / report for a CatalogueReadViewSet.

    Subclasses set `input_serializer_class` and may override `submit()` (venues pass their kind)."""

    input_serializer_class = None
    error_statuses = WRITE_ERRORS

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_serializer_class
        if self.action in ("update", "partial_update"):
            return self.edit_serializer_class()
        if self.action == "report":
            return ReportInputSerializer
        return super().get_serializer_class()

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if isinstance(serializer, SubmissionInputSerializer):
            read_class = self.detail_serializer_class or self.serializer_class
            serializer.read_fields = frozenset(read_class().fields)
        return serializer

    # Submission fields an edit may not change (a venue's kind is decided when it is submitted).
    edit_excluded_fields: tuple[str, ...] = ()

    @classmethod
    def edit_serializer_class(cls):
        if "_edit_serializer" not in cls.__dict__:
            cls._edit_serializer = cls.input_serializer_class.for_edits(cls.edit_excluded_fields)
        return cls._edit_serializer

    def submit(self, data: dict, *, confirm: bool):
        model = self.input_serializer_class.Meta.model
        return call_service(
            self.request,
            submissions.SUBMIT_SERVICES[model],
            data=data,
            user=self.request.user,
            confirm=confirm,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = self.submit(
            service_data(serializer.validated_data), confirm=serializer.validated_data["confirm"]
        )
        return Response(
            receipt(type_=kind_of(item), obj=item, slug=item.slug), status=status.HTTP_202_ACCEPTED
        )

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        changes = service_data(serializer.validated_data)
        suggestion = call_service(
            request,
            submissions.edit_suggest,
            item=item,
            changes=changes,
            user=request.user,
            comment=serializer.validated_data.get("comment", ""),
        )
        return Response(
            receipt(type_="edit", obj=suggestion, changes=suggestion.changes), status=status.HTTP_202_ACCEPTED
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Report a problem with a published item"),
        request=ReportInputSerializer,
        responses={202: SubmissionReceiptSerializer},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = call_service(
            request,
            submissions.report_create,
            item=item,
            reason=serializer.validated_data["reason"],
            message=serializer.validated_data["message"],
            user=request.user,
        )
        return Response(receipt(type_="report", obj=report), status=status.HTTP_202_ACCEPTED)
