"""Follow, calendar, remind, with the real stack: a contributor follows two venues through the API,
finds both in their private calendar (valid iCalendar, UTC instants right for AoE and UTC+8), and
gets each reminder exactly once from the real beat and workers (two workers, the job every 2 s, so
runs overlap); a claim left by a worker that died between claim and send goes out once, after the
lease, and never twice."""

import datetime as dt
import re
import secrets
import time

import pytest
import requests

from .stack import CLAIM_LEASE_S, wait_for

# Made through the services' models, as an import or a moderator would (published venues with one
# deadline each); prints the slugs. Runs in `manage.py shell` (the harness imports no Django).
SETUP = """
import datetime as dt
from django.utils import timezone
from community.models import Deadline, Venue
now = timezone.now()
for name, days, label in {venues!r}:
    venue = Venue.objects.create(name=name, slug=name.lower(), kind="conference", status="published")
    Deadline.objects.create(venue=venue, kind="paper", due_at=now + dt.timedelta(days=days), timezone_label=label)
    print("made venue", venue.slug)
"""


def _reminder_rows(stack, usernames_like: str) -> list[tuple]:
    return stack.sql(
        "SELECT v.name, r.offset_days, r.state, r.attempts FROM alerts_reminder r "
        "JOIN community_deadline d ON d.id = r.deadline_id JOIN community_venue v ON v.id = d.venue_id "
        "JOIN auth_user u ON u.id = r.user_id WHERE u.username = %s ORDER BY v.name",
        (usernames_like,),
    )


def _mentions(stack, name: str) -> int:
    return sum(mail.count(f"- {name} ") + mail.count(f"- {name}:") for mail in stack.mails())


@pytest.fixture
def beat(stack):
    proc = stack.start_beat()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.mark.timeout(180)
def test_follow_two_venues_calendar_and_each_reminder_once(stack, beat):
    tag = secrets.token_hex(3).upper()
    aoe, beijing, stale = f"AOE{tag}", f"BJ{tag}", f"DEAD{tag}"
    output = stack.manage(
        "shell", "-c", SETUP.format(venues=[(aoe, 3, "AoE"), (beijing, 20, "UTC+8"), (stale, 2, "AoE")])
    )
    slugs = [line.split()[-1] for line in output.splitlines() if line.startswith("made venue ")]
    assert len(slugs) == 3, output
    contributor = stack.client("contributor")
    username = stack.accounts["contributor"]["username"]

    for slug in slugs[:2]:
        response = contributor.post(
            stack.url("/api/v1/follows/"), json={"kind": "venue", "slug": slug}, timeout=10
        )
        assert response.status_code == 201, response.text
    assert requests.get(stack.url("/api/v1/follows/"), timeout=10).status_code == 401

    calendar = contributor.post(stack.url("/api/v1/calendar/"), timeout=10).json()["url"]
    ics = requests.get(calendar, timeout=10)
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    text = ics.text.replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == 2 and aoe in text and beijing in text and stale not in text
    due = {
        name: stack.sql(
            "SELECT d.due_at FROM community_deadline d JOIN community_venue v ON v.id = d.venue_id WHERE v.name = %s",
            (name,),
        )[0][0]
        for name in (aoe, beijing)
    }
    for instant in due.values():
        assert f"DTSTART:{instant.astimezone(dt.UTC):%Y%m%dT%H%M%S}Z" in text
    assert requests.get(calendar.replace(".ics", "x.ics"), timeout=10).status_code == 404

    # Both reminders (3 days away: the 7-day one; 20 days away: the 30-day one), sent by beat's job.
    wait_for(
        lambda: [row[2] for row in _reminder_rows(stack, username)] == ["sent", "sent"],
        timeout=90,
        what="beat and the workers to send both reminders",
    )
    assert [row[:2] for row in _reminder_rows(stack, username)] == [(aoe, 7), (beijing, 30)]

    # A worker that died between claim and send: its claim (fresh, made before the follow it belongs
    # to, so no run claims that reminder first) is left alone within the lease, then taken over and
    # sent once.
    stack.sql(
        "INSERT INTO alerts_reminder (user_id, deadline_id, offset_days, state, claim_token, claimed_at, attempts) "
        "SELECT u.id, d.id, 7, 'claimed', 'dead-worker', now(), 1 FROM auth_user u, community_deadline d "
        "JOIN community_venue v ON v.id = d.venue_id WHERE u.username = %s AND v.name = %s",
        (username, stale),
    )
    contributor.post(stack.url("/api/v1/follows/"), json={"kind": "venue", "slug": slugs[2]}, timeout=10)
    wait_for(
        lambda: [row[2:] for row in _reminder_rows(stack, username) if row[0] == stale] == [("sent", 2)],
        timeout=CLAIM_LEASE_S + 60,
        what="the stale claim to be taken over and sent",
    )
    # Several more runs of the job (every 2 s, on two workers): nothing is sent again.
    time.sleep(8)
    assert [_mentions(stack, name) for name in (aoe, beijing, stale)] == [1, 1, 1]
    assert all(row[2] == "sent" for row in _reminder_rows(stack, username))
    # The header is folded (the signed link is long): "List-Unsubscribe:\n <http://...>".
    assert re.search(r"List-Unsubscribe:\s+<http://[^>]+/alerts/unsubscribe/", "".join(stack.mails()))
