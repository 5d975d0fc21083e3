"""Venue pages and the upcoming-deadlines page."""

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from common.timezones import suggested_zones
from community import page_cache
from community.charts import acceptance_rate_chart
from community.filters import DeadlineFilter
from community.selectors import venues
from community.selectors.deadline_estimates import venue_estimate

from .base import CatalogueListView, kind_pages, reader_timezone
from .deadline_extras import deadline_extras

VenueListView, VenuePage = kind_pages("venue", venues, title=_("Venues"))


class VenueDetailView(VenuePage):
    """A venue, its editions and deadlines in the reader's time zone, and its acceptance rates."""

    def get(self, request, *args, **kwargs):
        # Few venues, read often: kept whole for readers without a session (community.anonymous_pages).
        page_cache.whole_page(request)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return venues.attach_recent_papers(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        zone, tz_message = reader_timezone(self.request)
        now = timezone.now()
        estimate = venue_estimate(self.object, now=now)  # from the prefetched editions: no query
        rates = self.object.acceptance_rates.all()  # prefetched: no query
        title = gettext("Acceptance rate of %(venue)s by year") % {"venue": self.object.name}
        rate_chart = (
            acceptance_rate_chart(rates, chart_id="acceptance-rate-chart", title=title) if rates else None
        )
        return super().get_context_data(
            reader_tz=zone, tz_message=tz_message, now=now, estimate=estimate, rate_chart=rate_chart, **kwargs
        )


class DeadlineListView(CatalogueListView):
    """Upcoming deadlines, shown in the reader's time zone beside the zone they were announced in."""

    filterset_class = DeadlineFilter
    template_name = "community/deadline_list.html"
    section = "deadlines"
    title = _("Upcoming deadlines")

    def get_queryset(self):
        return venues.deadline_upcoming(now=timezone.now())

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
