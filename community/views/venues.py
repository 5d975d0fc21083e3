"""Venue pages and the upcoming-deadlines page."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.timezones import suggested_zones
from community.filters import DeadlineFilter, VenueFilter
from community.selectors.deadline_estimates import venue_estimate
from community.selectors.venues import deadline_upcoming, venue_detail, venue_list

from .base import CatalogueDetailView, CatalogueListView, reader_timezone
from .deadline_extras import deadline_extras


class VenueListView(CatalogueListView):
    filterset_class = VenueFilter
    selector = staticmethod(venue_list)
    template_name = "community/venue_list.html"
    section = "venues"
    title = _("Venues")


class VenueDetailView(CatalogueDetailView):
    selector = staticmethod(venue_detail)
    template_name = "community/venue_detail.html"
    context_object_name = "venue"
    section = "venues"

    def get_context_data(self, **kwargs):
        zone, tz_message = reader_timezone(self.request)
        now = timezone.now()
        estimate = venue_estimate(self.object, now=now)  # from the prefetched editions: no query
        return super().get_context_data(
            reader_tz=zone, tz_message=tz_message, now=now, estimate=estimate, **kwargs
        )


class DeadlineListView(CatalogueListView):
    """Upcoming deadlines, shown in the reader's time zone beside the zone they were announced in."""

    filterset_class = DeadlineFilter
    template_name = "community/deadline_list.html"
    section = "deadlines"
    title = _("Upcoming deadlines")

    def get_queryset(self):
        return deadline_upcoming(now=timezone.now())

    def get_extra_context(self) -> dict:
        zone, tz_message = reader_timezone(self.request)
        return {
            "reader_tz": zone,
            "tz_message": tz_message,
            "extra_fields_template": "partials/tz_field.html",
            "tz_suggestions": suggested_zones(get_language()),
            # Past deadlines (greyed), expected ones (estimates) and the trackers' last imports.
            **deadline_extras(self.request, timezone.now()),
        }
