"""OpenAPI generation (drf-spectacular): the error responses every operation can give, in one place.

`ApiAutoSchema` adds them from what the operation is (a list, a path with an id, a write) and what its
view declares (`error_statuses`, a dict of extra statuses per action), so no view repeats them and a
new endpoint is documented as soon as it exists. The schemathesis test checks the API answers only
with statuses the schema lists.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": _(
        "Invalid input: a body field, a filter or a query parameter; `error.fields` says what is wrong "
        "with each field."
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
        "submit anyway."
    ),
    "422": _(
        "`idempotency_key_reused`: the `Idempotency-Key` already went with a different request; send a "
        "new key for a new request."
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
            "Stable, machine-readable: invalid, parse_error, not_authenticated, authentication_failed, "
            "permission_denied, not_found, method_not_allowed, unsupported_media_type, duplicate, "
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


class ApiAutoSchema(AutoSchema):
    def error_statuses(self) -> set[str]:
        statuses = {"401", "429"}
        has_id = "{" in self.path
        if has_id:
            statuses.add("404")
        if self.method == "GET":
            if self._is_list_view():
                statuses |= {"400", "404"}  # a bad filter value; a page past the end
        else:
            statuses |= {"400", "403"}
        action = getattr(self.view, "action", None) or self.method.lower()
        statuses |= set(getattr(self.view, "error_statuses", {}).get(action, ()))
        return statuses

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
