"""The filters of every list page, as django-filter FilterSets (the REST API reuses them).

Conventions, so a URL reads well and a bad one is caught rather than guessed at:
- related items are chosen by slug (`?topic=transformers`), and a slug that names nothing published
  is a form error, which the list view answers with a 400 page saying so;
- `q` searches the fields in `search_fields`: full-text on PostgreSQL for the big kinds, a
  case-insensitive substring match otherwise (community.search);
- `ordering` takes only the values listed per FilterSet, and pagination always ends on the primary
  key so that two items with the same sort key never swap pages.
"""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community import models as catalogue
from community import page_cache
from community.rank_filters import TimeLeftOrdering, rank_filters
from community.search import text_search
from community.widgets import speed_up_widgets

SEARCH_MAX_LENGTH = 200


def _descending_now(label) -> str:
    return gettext("%s (descending)") % label


_descending = lazy(_descending_now, str)


class StableOrderingFilter(filters.OrderingFilter):
    """OrderingFilter that always appends `pk`, so pagination is deterministic on every database."""

    def build_choices(self, fields, labels):
        # django-filter formats "%s (descending)" when the filter set is defined, at import, so the
        # label would stay English; here it is formatted each time it is shown, in the reader's language.
        choices = super().build_choices(fields, labels)
        ascending = dict(choices[0::2])
        return [
            (value, label if value in ascending or value in labels else _descending(ascending[value[1:]]))
            for value, label in choices
        ]

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


class YesNoFilter(filters.BooleanFilter):
    """A select of any / yes / no; anything else in the URL is read as "any"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        )
        super().__init__(*args, **kwargs)


class IntegerFilter(filters.NumberFilter):
    """NumberFilter takes decimals ("2017.5"); a year or a count is a whole number."""

    field_class = forms.IntegerField


class CheckboxFilter(filters.BooleanFilter):
    """A checkbox that applies `method` when ticked and does nothing when not."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)


def icontains_any(queryset, fields, text: str):
    """Rows where any of `fields` contains `text`, case-insensitively (the `icontains` fallback search)."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def topic_choices(request=None):
    return catalogue.Topic.objects.published()


class SearchFilterSet(filters.FilterSet):
    """Adds `q`: icontains over `search_fields`, OR-ed.

    No search field crosses a many-valued relation, so a match never duplicates a row.
    """

    search_fields: tuple[str, ...] = ()

    q = filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def get_form_class(self):
        return speed_up_widgets(super().get_form_class())

    def filter_queryset(self, queryset):
        # `q` last: a ranked full-text search ranks a bounded set of candidates (community.search),
        # which must be drawn from the rows the other filters keep.
        values = self.form.cleaned_data
        for name in sorted(values, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, values[name])
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Full-text and best match first on PostgreSQL for the big kinds (community.search), unless
        # the reader chose an order; the substring match elsewhere.
        by_rank = not (self.data.get("ordering") if self.data is not None else None)
        return text_search(queryset, self.search_fields, value, by_rank=by_rank)


def _topic_filter(field_name="topics"):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=topic_choices,
        to_field_name="slug",
        label=_("Topic"),
        empty_label=_("Any topic"),
    )


def _name_ordering():
    """Sort by name or by when the item was added: the ordering of every type listed by name."""
    return StableOrderingFilter(
        fields=(("name", "name"), ("created_at", "added")),
        field_labels={"name": _("Name"), "created_at": _("Date added")},
        label=_("Sort by"),
    )


class PaperFilter(SearchFilterSet):
    search_fields = ("title", "abstract")

    topic = _topic_filter()
    year = IntegerFilter(field_name="year", label=_("Year"), min_value=1000, max_value=9999)
    venue = filters.ModelChoiceFilter(
        queryset=lambda request: catalogue.Venue.objects.published(),
        to_field_name="slug",
        label=_("Venue"),
        empty_label=_("Any venue"),
    )
    ordering = StableOrderingFilter(
        fields=(("year", "year"), ("title", "title"), ("created_at", "added")),
        field_labels={"year": _("Year"), "title": _("Title"), "created_at": _("Date added")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Paper
        fields = ["q", "topic", "year", "venue"]


class ProjectFilter(SearchFilterSet):
    search_fields = ("name", "description")

    topic = _topic_filter()
    kind = filters.ChoiceFilter(
        choices=catalogue.Project.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    language = filters.ChoiceFilter(
        field_name="language", lookup_expr="iexact", label=_("Language"), empty_label=_("Any language")
    )
    ordering = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("stars", "stars"),
            ("last_activity_at", "activity"),
            ("created_at", "added"),
        ),
        field_labels={
            "name": _("Name"),
            "stars": _("Stars"),
            "last_activity_at": _("Last activity"),
            "created_at": _("Date added"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Project
        fields = ["q", "topic", "kind", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The languages that occur, read once per form when it is shown or `?language=` is checked:
        # one query whether the page has 1 or 20 rows, none when the page cache answers, and kept per
        # catalogue version in a shared cache (_project_languages).
        self.filters["language"].extra["choices"] = _project_languages


def _project_languages() -> list[tuple[str, str]]:
    def read() -> list[tuple[str, str]]:
        languages = (
            catalogue.Project.objects.published()
            .exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        return [(lang, lang) for lang in languages]

    # A DISTINCT over every project (18 ms at 50,000): kept per catalogue version.
    return page_cache.per_version("project-languages", read)


class VenueFilter(SearchFilterSet, rank_filters()):
    search_fields = ("name", "full_name", "description")

    kind = filters.ChoiceFilter(
        choices=catalogue.Venue.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    topic = _topic_filter()
    ordering = TimeLeftOrdering()

    class Meta:
        model = catalogue.Venue
        fields = ["q", "kind", "topic"]


class DeadlineFilter(SearchFilterSet, rank_filters("venue__")):
    search_fields = ("venue__name", "venue__full_name", "label", "note")

    venue = filters.ModelChoiceFilter(
        queryset=lambda request: catalogue.Venue.objects.published(),
        to_field_name="slug",
        label=_("Venue"),
        empty_label=_("Any venue"),
    )
    kind = filters.ChoiceFilter(
        choices=catalogue.Deadline.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    topic = _topic_filter("venue__topics")
    ordering = StableOrderingFilter(
        fields=(("due_at", "due"), ("venue__name", "venue")),
        field_labels={"due_at": _("Due"), "venue__name": _("Venue")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Deadline
        fields = ["q", "venue", "kind", "topic"]


class JobFilter(SearchFilterSet):
    search_fields = ("title", "description", "location")

    kind = filters.ChoiceFilter(
        choices=catalogue.JobPosting.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    remote = YesNoFilter(field_name="remote", label=_("Remote possible"))
    organization_kind = filters.ChoiceFilter(
        field_name="organization__kind",
        choices=catalogue.Organization.Kind.choices,
        label=_("Employer type"),
        empty_label=_("Any employer"),
    )
    topic = _topic_filter()
    open = CheckboxFilter(method="filter_open", label=_("Open only"))
    ordering = StableOrderingFilter(
        fields=(("posted_on", "posted"), ("closes_on", "closes"), ("title", "title")),
        field_labels={"posted_on": _("Date posted"), "closes_on": _("Closing date"), "title": _("Title")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.JobPosting
        fields = ["q", "kind", "remote", "organization_kind", "topic", "open"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset


class FundingFilter(SearchFilterSet):
    search_fields = ("title", "description", "eligibility")

    kind = filters.ChoiceFilter(
        choices=catalogue.FundingOpportunity.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    funder = filters.ModelChoiceFilter(
        # Only organisations that fund something published, so the select stays short.
        queryset=lambda request: (
            catalogue.Organization.objects.published().filter(funding__status="published").distinct()
        ),
        to_field_name="slug",
        label=_("Funder"),
        empty_label=_("Any funder"),
    )
    open = CheckboxFilter(method="filter_open", label=_("Open deadlines only"))
    topic = _topic_filter()
    ordering = StableOrderingFilter(
        fields=(("deadline", "deadline"), ("title", "title"), ("created_at", "added")),
        field_labels={"deadline": _("Deadline"), "title": _("Title"), "created_at": _("Date added")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.FundingOpportunity
        fields = ["q", "kind", "funder", "open", "topic"]

    def filter_open(self, queryset, name, value):
        if not value:
            return queryset
        # A rolling call (no deadline) is open; one whose date is not announced is not (models/funding.py).
        return queryset.open()


class OrganizationFilter(SearchFilterSet):
    search_fields = ("name", "description", "country")

    kind = filters.ChoiceFilter(
        choices=catalogue.Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    topic = _topic_filter()
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("created_at", "added")),
        field_labels={"name": _("Name"), "country": _("Country"), "created_at": _("Date added")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Organization
        fields = ["q", "kind", "topic"]


class PersonFilter(SearchFilterSet):
    search_fields = ("name", "bio")

    ordering = _name_ordering()

    class Meta:
        model = catalogue.Person
        fields = ["q"]


class ChannelFilter(SearchFilterSet):
    search_fields = ("name", "description")

    kind = filters.ChoiceFilter(
        choices=catalogue.Channel.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    topic = _topic_filter()
    ordering = _name_ordering()

    class Meta:
        model = catalogue.Channel
        fields = ["q", "kind", "topic"]


class GuideFilter(SearchFilterSet):
    search_fields = ("title", "summary", "body")

    topic = _topic_filter()
    ordering = StableOrderingFilter(
        # Without ?ordering= the list is in reading order (the selector's default).
        fields=(("order", "order"), ("title", "title"), ("updated_at", "updated"), ("created_at", "added")),
        field_labels={
            "order": _("Reading order"),
            "title": _("Title"),
            "updated_at": _("Last updated"),
            "created_at": _("Date added"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Guide
        fields = ["q", "topic"]


class TopicFilter(SearchFilterSet):
    search_fields = ("name", "description")

    parent = filters.ModelChoiceFilter(
        queryset=topic_choices, to_field_name="slug", label=_("Parent topic"), empty_label=_("Any")
    )
    ordering = _name_ordering()

    class Meta:
        model = catalogue.Topic
        fields = ["q", "parent"]
