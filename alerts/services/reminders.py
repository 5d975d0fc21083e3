"""Deadline reminders: which are due (one set-based INSERT ... SELECT over every user's follows),
and sending them, one mail per user and run, exactly once per user, deadline and offset
(services.delivery).

Which offset is due: for each followed deadline, the smallest offset the user chose whose moment has
passed (due_at - offset <= now < due_at). So a deadline 5 days away with offsets 30, 7 and 1 has its
7-day reminder due; the 30-day one is not sent late, and the 1-day one comes when its time comes.
"""

import datetime as dt
from itertools import groupby

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.utils import timezone

from community.models import Deadline, Edition, FundingOpportunity, Venue
from community.models.base import ModerationStatus

from ..models import DEFAULT_MASK, REMINDER_OFFSETS, AlertSettings, Follow, Reminder
from . import delivery
from .mail import absolute, alert_mail

SEND_BATCH_USERS = 200
_COLUMNS = [
    "user_id",
    "deadline_id",
    "funding_id",
    "offset_days",
    "state",
    "claim_token",
    "claimed_at",
    "attempts",
]


def _table(model) -> str:
    return model._meta.db_table


def _offset_case(due: str, now: dt.datetime) -> tuple[str, list]:
    """CASE picking the smallest chosen offset whose moment has passed, from the mask of settings `s`."""
    whens, params = [], []
    for bit, days in sorted(enumerate(REMINDER_OFFSETS), key=lambda pair: pair[1]):
        whens.append(f"WHEN (COALESCE(s.reminder_mask, %s) & %s) <> 0 AND {due} <= %s THEN %s")
        params += [DEFAULT_MASK, 1 << bit, delivery.param(now + dt.timedelta(days=days)), days]
    return f"CASE {' '.join(whens)} END", params


def _recipients_sql() -> tuple[str, str, list]:
    """Joins and conditions of a follower who gets reminders (`f` the follow, `u` the user, `s` settings)."""
    sql = (
        f"JOIN {_table(get_user_model())} u ON u.id = f.user_id "
        f"LEFT JOIN {_table(AlertSettings)} s ON s.user_id = f.user_id "
    )
    where = "u.is_active = %s AND u.email <> '' AND (s.user_id IS NULL OR s.reminders_enabled = %s)"
    return sql, where, [True, True]


def _claim(
    *, target: str, joins: str, due: str, where: str, where_params: list, now: dt.datetime, token: str
) -> int:
    """One INSERT ... SELECT claiming the due reminders of one kind of target for every follower:
    `target` the Reminder column (deadline_id, funding_id), `joins` bring the target as `t`, `due`
    its due column, `where` what makes it public."""
    follower_joins, who, who_params = _recipients_sql()
    case, case_params = _offset_case(due, now)
    columns = {"deadline_id": "c.target_id, NULL", "funding_id": "NULL, c.target_id"}[target]
    select = (
        f"SELECT c.user_id, {columns}, c.offset_days, %s, %s, %s, 1 FROM ("  # noqa: S608 - table and column names from here and _meta; values are parameters
        f"SELECT f.user_id AS user_id, t.id AS target_id, {case} AS offset_days "
        f"FROM {_table(Follow)} f {follower_joins}{joins}"
        f"WHERE {who} AND {where} AND {due} > %s AND {due} <= %s"
        f") c WHERE c.offset_days IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {_table(Reminder)} r "
        f"WHERE r.user_id = c.user_id AND r.{target} = c.target_id AND r.offset_days = c.offset_days)"
    )
    horizon = now + dt.timedelta(days=max(REMINDER_OFFSETS))
    params = [
        *(Reminder.State.CLAIMED.value, token, delivery.param(now)),
        *case_params,
        *who_params,
        *where_params,
        *(delivery.param(now), delivery.param(horizon)),
    ]
    return delivery.insert_ignoring_duplicates(
        table=_table(Reminder), columns=_COLUMNS, select_sql=select, params=params
    )


def reminders_claim(*, now: dt.datetime, token: str) -> int:
    """Claims every due reminder not yet claimed or sent, for all users at once: two INSERT ... SELECT
    statements (venue deadlines, funding calls). Returns how many rows this run claimed."""
    published = ModerationStatus.PUBLISHED
    claimed = _claim(
        target="deadline_id",
        joins=(
            f"JOIN {_table(Deadline)} t ON t.venue_id = f.venue_id "
            f"JOIN {_table(Venue)} v ON v.id = t.venue_id "
            f"LEFT JOIN {_table(Edition)} e ON e.id = t.edition_id "
        ),
        due="t.due_at",
        where="f.venue_id IS NOT NULL AND v.status = %s AND (t.edition_id IS NULL OR e.status = %s)",
        where_params=[published, published],
        now=now,
        token=token,
    )
    return claimed + _claim(
        target="funding_id",
        joins=f"JOIN {_table(FundingOpportunity)} t ON t.id = f.funding_id ",
        due="t.deadline",
        where="t.status = %s AND t.closed_at IS NULL",
        where_params=[published],
        now=now,
        token=token,
    )


def _send_one(rows: list[Reminder], mailer) -> bool:
    user = rows[0].user
    items = sorted(
        (
            {
                "deadline": row.deadline,
                "funding": row.funding,
                "due_at": row.deadline.due_at if row.deadline_id else row.funding.deadline,
                "label": row.deadline.timezone_label if row.deadline_id else row.funding.deadline_timezone,
                "offset_days": row.offset_days,
                "url": delivery_url(row),
            }
            for row in rows
        ),
        key=lambda item: item["due_at"],
    )
    message = alert_mail(user=user, what="reminders", template="reminder", context={"items": items})
    message.connection = mailer
    return bool(message.send())


def delivery_url(row: Reminder) -> str:
    return absolute(row.deadline.get_absolute_url() if row.deadline_id else row.funding.get_absolute_url())


def reminders_send(*, token: str) -> int:
    """Sends the reminders claimed by `token`, one mail per user; returns how many mails went out."""
    user_ids = list(
        delivery.claimed_by(Reminder, token).order_by("user_id").values_list("user_id", flat=True).distinct()
    )
    if not user_ids:
        return 0  # no connection to the mail server for nothing
    mails = 0
    mailer = get_connection()
    with mailer:
        for start in range(0, len(user_ids), SEND_BATCH_USERS):
            rows = list(
                delivery.claimed_by(Reminder, token)
                .filter(user_id__in=user_ids[start : start + SEND_BATCH_USERS])
                .select_related(
                    "user", "user__alert_settings", "deadline__venue", "deadline__edition", "funding__funder"
                )
                .order_by("user_id", "pk")
            )
            ours = delivery.renew(Reminder, token=token, ids=[row.pk for row in rows], now=timezone.now())
            for _user_id, group in groupby(
                (row for row in rows if row.pk in ours), key=lambda row: row.user_id
            ):
                mails += delivery.send_and_mark(
                    Reminder,
                    token=token,
                    rows=list(group),
                    send=lambda batch: _send_one(batch, mailer),
                    now=timezone.now(),
                )
    return mails


def reminders_run(*, now: dt.datetime | None = None) -> dict:
    """The beat job: take over stale claims, claim what is due, send. Safe to run twice at once."""
    return delivery.run(Reminder, claim=reminders_claim, send=reminders_send, now=now or timezone.now())
