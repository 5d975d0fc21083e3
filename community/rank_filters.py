"""The ranking filters of /venues/ and /deadlines/ (and so of /deadlines.ics, the deadlines' Atom feed
and the API, which use the same FilterSets): CCF rank, CORE rank, CCF field, "still open", and for
venues the order by time left (the next open deadline first, venues with none last).

Only the values listed are accepted: anything else is a form error, which the pages answer with 400
before it can reach the page cache's key (community.page_cache)."""

import django_filters as filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from community import models as catalogue
from community.models.venues import CCF_FIELD_CHOICES, CCF_RANK_CHOICES, CORE_RANK_CHOICES


def _field_label(code: str, name) -> str:
    # "AI · Artificial intelligence", "AI · 人工智能": the code ccf-deadlines writes, the name translated.
    return f"{code} · {name}"


FIELD_CHOICES = [(code, lazy(_field_label, str)(code, name)) for code, name in CCF_FIELD_CHOICES]


def _open_deadlines(now):
    """Deadlines still to come whose edition's call a moderator has not closed."""
    return catalogue.Deadline.objects.filter(due_at__gte=now).filter(
        Q(edition__isnull=True) | Q(edition__call_closed_at__isnull=True)
    )


def _choice(field_name: str, choices, label, empty_label) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(field_name=field_name, choices=choices, label=label, empty_label=empty_label)


def rank_filters(prefix: str = "") -> type[filters.FilterSet]:
    """A FilterSet base with `ccf_rank`, `core_rank`, `field` and `open` on the venue reached through
    `prefix` ("" for venues, "venue__" for deadlines)."""

    class RankFilters(filters.FilterSet):
        ccf_rank = _choice(f"{prefix}ccf_rank", CCF_RANK_CHOICES, _("CCF rank"), _("Any CCF rank"))
        core_rank = _choice(f"{prefix}core_rank", CORE_RANK_CHOICES, _("CORE rank"), _("Any CORE rank"))
        field = _choice(f"{prefix}ccf_field", FIELD_CHOICES, _("CCF field"), _("Any field"))
        open = filters.BooleanFilter(
            method="filter_open",
            label=_("Still open"),
            widget=forms.CheckboxInput,
        )

        def filter_open(self, queryset, name, value):
            if not value:
                return queryset
            now = timezone.now()
            if prefix:  # deadlines: the row itself is still open
                return queryset.filter(pk__in=_open_deadlines(now).values("pk"))
            return queryset.filter(Exists(_open_deadlines(now).filter(venue=OuterRef("pk"))))

    return RankFilters


class TimeLeftOrdering(filters.OrderingFilter):
    """Venues by name, date added, or time left: the next open deadline first, venues without one last
    (by name); always ending on the primary key, so pages never swap rows."""

    def __init__(self, **kwargs):
        super().__init__(
            fields=(("name", "name"), ("created_at", "added"), ("next_due", "time_left")),
            field_labels={"name": _("Name"), "created_at": _("Date added"), "next_due": _("Time left")},
            label=_("Sort by"),
            **kwargs,
        )

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            if param.lstrip("-") == "time_left":
                next_due = _open_deadlines(timezone.now()).filter(venue=OuterRef("pk")).order_by("due_at")
                qs = qs.annotate(next_due=Subquery(next_due.values("due_at")[:1]))
                due = F("next_due")
                ordering += [due.desc(nulls_last=True) if param.startswith("-") else due.asc(nulls_last=True)]
            else:
                ordering.append(self.get_ordering_value(param))
        return qs.order_by(*ordering, "name", "pk")
