"""Closing what has expired: job postings past their closing date, funding calls past their deadline,
and editions whose paper deadlines have all passed.

The state is stored (`JobPosting.closed_at`, `FundingOpportunity.closed_at`, `Edition.call_closed_at`)
rather than computed on every read, so lists filter on one indexed column and a moderator can close
a posting early (a filled position) with the same field. `close_expired` is what the hourly Celery
task `community.close_expired` runs; `items_close` is the admin's "Mark as closed" action.

The stored instant is when the item really closed, not when the job noticed: the end of the closing
day (00:00 UTC the day after) for a posting, the deadline for a funding call, the last paper deadline
for an edition. So the first run after a deployment dates years-old postings correctly, and a run
that comes late writes the same values as one on time.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone

from community import page_cache
from community.models import ChangeRecord, Deadline, Edition, FundingOpportunity, JobPosting
from community.services.history import history_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpiryReport:
    """How many items this run closed; all zero when nothing had expired since the last run."""

    jobs_closed: int
    funding_closed: int
    editions_closed: int


def close_expired(*, now: dt.datetime | None = None) -> ExpiryReport:
    """Close every posting, funding call and edition call for papers that has expired by `now`.

    One UPDATE per model, each touching only rows not closed yet: running it twice changes nothing
    the second time, and it never reopens anything (nor moves the date of something a moderator
    closed).
    """
    now = now or timezone.now()
    # open() compares closes_on with the UTC date, so the job must too.
    today = now.astimezone(dt.UTC).date()
    with transaction.atomic():
        jobs = JobPosting.objects.filter(closed_at__isnull=True, closes_on__lt=today).update(
            # A posting takes applications through its closing day: it closed when that day ended.
            closed_at=ExpressionWrapper(
                Cast(F("closes_on"), DateTimeField()) + Value(dt.timedelta(days=1)),
                output_field=DateTimeField(),
            )
        )
        funding = FundingOpportunity.objects.filter(closed_at__isnull=True, deadline__lt=now).update(
            closed_at=F("deadline")
        )
        editions = _editions_close(now=now)
    report = ExpiryReport(jobs_closed=jobs, funding_closed=funding, editions_closed=editions)
    if jobs or funding or editions:
        logger.info(
            "closed expired items",
            extra={"jobs_closed": jobs, "funding_closed": funding, "editions_closed": editions},
        )
        page_cache.catalogue_changed()  # queryset.update() sends no signals
    return report


def _editions_close(*, now: dt.datetime) -> int:
    # Only the paper deadline says whether a call for papers is open: an edition whose abstract
    # deadline passed still takes papers, and one with no paper deadline at all says nothing.
    paper = Deadline.objects.filter(edition=OuterRef("pk"), kind=Deadline.Kind.PAPER)
    last_paper = paper.order_by().values("edition").annotate(last=Max("due_at")).values("last")
    return (
        Edition.objects.filter(call_closed_at__isnull=True)
        .filter(Exists(paper))
        .exclude(Exists(paper.filter(due_at__gte=now)))
        .update(call_closed_at=Subquery(last_paper, output_field=DateTimeField()))
    )


def items_close(*, items: models.QuerySet, moderator, now: dt.datetime | None = None) -> int:
    """Close the job postings or funding calls in `items` now (a filled position, a withdrawn call).

    Items already closed keep their date. Each closed item gets a history entry. Returns how many
    were closed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # select_related(None): the admin's list joins (a nullable funder) cannot be locked.
        still_open = list(items.filter(closed_at__isnull=True).select_related(None).select_for_update())
        closed = items.model.objects.filter(
            pk__in=[item.pk for item in still_open], closed_at__isnull=True
        ).update(closed_at=now)
        for item in still_open:
            history_record(
                item=item,
                user=moderator,
                action=ChangeRecord.Action.UPDATED,
                changes={"closed_at": [None, now.isoformat()]},
            )
    return closed
