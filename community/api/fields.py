"""Serializer fields the API's writes share."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing before any query what cannot be a slug: PostgreSQL rejects a
    NUL byte in a query parameter with an error (a 500), where no match is the right answer (a 400)."""

    default_error_messages = {
        "does_not_exist": _("Nothing published has the slug “{value}”."),
        "invalid": _("Give a slug (letters, digits, - and _)."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _SLUG.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)
