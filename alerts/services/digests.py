"""The weekly digest: what was published last week (Monday to Monday, UTC) in the topics a user
follows, one mail per user and week, exactly once (services.delivery). Users with a followed topic
are claimed with one INSERT ... SELECT; the items of a batch of users are one query per kind."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection
from django.utils import timezone

from community.feeds import FEED_KINDS

from ..models import AlertSettings, Digest, Follow
from . import delivery
from .mail import absolute, alert_mail

SEND_BATCH_USERS = 200
MAX_ITEMS_PER_KIND = 20
# Kinds linked to topics (a topic's own page lists them); people and topics themselves are not.
DIGEST_KINDS = {key: kind for key, kind in FEED_KINDS.items() if key not in ("topics", "people")}


def week_start(now: dt.datetime) -> dt.date:
    """The Monday (UTC) of the last complete week before `now`."""
    today = now.astimezone(dt.UTC).date()
    return today - dt.timedelta(days=today.weekday() + 7)


def _bounds(period_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period_start, dt.time(), tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=7)


def digests_claim(*, now: dt.datetime, token: str) -> int:
    """Claims this week's digest of every user who follows a topic and did not turn the digest off."""
    period = week_start(now)
    users = get_user_model()._meta.db_table
    select = (
        f"SELECT DISTINCT f.user_id, %s, %s, %s, %s, 1, 0 FROM {Follow._meta.db_table} f "  # noqa: S608 - table names from _meta; values are parameters
        f"JOIN {users} u ON u.id = f.user_id "
        f"LEFT JOIN {AlertSettings._meta.db_table} s ON s.user_id = f.user_id "
        f"WHERE f.topic_id IS NOT NULL AND u.is_active = %s AND u.email <> '' "
        f"AND (s.user_id IS NULL OR s.digest_enabled = %s) AND NOT EXISTS ("
        f"SELECT 1 FROM {Digest._meta.db_table} g WHERE g.user_id = f.user_id AND g.period_start = %s)"
    )
    period_param = connection_date(period)
    params = [period_param, Digest.State.CLAIMED.value, token, delivery.param(now), True, True, period_param]
    return delivery.insert_ignoring_duplicates(
        table=Digest._meta.db_table,
        columns=["user_id", "period_start", "state", "claim_token", "claimed_at", "attempts", "item_count"],
        select_sql=select,
        params=params,
    )


def connection_date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _items_for(
    user_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[str, object]]]:
    """user id -> [(kind title, item)] published in [start, end) in a topic the user follows."""
    found: dict[int, list[tuple[str, object]]] = defaultdict(list)
    for kind in DIGEST_KINDS.values():
        pairs = list(
            kind.model.objects.published()
            .filter(created_at__gte=start, created_at__lt=end, topics__follows__user_id__in=user_ids)
            .values_list("topics__follows__user_id", "pk")
            .distinct()
        )
        items = kind.model.objects.in_bulk({pk for _user, pk in pairs})
        per_user: dict[int, list] = defaultdict(list)
        for user_id, pk in pairs:
            per_user[user_id].append(items[pk])
        for user_id, listed in per_user.items():
            listed.sort(key=lambda item: (item.created_at, item.pk), reverse=True)
            found[user_id] += [(kind.title, item) for item in listed[:MAX_ITEMS_PER_KIND]]
    return found


def digests_send(*, token: str) -> int:
    """Sends the digests claimed by `token`; a user with nothing new gets no mail (the row is still
    marked sent, so the week is done). Returns how many mails went out."""
    if not delivery.claimed_by(Digest, token).exists():
        return 0  # no connection to the mail server for nothing
    mails = 0
    mailer = get_connection()
    with mailer:
        while True:
            rows = list(
                delivery.claimed_by(Digest, token)
                .select_related("user", "user__alert_settings")
                .order_by("period_start", "user_id")[:SEND_BATCH_USERS]
            )
            if not rows:
                return mails
            # One week per batch (a stale claim taken over may be of an earlier week than the rest).
            rows = [row for row in rows if row.period_start == rows[0].period_start]
            start, end = _bounds(rows[0].period_start)
            found = _items_for([row.user_id for row in rows], start, end)
            ours = delivery.renew(Digest, token=token, ids=[row.pk for row in rows], now=timezone.now())
            if not ours:
                return mails
            for row in rows:
                if row.pk not in ours:
                    continue
                items = found.get(row.user_id, [])
                mails += delivery.send_and_mark(
                    Digest,
                    token=token,
                    rows=[row],
                    send=lambda batch, items=items: _send_one(batch[0], items, mailer),
                    now=timezone.now(),
                    extra={"item_count": len(items)},
                )


def _send_one(row: Digest, items: list, mailer) -> bool:
    if not items:
        return False
    entries = [{"kind": kind, "item": item, "url": absolute(item.get_absolute_url())} for kind, item in items]
    message = alert_mail(
        user=row.user,
        what="digest",
        template="digest",
        context={"entries": entries, "period_start": row.period_start},
    )
    message.connection = mailer
    return bool(message.send())


def digests_run(*, now: dt.datetime | None = None) -> dict:
    """The beat job (hourly is fine: a week's digest is claimed once): stale claims, claim, send."""
    return delivery.run(Digest, claim=digests_claim, send=digests_send, now=now or timezone.now())
