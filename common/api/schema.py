"""OpenAPI generation (drf-spectacular): the error responses every operation can give, in one place.

`ApiAutoSchema` adds them from what the operation is (a list, a path with an id, a write) and what its
view declares (`error_statuses`, a dict of extra statuses per action), so no view repeats them and a
new endpoint is documented as soon as it exists. The schemathesis test checks the API answers only
with statuses the schema lists, and accepts every request the schema calls valid.

It also documents what DRF's defaults leave out: the `format` query parameter of every operation
(with the formats its renderers have; anything else is a 400 `unsupported_format`, see
common.api.negotiation), and that a request body takes no keys but its documented fields
(`additionalProperties: false`; an unknown key is refused with a 400).
"""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, NumberFilter
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.settings import api_settings

from common.api.fields import NO_NUL, NON_BLANK_TEXT, SLUG, TEXT, SlugRelatedField

ERROR_DESCRIPTIONS = {
    "400": _(
        "Invalid input: a body field, a filter or a query parameter (an unknown `format` is "
        "`unsupported_format`); `error.fields` says what is wrong with each field. Besides what the schema "
        "states, a write is refused when a slug names nothing published, or when fields disagree "
        "(an end before its start, amounts in the wrong order, an edition of another venue)."
    ),
    "401": _("Missing or invalid credentials (an unknown or revoked token, or a login that expired)."),
    "403": _(
        "Not allowed: writing needs an account, moderation a moderator, sweeps staff with the "
        "training permission (training.add_sweep to start, training.change_sweep to cancel or "
        "publish); a session (cookie) request that writes also needs the CSRF token."
    ),
    "404": _("Not found: an unknown slug or id, an unpublished item, or a page past the end."),
    "409": _(
        "The submission duplicates the catalogue. `error.code` is `duplicate` when an item with the same "
        "identifier exists (refused; `error.existing` links it) or `near_duplicate` when items with "
        'nearly the same title exist (listed in `error.existing`): resend with `"confirm": true` to '
        "submit anyway. `no_changes`: the edit gives every field the value it already has. Elsewhere "
        "(`conflict`): the state of what the request acts on refuses it, e.g. a moderation entry already "
        "decided or a sweep without a succeeded run to publish."
    ),
    "429": _("Too many requests; the `Retry-After` header says how many seconds to wait."),
}


class ExistingItemSerializer(serializers.Serializer):
    """An item a submission collides with."""

    type = serializers.CharField(help_text=_("The catalogue type, e.g. paper."))
    slug = serializers.CharField()
    name = serializers.CharField(help_text=_("Its title or name."))
    status = serializers.CharField(help_text=_("published or pending (waiting for review)."))
    web_url = serializers.URLField(allow_null=True)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_(
            "Stable, machine-readable: invalid, parse_error, unsupported_format, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, unsupported_media_type, duplicate, "
            "no_changes, "
            "near_duplicate, conflict, idempotency_key_reused, throttled, server_error."
        )
    )
    message = serializers.CharField(help_text=_("What went wrong, for a person."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Per input field, what is wrong with it (400 only; empty otherwise)."),
    )
    existing = ExistingItemSerializer(
        many=True, required=False, help_text=_("409 only: the items the submission collides with.")
    )


class ErrorSerializer(serializers.Serializer):
    """Every API error: 400, 401, 403, 404, 405, 409, 429 and 500."""

    error = ErrorDetailSerializer()


def _state_input_rules(field, schema: dict) -> None:
    """What DRF's input fields enforce and drf-spectacular leaves out of a request schema."""
    if getattr(field, "unique_items", False):
        schema["uniqueItems"] = True
    if isinstance(field, serializers.ListSerializer) and schema.get("type") == "array":
        # DeadlineInputSerializer(many=True, max_length=12): drf-spectacular leaves the bounds out.
        if field.max_length is not None:
            schema["maxItems"] = field.max_length
        if field.min_length is not None:
            schema["minItems"] = field.min_length
    if isinstance(field, SlugRelatedField):
        schema.pop("minLength", None)
        schema.update(type="string", pattern=SLUG.pattern)
    elif isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
        # "-", "." and "" match drf-spectacular's pattern but are no number.
        whole = field.max_whole_digits
        schema["pattern"] = (
            rf"^-?([0-9]{{1,{whole}}}(\.[0-9]{{1,{field.decimal_places}}})?|\.[0-9]{{1,{field.decimal_places}}})$"
        )
    elif (
        type(field) is serializers.CharField
        and schema.get("type") == "string"
        and not {"pattern", "enum", "format", "oneOf"} & set(schema)
    ):
        # The field's own RegexValidator when it has one (drf-spectacular states it only for fields of
        # a serializer, not for the items of a list).
        regexes = [v.regex.pattern for v in field.validators if isinstance(v, RegexValidator)]
        if regexes:
            schema["pattern"] = regexes[0]
        else:
            schema["pattern"] = TEXT if field.allow_blank or not field.trim_whitespace else NON_BLANK_TEXT


class ApiAutoSchema(AutoSchema):
    def error_statuses(self) -> set[str]:
        # 400 everywhere: any operation refuses an unknown `?format=`.
        statuses = {"400", "401", "429"}
        has_id = "{" in self.path
        if has_id:
            statuses.add("404")
        if self.method == "GET":
            if self._is_list_view():
                statuses.add("404")  # a page past the end
        else:
            statuses.add("403")
        action = getattr(self.view, "action", None) or self.method.lower()
        statuses |= set(getattr(self.view, "error_statuses", {}).get(action, ()))
        return statuses

    def _get_format_parameters(self):
        # DRF's ?format= override exists on every operation, not only those with two renderers.
        formats = self.map_renderers("format")
        if not api_settings.URL_FORMAT_OVERRIDE or not formats:
            return []
        return [
            build_parameter_type(
                name=api_settings.URL_FORMAT_OVERRIDE,
                schema=build_basic_type(OpenApiTypes.STR),
                location=OpenApiParameter.QUERY,
                enum=formats,
                description=str(
                    _("The answer's format; another value is refused (400 `unsupported_format`).")
                ),
            )
        ]

    def _get_filter_parameters(self):
        # A FilterSet's number filters refuse values outside min_value..max_value, and IntegerFilter
        # anything but a whole number; drf-spectacular states neither.
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        for parameter in parameters:
            filter_ = filterset.base_filters.get(parameter["name"]) if filterset else None
            schema = parameter["schema"]
            if isinstance(filter_, CharFilter):
                # A form CharField: no NUL, and its max_length.
                schema.setdefault("pattern", NO_NUL)
                if filter_.extra.get("max_length"):
                    schema["maxLength"] = filter_.extra["max_length"]
            if not isinstance(filter_, NumberFilter):
                continue
            if issubclass(filter_.field_class, forms.IntegerField):
                schema["type"] = "integer"
            for key, bound in (("minimum", "min_value"), ("maximum", "max_value")):
                if filter_.extra.get(bound) is not None:
                    schema[key] = filter_.extra[bound]
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request":
            _state_input_rules(field, schema)
        return schema

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and (one_of := getattr(serializer, "exactly_one_of", None)):
            schema["oneOf"] = [{"required": [name]} for name in one_of]
        if direction == "request" and schema.get("type") == "object" and "additionalProperties" not in schema:
            # A body has its documented fields only: submissions refuse an unknown key (a typo must not
            # vanish, SubmissionInputSerializer.validate), the other writes ignore it.
            schema["additionalProperties"] = False
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if status in responses:
                continue
            # Errors are JSON whatever the operation renders otherwise (BibTeX, for one).
            response = self._get_response_for_code(
                ErrorSerializer, status, media_types=["application/json"], direction=direction
            )
            response["description"] = str(ERROR_DESCRIPTIONS[status])
            responses[status] = response
        return responses


def reads_schema(list_summary, list_description, retrieve_summary, retrieve_description) -> dict:
    """A viewset's two reads (list and retrieve), each with its summary and description, for
    `extend_schema_view(**reads_schema(...), <the writes>)`."""
    return {
        "list": extend_schema(summary=list_summary, description=list_description),
        "retrieve": extend_schema(summary=retrieve_summary, description=retrieve_description),
    }
