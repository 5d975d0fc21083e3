"""Feeds: Atom for what was published lately (all kinds, one kind, one topic) and iCalendar for
upcoming deadlines.

Feed addresses are unprefixed (config/urls.py): a feed reader or calendar subscribed to one keeps it
whatever language the site is read in. Every feed runs a fixed number of queries, however many
entries it has: one per kind, none per entry.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from common.timezones import zone_for_label
from community import models as catalogue
from community.filters import DeadlineFilter
from community.selectors.deadline_estimates import ExpectedDeadline, deadline_recent_past, expected_deadlines
from community.selectors.venues import deadline_upcoming, item_sources

FEED_SIZE = 30
SUMMARY_WORDS = 80


@dataclass(frozen=True)
class FeedKind:
    model: type[models.Model]
    title: str | Promise
    list_url_name: str
    summary_field: str  # plain text that makes the entry's summary


# The URL segment of /feeds/<kind>.atom -> what that feed lists.
FEED_KINDS: dict[str, FeedKind] = {
    "papers": FeedKind(catalogue.Paper, _("Papers"), "community:paper-list", "abstract"),
    "projects": FeedKind(catalogue.Project, _("Projects"), "community:project-list", "description"),
    "venues": FeedKind(catalogue.Venue, _("Venues"), "community:venue-list", "description"),
    "jobs": FeedKind(catalogue.JobPosting, _("Jobs"), "community:job-list", "description"),
    "funding": FeedKind(catalogue.FundingOpportunity, _("Funding"), "community:funding-list", "description"),
    "guides": FeedKind(catalogue.Guide, _("Guides"), "community:guide-list", "summary"),
    "organizations": FeedKind(
        catalogue.Organization, _("Organisations"), "community:organization-list", "description"
    ),
    "people": FeedKind(catalogue.Person, _("People"), "community:person-list", "bio"),
    "channels": FeedKind(catalogue.Channel, _("Channels"), "community:channel-list", "description"),
    "topics": FeedKind(catalogue.Topic, _("Topics"), "community:topic-list", "description"),
}
_KIND_OF_MODEL = {kind.model: key for key, kind in FEED_KINDS.items()}
# Tag URIs (RFC 4151) need a date on which the site's name was ours; any fixed date will do, as
# long as it never changes, since it is part of every entry's id.
TAG_DATE = "2025"


def _newest(model: type[models.Model], **filters) -> list[models.Model]:
    return list(model.objects.published().filter(**filters).order_by("-created_at", "-pk")[:FEED_SIZE])


def _merge_newest(lists: Iterable[list[models.Model]]) -> list[models.Model]:
    items = [item for items in lists for item in items]
    items.sort(key=lambda item: (item.created_at, item.pk), reverse=True)
    return items[:FEED_SIZE]


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "deepcommons"


class CatalogueFeed(Feed):
    """What every Atom feed here shares: entry titles, summaries, ids and dates."""

    feed_type = Atom1Feed
    author_name = "DeepCommons"

    def item_title(self, item) -> str:
        # The item's own name only: the site's titles of jobs (say) add an organisation that may
        # still be under review. Plain text, which the Atom writer escapes.
        return getattr(item, "title", None) or item.name

    def item_description(self, item) -> str:
        # Atom summaries here are type="html": the plain text is escaped once to make it HTML, and
        # the writer escapes that once more for XML, so "<script>" reaches a reader as text.
        field = FEED_KINDS[_KIND_OF_MODEL[type(item)]].summary_field
        return escape(Truncator(getattr(item, field) or "").words(SUMMARY_WORDS))

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_guid(self, item) -> str:
        # The id must not change when a slug or title does: kind and primary key.
        return f"tag:{_site_host()},{TAG_DATE}:{_KIND_OF_MODEL[type(item)]}/{item.pk}"

    def item_pubdate(self, item) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item) -> dt.datetime:
        return item.updated_at


class LatestFeed(CatalogueFeed):
    title = _("DeepCommons: newly published")
    subtitle = _("The newest papers, projects, venues, jobs, funding, guides and more on DeepCommons.")

    def link(self) -> str:
        return reverse("community:home")

    def feed_url(self) -> str:
        return reverse("feed-latest")

    def items(self) -> list[models.Model]:
        return _merge_newest(_newest(kind.model) for kind in FEED_KINDS.values())


class KindFeed(CatalogueFeed):
    """/feeds/papers.atom, /feeds/jobs.atom, ...: the newest published items of one kind."""

    def get_object(self, request: HttpRequest, kind: str) -> tuple[str, FeedKind]:
        if kind not in FEED_KINDS:
            raise Http404(f"There is no feed of {kind}.")
        return kind, FEED_KINDS[kind]

    def title(self, obj) -> str:
        return _("DeepCommons: %(kind)s") % {"kind": obj[1].title}

    def subtitle(self, obj) -> str:
        return _("The newest %(kind)s published on DeepCommons.") % {"kind": str(obj[1].title).lower()}

    def link(self, obj) -> str:
        return reverse(obj[1].list_url_name)

    def feed_url(self, obj) -> str:
        return reverse("feed-kind", kwargs={"kind": obj[0]})

    def items(self, obj) -> list[models.Model]:
        return _newest(obj[1].model)


class TopicFeed(CatalogueFeed):
    """/feeds/topics/<slug>.atom: the newest published items of every kind linked to one topic."""

    def get_object(self, request: HttpRequest, slug: str) -> catalogue.Topic:
        return get_object_or_404(catalogue.Topic.objects.published(), slug=slug)

    def title(self, obj: catalogue.Topic) -> str:
        return _("DeepCommons: %(topic)s") % {"topic": obj.name}

    def subtitle(self, obj: catalogue.Topic) -> str:
        return _("The newest items about %(topic)s on DeepCommons.") % {"topic": obj.name}

    def link(self, obj: catalogue.Topic) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: catalogue.Topic) -> str:
        return reverse("feed-topic", kwargs={"slug": obj.slug})

    def items(self, obj: catalogue.Topic) -> list[models.Model]:
        with_topics = [
            k.model
            for k in FEED_KINDS.values()
            if k.model is not catalogue.Topic and k.model is not catalogue.Person
        ]
        return _merge_newest(_newest(model, topics=obj) for model in with_topics)


# --- iCalendar ---------------------------------------------------------------------------------


def _announced(due_at: dt.datetime, label: str) -> str:
    try:
        zone = zone_for_label(label)
    except Exception:  # a label written around the model's validation: say it in UTC
        zone, label = ZoneInfo("UTC"), "UTC"
    return f"{due_at.astimezone(zone):%d %B %Y %H:%M} {label}"


def deadline_summary(deadline: catalogue.Deadline) -> str:
    """`NeurIPS 2027: Paper deadline (main track)`: venue, edition, kind and label."""
    owner = f"{deadline.venue.name} {deadline.edition.year}" if deadline.edition_id else deadline.venue.name
    text = _("%(owner)s: %(kind)s deadline") % {"owner": owner, "kind": deadline.get_kind_display()}
    return f"{text} ({deadline.label})" if deadline.label else text


def deadline_source_lines(deadline: catalogue.Deadline) -> list[str]:
    """One line per source that gives the deadline ("Source: ccf-deadlines, conference/AI/emnlp.yml
    (revision …); MIT, ccf-deadlines, Copyright (c) 2021 CCFDDL"), from `deadline.sources` when the
    caller prefetched them (community.selectors.venues.item_sources), else none."""
    lines = []
    for row in getattr(deadline, "sources", ()):
        where = f"{row.source}, {row.file}" + (f" ({row.revision})" if row.revision else "")
        terms = ", ".join(part for part in (row.licence, row.attribution) if part)
        lines.append(
            (_("Source: %(where)s; %(terms)s") if terms else _("Source: %(where)s"))
            % {"where": where, "terms": terms}
        )
    return lines


def deadline_calendar(
    *,
    deadlines: Iterable[catalogue.Deadline],
    funding: Iterable[catalogue.FundingOpportunity] = (),
    estimates: Iterable = (),
    name: str,
    absolute: Callable[[str], str],
) -> bytes:
    """An iCalendar file with one event per deadline, at the instant it falls due (in UTC).

    `deadlines` need venue and edition joined, `funding` its funder; `absolute` turns a path into
    an absolute URL. UIDs are `deadline-<pk>@deepcommons` / `funding-<pk>@deepcommons`, so a
    calendar that subscribed updates an event when its date moves rather than adding another.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//DeepCommons//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    for deadline in deadlines:
        # As Deadline.get_absolute_url, from the joined venue (the edition's own venue is not joined).
        page = absolute(
            reverse("community:venue-detail", kwargs={"slug": deadline.venue.slug})
            + (f"#edition-{deadline.edition.year}" if deadline.edition_id else "")
        )
        link = (deadline.edition.website if deadline.edition_id else "") or deadline.venue.website or page
        lines = [
            _("Due %(when)s (%(utc)s).")
            % {
                "when": _announced(deadline.due_at, deadline.timezone_label),
                "utc": f"{deadline.due_at.astimezone(dt.UTC):%d %B %Y %H:%M} UTC",
            },
            deadline.note,
            *deadline_source_lines(deadline),
            page,
        ]
        calendar.add_component(
            _event(
                uid=f"deadline-{deadline.pk}@deepcommons",
                summary=deadline_summary(deadline),
                due_at=deadline.due_at,
                stamp=stamp,
                url=link,
                description="\n".join(line for line in lines if line),
            )
        )
    for item in funding:
        page = absolute(item.get_absolute_url())
        calendar.add_component(
            _event(
                uid=f"funding-{item.pk}@deepcommons",
                summary=_("%(title)s (%(funder)s): application deadline")
                % {"title": item.title, "funder": item.funder.name},
                due_at=item.deadline,
                stamp=stamp,
                url=item.url or page,
                description="\n".join(
                    [_("Due %(when)s.") % {"when": _announced(item.deadline, item.deadline_timezone)}, page]
                ),
            )
        )
    for row in estimates:  # only when the reader asked for them (?estimates=1)
        calendar.add_component(_estimate_event(row, stamp=stamp, absolute=absolute))
    return calendar.to_ical()


def _estimate_event(row, *, stamp, absolute: Callable[[str], str]) -> Event:
    """An expected deadline (community.selectors.deadline_estimates.ExpectedDeadline): a whole-day
    event, its summary and description saying it is an estimate, not an announced date."""
    page = absolute(reverse("community:venue-detail", kwargs={"slug": row.venue_slug}))
    event = Event()
    event.add("uid", f"estimate-{row.venue_slug}-{row.estimate.expected:%Y}@deepcommons")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.estimate.expected)
    event.add("summary", _estimate_title(row))
    event.add("description", "\n".join([_estimate_text(row), page]))
    event.add("url", page)
    event.add("transp", "TRANSPARENT")
    return event


def _event(*, uid: str, summary: str, due_at: dt.datetime, stamp, url: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due_at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    # A deadline is a moment, not a meeting: it should not mark the day as busy.
    event.add("transp", "TRANSPARENT")
    return event


def filtered_recent_past(request: HttpRequest, now: dt.datetime) -> models.QuerySet:
    """The last twelve months' deadlines as the request's filters (those of /deadlines/) narrow them;
    invalid filters give the unfiltered list (the caller answers them with a 400 anyway)."""
    filterset = DeadlineFilter(request.GET, queryset=deadline_recent_past(now=now), request=request)
    return filterset.qs if filterset.is_valid() else deadline_recent_past(now=now)


def asked_estimates(request: HttpRequest, now: dt.datetime) -> list[ExpectedDeadline]:
    """Expected deadlines for a calendar or feed: none unless the reader asks (?estimates=1)."""
    if request.GET.get("estimates") != "1":
        return []
    return expected_deadlines(venues=filtered_recent_past(request, now).values("venue_id"), now=now)


def _estimate_text(row: ExpectedDeadline) -> str:
    return _("An estimate from past editions, not an announced date: %(how)s.") % {
        "how": row.estimate.describe()
    }


def _estimate_title(row: ExpectedDeadline) -> str:
    return _("%(venue)s: expected paper deadline (estimate)") % {"venue": row.venue_name}


# --- the deadlines' Atom feed ------------------------------------------------------------------

DEADLINE_FEED_SIZE = 100


class DeadlineFeed(Feed):
    """/feeds/deadlines.atom: upcoming conference deadlines, soonest first, filtered as /deadlines/ and
    /deadlines.ics are (a value the filters refuse answers 400); each entry says when the deadline
    falls due and which source gives it."""

    feed_type = Atom1Feed
    author_name = "DeepCommons"
    title = _("DeepCommons: upcoming deadlines")
    subtitle = _("Conference deadlines from now on, soonest first, with the source of each.")

    def get_object(self, request: HttpRequest) -> tuple[DeadlineFilter, str]:
        """The validated filters and the query they came from (one Feed instance serves every
        request, so nothing of a request is kept on it)."""
        upcoming = deadline_upcoming(now=timezone.now()).prefetch_related(item_sources())
        filterset = DeadlineFilter(request.GET, queryset=upcoming, request=request)
        if not filterset.is_valid():
            raise BadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.form.errors.items()))
        return filterset, request.GET.urlencode(), asked_estimates(request, timezone.now())

    def link(self, obj) -> str:
        return reverse("community:deadline-list") + (f"?{obj[1]}" if obj[1] else "")

    def feed_url(self, obj) -> str:
        return reverse("feed-deadlines") + (f"?{obj[1]}" if obj[1] else "")

    def items(self, obj) -> list:
        # Expected deadlines (estimates) only when the reader asked for them (?estimates=1), after
        # the announced ones, each titled and described as an estimate.
        return [*obj[0].qs[:DEADLINE_FEED_SIZE], *obj[2]]

    def item_title(self, item) -> str:
        return _estimate_title(item) if isinstance(item, ExpectedDeadline) else deadline_summary(item)

    def item_description(self, item) -> str:
        if isinstance(item, ExpectedDeadline):
            return f"<p>{escape(_estimate_text(item))}</p>"
        lines = [
            _("Due %(when)s (%(utc)s).")
            % {
                "when": _announced(item.due_at, item.timezone_label),
                "utc": f"{item.due_at.astimezone(dt.UTC):%d %B %Y %H:%M} UTC",
            },
            item.note,
            *deadline_source_lines(item),
        ]
        # Escaped once to make HTML (the writer escapes it again for XML), one line a paragraph.
        return "".join(f"<p>{escape(line)}</p>" for line in lines if line)

    def item_link(self, item) -> str:
        if isinstance(item, ExpectedDeadline):
            return reverse("community:venue-detail", kwargs={"slug": item.venue_slug})
        return reverse("community:venue-detail", kwargs={"slug": item.venue.slug}) + (
            f"#edition-{item.edition.year}" if item.edition_id else ""
        )

    def item_guid(self, item) -> str:
        if isinstance(item, ExpectedDeadline):
            return f"tag:{_site_host()},{TAG_DATE}:estimate/{item.venue_slug}/{item.estimate.expected:%Y}"
        return f"tag:{_site_host()},{TAG_DATE}:deadline/{item.pk}"

    def item_pubdate(self, item) -> dt.datetime:
        if isinstance(item, ExpectedDeadline):  # as new as the last deadline it is estimated from
            return dt.datetime.combine(item.estimate.last, dt.time(), dt.UTC)
        return (item.edition if item.edition_id else item.venue).created_at

    def item_updateddate(self, item) -> dt.datetime:
        if isinstance(item, ExpectedDeadline):
            return self.item_pubdate(item)
        return (item.edition if item.edition_id else item.venue).updated_at
