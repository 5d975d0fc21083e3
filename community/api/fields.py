"""The catalogue API's own serializer fields; those every API shares are in common/api/fields.py."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from community.services.submissions import year_range


class YearField(serializers.IntegerField):
    """A year in submissions.year_range(), the range the service enforces (computed when the
    serializer is made, so the schema's `maximum` moves with the calendar)."""

    def __init__(self, **kwargs):
        first, last = year_range()
        kwargs.setdefault("min_value", first)
        kwargs.setdefault("max_value", last)
        message = _("Give a year between 1800 and five years from now.")
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message})
        super().__init__(**kwargs)
