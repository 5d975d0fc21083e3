"""Deadline reminders: which offset is due, exactly once per (user, deadline, offset), a worker that
dies between claim and send, and two runs at once (threads; real concurrency on PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from alerts.models import AlertSettings, Follow, Reminder, offsets_mask
from alerts.services import delivery, reminders
from community.models.base import ModerationStatus
from tests.community import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


def _deadline(days: float, **kwargs):
    return f.DeadlineFactory(due_at=NOW + dt.timedelta(days=days), **kwargs)


def _follow(user, venue):
    return Follow.objects.create(user=user, venue=venue)


def _sent():
    return sorted(
        Reminder.objects.filter(state="sent").values_list("user__username", "deadline_id", "offset_days")
    )


def test_nearest_passed_offset_is_due_once_and_later_offsets_follow():
    user = f.UserFactory()
    deadline = _deadline(5)  # 5 days left: the 7-day reminder is due, not the 30-day one late
    _follow(user, deadline.venue)

    assert reminders.reminders_run(now=NOW)["mails"] == 1
    assert _sent() == [(user.username, deadline.pk, 7)]
    assert mail.outbox[0].to == [user.email]
    assert deadline.venue.name in mail.outbox[0].subject

    assert reminders.reminders_run(now=NOW + dt.timedelta(hours=1))["mails"] == 0  # nothing twice
    assert reminders.reminders_run(now=NOW + dt.timedelta(days=4, hours=1))["mails"] == 1  # 1 day left
    assert _sent() == [(user.username, deadline.pk, 1), (user.username, deadline.pk, 7)]
    assert reminders.reminders_run(now=NOW + dt.timedelta(days=6))["mails"] == 0  # passed: nothing
    assert len(mail.outbox) == 2


def test_user_offsets_unfollowed_unpublished_and_disabled_get_nothing():
    chooser, other, disabled = f.UserFactory(), f.UserFactory(), f.UserFactory()
    AlertSettings.objects.create(user=chooser, reminder_mask=offsets_mask([14]))
    AlertSettings.objects.create(user=disabled, reminders_enabled=False)
    deadline = _deadline(10)
    hidden = _deadline(3)
    hidden.venue.status = ModerationStatus.PENDING
    hidden.venue.save()
    for user in (chooser, disabled):
        _follow(user, deadline.venue)
        _follow(user, hidden.venue)
    _deadline(2)  # a deadline nobody follows
    _follow(other, f.VenueFactory())

    reminders.reminders_run(now=NOW)
    assert _sent() == [(chooser.username, deadline.pk, 14)]  # default users would get none at 10 days


def test_funding_deadlines_are_reminded_too():
    user = f.UserFactory()
    call = f.FundingOpportunityFactory(deadline=NOW + dt.timedelta(hours=20))
    Follow.objects.create(user=user, funding=call)
    reminders.reminders_run(now=NOW)
    assert list(Reminder.objects.values_list("funding_id", "offset_days", "state")) == [(call.pk, 1, "sent")]
    assert call.title in mail.outbox[0].subject


def test_one_mail_per_user_lists_every_due_deadline():
    user = f.UserFactory()
    first, second = _deadline(0.5), _deadline(0.8)
    _follow(user, first.venue)
    _follow(user, second.venue)
    assert reminders.reminders_run(now=NOW)["mails"] == 1
    body = mail.outbox[0].body
    assert first.venue.name in body and second.venue.name in body
    assert Reminder.objects.filter(state="sent").count() == 2


@override_settings(ALERTS_CLAIM_LEASE_S=600)
def test_worker_killed_between_claim_and_send_is_retried_after_the_lease_once():
    user = f.UserFactory()
    deadline = _deadline(3)
    _follow(user, deadline.venue)

    # The dying worker: it claims, then crashes before sending (nothing after the claim runs).
    dead_token = delivery.new_claim_token()
    assert reminders.reminders_claim(now=NOW, token=dead_token) == 1
    assert len(mail.outbox) == 0

    # Within the lease the claim is respected: a second run neither claims nor sends it.
    assert reminders.reminders_run(now=NOW + dt.timedelta(minutes=5)) == {
        "claimed": 0,
        "taken_over": 0,
        "mails": 0,
    }
    # After the lease the next run takes the stale claim over and sends it, once.
    result = reminders.reminders_run(now=NOW + dt.timedelta(minutes=11))
    assert result == {"claimed": 0, "taken_over": 1, "mails": 1}
    reminders.reminders_run(now=NOW + dt.timedelta(minutes=40))
    assert len(mail.outbox) == 1
    row = Reminder.objects.get()
    assert (row.state, row.attempts, row.offset_days) == ("sent", 2, 7)
    # The dead worker's token no longer sends anything, should it come back.
    assert reminders.reminders_send(token=dead_token) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_claim_for_the_next_run(monkeypatch):
    user = f.UserFactory()
    _follow(user, _deadline(2).venue)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(ConnectionRefusedError):
        reminders.reminders_run(now=NOW)
    monkeypatch.undo()
    assert Reminder.objects.get().state == "claimed"
    assert reminders.reminders_run(now=NOW + delivery.lease() + dt.timedelta(seconds=1))["mails"] == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once():
    """Two threads run the job at the same moment (on PostgreSQL: two connections, real row locks)."""
    users = [f.UserFactory() for _ in range(30)]
    deadlines = [_deadline(d) for d in (0.5, 2, 6, 20)]
    for user in users:
        for deadline in deadlines:
            _follow(user, deadline.venue)
    # A stale claim both runs will try to take over.
    Reminder.objects.create(
        user=users[0],
        deadline=_deadline(1.5),
        offset_days=7,
        claim_token="dead",
        claimed_at=NOW - dt.timedelta(hours=1),
    )
    _follow(users[0], Reminder.objects.get().deadline.venue)

    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders.reminders_run(now=NOW))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = 30 * 4 + 1
    assert sum(r["claimed"] + r["taken_over"] for r in results) == expected
    assert Reminder.objects.filter(state="sent").count() == expected
    # Every reminder once: the rows are unique, and the mails name each (user, deadline) once.
    seen = [(m.to[0], line) for m in mail.outbox for line in m.body.splitlines() if line.startswith("- ")]
    assert len(seen) == len(set(seen)) == expected
    # One mail per user and run: the user whose stale claim one run took over may get that reminder
    # in a mail of its own when the other run claimed their new ones.
    assert sum(r["mails"] for r in results) == len(mail.outbox) in (30, 31)


def test_the_claim_is_one_statement_whatever_the_number_of_users(django_assert_max_num_queries):
    for _ in range(20):
        user = f.UserFactory()
        _follow(user, f.VenueFactory())
    deadline = _deadline(1)
    for user in f.UserFactory.create_batch(20):
        _follow(user, deadline.venue)
    with django_assert_max_num_queries(2):
        assert reminders.reminders_claim(now=NOW, token="t") == 20
