"""Exactly-once mail: the claim -> send -> sent protocol that reminders and digests share.

A run inserts the rows it will send as `claimed` with its own claim_token (an INSERT ... SELECT
that skips rows that already exist: a unique constraint says which mail is which, so two runs at
once never claim the same mail). Right before sending a mail the run renews its claim (a guarded
UPDATE on its token), and right after it marks the rows `sent` (guarded the same way). A worker
that dies between claim and send leaves rows `claimed` with an old claimed_at; once that is older
than the lease (ALERTS_CLAIM_LEASE_S) the next run takes them over with one guarded UPDATE, so the
mail goes out once, later, rather than never. The one case no database can close: a worker that
dies after the mail server accepted the mail and before the `sent` UPDATE; that mail goes out again
after the lease, so the window is kept to one statement.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F

from ..models import Delivery

logger = logging.getLogger(__name__)
CLAIMED = Delivery.State.CLAIMED
SENT = Delivery.State.SENT


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "ALERTS_CLAIM_LEASE_S", 900))


def new_claim_token() -> str:
    return uuid.uuid4().hex


def insert_ignoring_duplicates(*, table: str, columns: list[str], select_sql: str, params: list) -> int:
    """INSERT INTO table (columns) <select_sql>, skipping rows a unique constraint already has."""
    cols = ", ".join(columns)
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} ({cols}) {select_sql} ON CONFLICT DO NOTHING"  # noqa: S608 - names from _meta
    else:
        sql = f"INSERT OR IGNORE INTO {table} ({cols}) {select_sql}"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def param(value):
    """A datetime as the raw cursor needs it on this database (the ORM does this for its own queries)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def reclaim_stale(model: type[models.Model], *, token: str, now: dt.datetime) -> int:
    """Takes over claims older than the lease (their worker died): one guarded UPDATE, so of two runs
    at once only one gets each row (PostgreSQL re-checks the WHERE on a row another UPDATE changed)."""
    taken = model.objects.filter(state=CLAIMED, claimed_at__lt=now - lease()).update(
        claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    if taken:
        logger.warning(
            "Took over %d stale %s claims (a worker died before sending them).", taken, model.__name__
        )
    return taken


def claimed_by(model: type[models.Model], token: str):
    return model.objects.filter(state=CLAIMED, claim_token=token)


def renew(model: type[models.Model], *, token: str, ids: list[int], now: dt.datetime) -> set[int]:
    """Renews this run's claim on `ids` right before sending them (one guarded UPDATE for a batch);
    returns the ids still ours (a run that outlived its lease may have lost some to another run)."""
    with transaction.atomic():
        renewed = model.objects.filter(pk__in=ids, state=CLAIMED, claim_token=token).update(claimed_at=now)
        if renewed == len(ids):
            return set(ids)
        return set(
            model.objects.filter(pk__in=ids, state=CLAIMED, claim_token=token).values_list("pk", flat=True)
        )


def send_and_mark(
    model: type[models.Model],
    *,
    token: str,
    rows: list[models.Model],
    send: Callable[[list], bool],
    now: dt.datetime,
    extra: dict | None = None,
) -> int:
    """Sends one mail for `rows` (send(rows) -> whether a mail went out), then marks them sent at once
    (one guarded UPDATE, its own commit: the window in which a crash would resend is this statement).
    `extra`: other fields to set with it. Returns 1 if a mail went out."""
    sent = send(rows)
    model.objects.filter(pk__in=[row.pk for row in rows], state=CLAIMED, claim_token=token).update(
        state=SENT, sent_at=now, **(extra or {})
    )
    return 1 if sent else 0


def run(model: type[models.Model], *, claim: Callable, send: Callable, now: dt.datetime) -> dict:
    """One run of a mail job under a new claim token: take over stale claims, claim(now, token) what
    is due, send(token); returns the three counts."""
    token = new_claim_token()
    taken = reclaim_stale(model, token=token, now=now)
    claimed = claim(now=now, token=token)
    mails = send(token=token)
    logger.info("%s: %d claimed, %d taken over, %d mails sent.", model.__name__, claimed, taken, mails)
    return {"claimed": claimed, "taken_over": taken, "mails": mails}
