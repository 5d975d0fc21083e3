"""The reminder job at scale (issue 15): 100,000 users following 20 venues each, on PostgreSQL.

Fills a database of its own with generated data (COPY for the users and the 2,000,000 follows,
bulk_create for venues and deadlines: one deadline per venue, spread over the next year; one user in
ten has chosen other offsets), then times the reminder job's set-based part, the one statement per
target kind that claims every due reminder of every user (alerts.services.reminders.reminders_claim),
cold (the first run, when every reminder within its offset is due at once) and warm (the next run,
nothing new: the steady state of the 5-minute beat job). It prints the reminders claimed and the
mails the job would send (one per user), and times rendering and sending a sample of those mails
through the in-memory mail backend, so the send phase can be estimated. Generated data never
leaves this database.

    createdb -h 127.0.0.1 -U postgres dc_h7_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_h7_bench .venv/bin/python benchmarks/reminders.py --reset

--reset empties the tables it fills (users, venues, deadlines, follows, reminders) first; without it
the script refuses a database that already has users.
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts.models import REMINDER_OFFSETS, AlertSettings, Follow, Reminder, offsets_mask  # noqa: E402
from alerts.services import delivery, reminders  # noqa: E402
from community.models import Deadline, Venue  # noqa: E402
from community.models.base import ModerationStatus  # noqa: E402


def copy_rows(table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples of text) into `table`, streamed in one statement."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for n, row in enumerate(rows, 1):
                buffer.write("\t".join(row) + "\n")
                if n % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def generate(*, users: int, venues: int, follows_each: int, seed: int, now: dt.datetime) -> None:
    rng = random.Random(seed)
    user_table = get_user_model()._meta.db_table
    stamp = now.isoformat()
    copy_rows(
        user_table,
        [
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        (("!", "f", f"bench{i}", "", "", f"bench{i}@example.invalid", "f", "t", stamp) for i in range(users)),
    )
    user_ids = [pk for (pk,) in get_user_model().objects.order_by("pk").values_list("pk")]
    made = Venue.objects.bulk_create(
        Venue(
            name=f"BENCH{i}",
            slug=f"bench-{i}",
            kind=Venue.Kind.CONFERENCE,
            status=ModerationStatus.PUBLISHED,
        )
        for i in range(venues)
    )
    Deadline.objects.bulk_create(
        Deadline(
            venue=venue,
            kind=Deadline.Kind.PAPER,
            due_at=now + dt.timedelta(minutes=rng.randrange(1, 365 * 24 * 60)),
            timezone_label="AoE",
        )
        for venue in made
    )
    venue_ids = [venue.pk for venue in made]
    copy_rows(
        Follow._meta.db_table,
        ["user_id", "venue_id", "created_at"],
        (
            (str(user), str(venue), stamp)
            for user in user_ids
            for venue in rng.sample(venue_ids, follows_each)
        ),
    )
    AlertSettings.objects.bulk_create(
        AlertSettings(user_id=user, reminder_mask=offsets_mask(rng.sample(REMINDER_OFFSETS, 3)))
        for user in user_ids[::10]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset() -> None:
    tables = [Reminder, AlertSettings, Follow, Deadline, Venue]
    with connection.cursor() as cursor:
        names = ", ".join(model._meta.db_table for model in tables)
        cursor.execute(f"TRUNCATE {names}, {get_user_model()._meta.db_table} CASCADE")


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--venues", type=int, default=2_000)
    parser.add_argument("--follows-each", type=int, default=20)
    parser.add_argument(
        "--send-sample", type=int, default=500, help="mails rendered and sent to time the send phase"
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--reset", action="store_true", help="empty the tables this script fills first")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data a previous run generated (its reminders are deleted)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL=postgres://... (a database of its own).")

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    call_command("migrate", verbosity=0)
    now = timezone.now()
    if args.reuse and Follow.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Reminder._meta.db_table}")
        now = Deadline.objects.order_by("due_at").values_list("due_at", flat=True).first() - dt.timedelta(
            minutes=1
        )
        print(f"reusing {get_user_model().objects.count():,} users and {Follow.objects.count():,} follows")
    else:
        if args.reset:
            reset()
        elif get_user_model().objects.exists():
            sys.exit("The database already has users; use a database of its own and --reset.")
        timed(
            f"generate {args.users:,} users x {args.follows_each} follows of {args.venues:,} venues",
            lambda: generate(
                users=args.users, venues=args.venues, follows_each=args.follows_each, seed=args.seed, now=now
            ),
        )

    token = delivery.new_claim_token()
    claimed, cold = timed(
        "reminder job, claim (cold: every due reminder at once)",
        lambda: reminders.reminders_claim(now=now, token=token),
    )
    mails = Reminder.objects.filter(claim_token=token).values("user_id").distinct().count()
    print(f"reminders claimed: {claimed:,}; mails the job would send (one per user): {mails:,}")
    warm_claimed, warm = timed(
        "reminder job, claim (the next run, 5 minutes later)",
        lambda: reminders.reminders_claim(
            now=now + dt.timedelta(minutes=5), token=delivery.new_claim_token()
        ),
    )
    print(f"reminders that came due in those 5 minutes: {warm_claimed:,}")

    # The send phase for a sample of users: the rows of the other users move to another token first.
    sample_users = list(
        Reminder.objects.filter(claim_token=token)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[: args.send_sample]
    )
    outside = {"claim_token": "not-in-sample"}  # a claim no run sends
    Reminder.objects.filter(claim_token=token).exclude(user_id__in=sample_users).update(**outside)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SITE_URL=settings.SITE_URL
    ):
        sent, send_s = timed(
            f"send phase, {len(sample_users):,} mails (in-memory backend)",
            lambda: reminders.reminders_send(token=token),
        )
    per_mail = send_s / max(sent, 1)
    print(
        f"send phase: {per_mail * 1000:.1f} ms a mail -> about {per_mail * mails:.0f} s for all {mails:,} (plus the mail server)"
    )
    print(f"claim (cold) {cold:.2f} s; target 60 s: {'met' if cold <= 60 else 'NOT met'}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
