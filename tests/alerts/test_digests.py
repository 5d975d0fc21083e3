"""The weekly digest: new items in followed topics, once per user and week, in the user's language."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from alerts.models import AlertSettings, Digest, Follow
from alerts.services import delivery, digests
from tests.community import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 5, 15, 9, tzinfo=dt.UTC)  # a Wednesday: last week is 6-13 May


def _published_last_week(paper):
    type(paper).objects.filter(pk=paper.pk).update(created_at=dt.datetime(2030, 5, 8, tzinfo=dt.UTC))


def test_digest_lists_last_weeks_items_in_followed_topics_once():
    ada, bob, quiet = f.UserFactory(), f.UserFactory(), f.UserFactory()
    topic, other = f.TopicFactory(), f.TopicFactory()
    new = f.PaperFactory()
    new.topics.add(topic)
    _published_last_week(new)
    old = f.PaperFactory()
    old.topics.add(topic)  # created today, not in that week: not in its digest
    elsewhere = f.ProjectFactory()
    elsewhere.topics.add(other)
    _published_last_week(elsewhere)
    Follow.objects.create(user=ada, topic=topic)
    Follow.objects.create(user=bob, topic=other)
    Follow.objects.create(user=quiet, topic=f.TopicFactory())
    AlertSettings.objects.create(user=bob, digest_enabled=False)

    assert digests.digests_run(now=NOW)["mails"] == 1
    (message,) = mail.outbox
    assert message.to == [ada.email] and new.title in message.body and old.title not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert Digest.objects.get(user=quiet).state == "sent"  # nothing new: no mail, the week is done
    assert not Digest.objects.filter(user=bob).exists()
    assert digests.digests_run(now=NOW + dt.timedelta(days=2))["mails"] == 0  # same week: nothing again


def test_digest_claimed_by_a_dead_worker_goes_out_after_the_lease():
    ada = f.UserFactory()
    topic = f.TopicFactory()
    paper = f.PaperFactory()
    paper.topics.add(topic)
    _published_last_week(paper)
    Follow.objects.create(user=ada, topic=topic)
    assert digests.digests_claim(now=NOW, token="dead") == 1  # then the worker dies
    assert digests.digests_run(now=NOW + dt.timedelta(minutes=1))["mails"] == 0
    assert digests.digests_run(now=NOW + delivery.lease() + dt.timedelta(minutes=1))["mails"] == 1
    assert len(mail.outbox) == 1


def test_week_start_is_the_monday_of_the_last_complete_week():
    assert digests.week_start(NOW) == dt.date(2030, 5, 6)
    assert digests.week_start(timezone.now()).weekday() == 0
