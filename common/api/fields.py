"""Serializer fields and patterns the API's writes share, community's and training's alike."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.timezones import timezone_labels

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing before any query what cannot be a slug: PostgreSQL rejects a
    NUL byte in a query parameter with an error (a 500), where no match is the right answer (a 400)."""

    default_error_messages = {
        "does_not_exist": _("Nothing published has the slug “{value}”."),
        "invalid": _("Give a slug (letters, digits, - and _)."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


_SLUG_MARK = "dc-slug-mark"  # a valid slug that no real one equals, put where each link's slug goes


class LinkBySlug:
    """For DRF's hyperlinked fields: a link looked up by slug is built from one reversed URL per view
    and request, the slug put in, instead of a `reverse()` and `build_absolute_uri()` per link. A page
    of twenty papers holds about 180 links (authors, topics, venues), and reversing them was an
    eighth of an API search page's time (benchmarks/RESULTS.md). A slug of slug characters needs no
    quoting, so the link is the one DRF makes; any other lookup or value goes through DRF's way."""

    def get_url(self, obj, view_name, request, format):
        value = getattr(obj, self.lookup_field, None)
        if (
            request is None
            or self.lookup_field != "slug"
            or not isinstance(value, str)
            or not SLUG.match(value)
            or getattr(obj, "pk", 0) in (None, "")
        ):
            return super().get_url(obj, view_name, request, format)
        templates = request.__dict__.setdefault("_link_templates", {})
        key = (view_name, format, self.lookup_url_kwarg)
        if key not in templates:
            url = self.reverse(
                view_name, kwargs={self.lookup_url_kwarg: _SLUG_MARK}, request=request, format=format
            )
            templates[key] = url if url.count(_SLUG_MARK) == 1 else None
        template = templates[key]
        if template is None:
            return super().get_url(obj, view_name, request, format)
        return template.replace(_SLUG_MARK, value)


class SlugLink(LinkBySlug, serializers.HyperlinkedRelatedField):
    pass


class SlugIdentityLink(LinkBySlug, serializers.HyperlinkedIdentityField):
    pass


# --- constraints the write serializers declare, so the schema states them (drf-spectacular turns a
# RegexValidator into `pattern`, min/max values into `minimum`/`maximum`) -------------------------------

# White space as Python's str.strip() and as JavaScript's \s see it (they differ: \x1c-\x1f, \x85,
# \ufeff), with the other control characters: a pattern that keeps clear of all of them means the same
# to a client and to the server.
SPACE = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

# A web address Django's URLValidator accepts, written so the schema can state it: http(s), a host
# name with a top-level domain, an optional port and path. Checked case-insensitively, like Django.
WEB_URL = rf"^https?://([a-z0-9]([a-z0-9-]{{0,61}}[a-z0-9])?\.)+[a-z]{{2,63}}(:[0-9]{{1,5}})?(/[^{SPACE}]*)?$"
# A repository: the same with a path whose segments name something (community.identifiers.normalize_repo_url).
REPOSITORY_URL = (
    r"^https?://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:[0-9]{1,5})?"
    r"(/[-a-z0-9_~][-a-z0-9_.~]*)+/?$"
)
# What community.identifiers.normalize_arxiv_id and normalize_doi accept.
ARXIV_ID = (
    r"^(https?://(www\.)?arxiv\.org/(abs|pdf)/|arxiv:)?"
    r"([0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[a-z]{2})?/[0-9]{7})(v[0-9]+)?(\.pdf)?$"
)
DOI = rf"^((https?://)?(dx\.)?doi\.org/|doi:)?10\.[0-9]{{4,9}}/[^{SPACE}]+$"
ORCID = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
CURRENCY = r"^[A-Z]{3}$"  # ISO 4217
# A name as the service keeps it: single spaces between words, none around.
NAME = rf"^[^{SPACE}]+( [^{SPACE}]+)*$"
# Text a write takes: no NUL (PostgreSQL cannot store it; DRF refuses it); where the field may not be
# blank, something besides white space (DRF strips it before the blank check).
NO_NUL = r"^[^\x00]*$"
TEXT = r"^[^\x00]+$"  # "" is the other branch of the oneOf drf-spectacular gives a blank-allowed field
NON_BLANK_TEXT = rf"^[^\x00]*[^{SPACE}][^\x00]*$"


def pattern(regex: str, message, *, ignore_case: bool = False) -> RegexValidator:
    """A RegexValidator the schema states as `pattern`. With `ignore_case` the API also takes other
    cases, which the schema's (case-sensitive) pattern leaves out: a client keeping to it is accepted."""
    return RegexValidator(regex, message, flags=re.IGNORECASE if ignore_case else 0)


class UniqueListField(serializers.ListField):
    """A list whose items are all different: the service refuses a repeat, the schema says `uniqueItems`."""

    unique_items = True


# A date and time as announced, without an offset: 2027-05-15T23:59 (a day that exists in every year;
# 29 February aside).
LOCAL_DATETIME = (
    r"^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
    r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
)


TIMEZONE_LABELS = [(label, label) for label in timezone_labels()]


def timezone_label_field(**kwargs) -> serializers.ChoiceField:
    kwargs.setdefault(
        "help_text", _("AoE, UTC, UTC+8 / UTC-5, an IANA name such as Europe/Berlin, or an abbreviation (PST).")
    )
    return serializers.ChoiceField(choices=TIMEZONE_LABELS, **kwargs)
