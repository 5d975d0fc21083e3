"""A reader's private calendar (/calendar/<key>.ics: the deadlines of followed venues and funding,
with `?estimates=1` also the expected deadlines of followed venues that have none announced)
and the Atom feed of each saved search (/calendar/<key>/searches/<id>.atom). The key is the secret
of services.calendar; a wrong or revoked key is a bare 404 that says nothing about why."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community.feeds import _site_host, deadline_calendar

from . import searches, selectors
from .models import SavedSearch
from .services.calendar import calendar_owner

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _owner_or_404(key: str):
    user = calendar_owner(key)
    if user is None:
        raise Http404()
    return user


@never_cache
@require_GET
def private_calendar(request: HttpRequest, key: str) -> HttpResponse:
    user = _owner_or_404(key)
    now = timezone.now()
    # Expected deadlines only when the reader asks (?estimates=1), as /deadlines.ics does.
    asked = request.GET.get("estimates") == "1"
    body = deadline_calendar(
        deadlines=selectors.calendar_deadlines(user, now=now),
        funding=selectors.calendar_funding(user, now=now),
        estimates=selectors.calendar_estimates(user, now=now) if asked else (),
        name=_("DeepCommons: my deadlines"),
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["X-Robots-Tag"] = "noindex"
    return response


class SavedSearchFeed(Feed):
    """The newest items a saved search finds, for a feed reader holding the calendar secret."""

    feed_type = Atom1Feed
    author_name = "DeepCommons"

    def get_object(self, request: HttpRequest, key: str, pk: int) -> tuple[SavedSearch, str]:
        user = _owner_or_404(key)
        search = SavedSearch.objects.filter(user=user, pk=pk).first()
        if search is None:
            raise Http404()
        return search, key

    def title(self, obj) -> str:
        return _("DeepCommons: %(name)s") % {"name": obj[0].name}

    def link(self, obj) -> str:
        return obj[0].url

    def feed_url(self, obj) -> str:
        return reverse("alerts:search-feed", kwargs={"key": obj[1], "pk": obj[0].pk})

    def items(self, obj) -> list:
        return searches.found_items(path=obj[0].path, query=obj[0].query)

    def item_title(self, item) -> str:
        return str(item)

    def item_description(self, item) -> str:
        return ""

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_guid(self, item) -> str:
        return f"tag:{_site_host()},2025:{item._meta.model_name}/{item.pk}"

    def item_pubdate(self, item):
        return getattr(item, "created_at", None)


search_feed = never_cache(SavedSearchFeed())
