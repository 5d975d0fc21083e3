"""From outside: the follow buttons, /account/follows/, the private calendar (valid iCalendar, UTC
instants right for AoE and UTC+N), saved-search feeds, and the unsubscribe link of a mail."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from alerts.models import AlertSettings, CalendarToken, Follow, SavedSearch
from alerts.services import reminders
from alerts.services.calendar import calendar_token_create
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _calendar(client, key: str):
    return client.get(reverse("alerts:calendar", args=[key]))


def test_follow_button_follows_and_unfollows_a_venue(client, user):
    venue = f.VenueFactory()
    page = reverse("community:venue-detail", kwargs={"slug": venue.slug})
    assert "Sign in to follow" in client.get(page).content.decode()
    client.force_login(user)
    assert 'value="follow"' in client.get(page).content.decode()

    response = client.post(reverse("follows:toggle"), {"kind": "venue", "slug": venue.slug, "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(user=user, venue=venue).exists()
    assert "Following — stop following" in client.get(page).content.decode()
    client.post(
        reverse("follows:toggle"), {"kind": "venue", "slug": venue.slug, "next": page}
    )  # twice: one follow
    assert Follow.objects.filter(user=user).count() == 1

    client.post(reverse("follows:toggle"), {"kind": "venue", "slug": venue.slug, "action": "unfollow"})
    assert not Follow.objects.filter(user=user).exists()


@pytest.mark.parametrize("kind", ["funding", "topic"])
def test_funding_and_topic_pages_have_the_button(client, user, kind):
    item = f.FundingOpportunityFactory() if kind == "funding" else f.TopicFactory()
    client.force_login(user)
    assert f'name="kind" value="{kind}"' in client.get(item.get_absolute_url()).content.decode()
    client.post(reverse("follows:toggle"), {"kind": kind, "slug": item.slug, "next": "https://evil.example/"})
    assert Follow.objects.filter(user=user, **{kind: item}).exists()


def test_toggle_refuses_anonymous_unknown_and_offsite(client, user):
    venue = f.VenueFactory()
    response = client.post(reverse("follows:toggle"), {"kind": "venue", "slug": venue.slug})
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(user)
    assert client.post(reverse("follows:toggle"), {"kind": "paper", "slug": "x"}).status_code == 400
    assert client.post(reverse("follows:toggle"), {"kind": "venue", "slug": "nope"}).status_code == 400
    response = client.post(
        reverse("follows:toggle"), {"kind": "venue", "slug": venue.slug, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("follows:follows")
    assert not Follow.objects.filter(venue__slug="nope").exists()


def test_private_calendar_has_followed_deadlines_at_the_right_utc_instants(client, user):
    aoe = f.DeadlineFactory(due_at=dt.datetime(2030, 5, 16, 11, 59, tzinfo=dt.UTC), timezone_label="AoE")
    beijing = f.DeadlineFactory(due_at=dt.datetime(2030, 6, 1, 15, 59, tzinfo=dt.UTC), timezone_label="UTC+8")
    f.DeadlineFactory(due_at=dt.datetime(2030, 6, 2, tzinfo=dt.UTC))  # not followed
    call = f.FundingOpportunityFactory(
        deadline=dt.datetime(2030, 7, 1, 12, tzinfo=dt.UTC), deadline_timezone="UTC-5"
    )
    for venue in (aoe.venue, beijing.venue):
        Follow.objects.create(user=user, venue=venue)
    Follow.objects.create(user=user, funding=call)
    key = calendar_token_create(user=user)

    response = _calendar(client, key)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    # 23:59 AoE on 15 May = 11:59 UTC on 16 May; 23:59 UTC+8 on 1 June = 15:59 UTC.
    assert events == {
        f"deadline-{aoe.pk}@deepcommons": dt.datetime(2030, 5, 16, 11, 59, tzinfo=dt.UTC),
        f"deadline-{beijing.pk}@deepcommons": dt.datetime(2030, 6, 1, 15, 59, tzinfo=dt.UTC),
        f"funding-{call.pk}@deepcommons": dt.datetime(2030, 7, 1, 12, tzinfo=dt.UTC),
    }
    assert b"15 May 2030 23:59 AoE" in response.content.replace(b"\r\n ", b"")


def test_wrong_or_revoked_calendar_key_is_a_bare_404(client, user):
    Follow.objects.create(user=user, venue=f.DeadlineFactory().venue)
    key = calendar_token_create(user=user)
    assert _calendar(client, key).status_code == 200
    assert CalendarToken.objects.get(user=user).digest != key  # only the hash is stored
    for wrong in ("x" * 43, key[:-1] + ("A" if key[-1] != "A" else "B")):
        response = _calendar(client, wrong)
        assert response.status_code == 404 and user.username.encode() not in response.content
    new_key = calendar_token_create(user=user)  # regenerated: the old one stops working
    assert _calendar(client, key).status_code == 404
    assert _calendar(client, new_key).status_code == 200
    client.force_login(user)
    client.post(reverse("follows:follows"), {"action": "revoke-calendar"})
    assert _calendar(client, new_key).status_code == 404


def test_follows_page_makes_a_calendar_address_saves_searches_and_settings(client, user):
    client.force_login(user)
    assert client.get(reverse("follows:follows")).status_code == 200
    response = client.post(reverse("follows:follows"), {"action": "calendar"})
    key = response.context["calendar_key"]
    assert response.context["calendar_url"].endswith(f"/calendar/{key}.ics")
    assert _calendar(client, key).status_code == 200

    response = client.post(
        reverse("follows:follows"),
        {"action": "search", "name": "Grants", "address": "/zh-hans/funding/?page=2&bogus=1"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=user)
    assert (search.path, search.query) == ("/funding/", "")
    bad = client.post(
        reverse("follows:follows"), {"action": "search", "name": "x", "address": "/accounts/profile/"}
    )
    assert bad.status_code == 400 and SavedSearch.objects.count() == 1

    response = client.post(
        reverse("follows:follows"),
        {
            "action": "settings",
            "language": "zh-hans",
            "timezone": "Asia/Shanghai",
            "offsets": ["3", "14"],
            "digest_enabled": "on",
        },
    )
    assert response.status_code == 302
    saved = AlertSettings.objects.get(user=user)
    assert (saved.language, saved.timezone, saved.offsets, saved.reminders_enabled) == (
        "zh-hans",
        "Asia/Shanghai",
        [3, 14],
        False,
    )
    bad = client.post(
        reverse("follows:follows"), {"action": "settings", "language": "en", "timezone": "Mars/Olympus"}
    )
    assert bad.status_code == 400


def test_saved_search_feed_lists_what_the_search_finds(client, user):
    topic = f.TopicFactory()
    found = f.PaperFactory()
    found.topics.add(topic)
    f.PaperFactory()  # not in the topic
    search = SavedSearch.objects.create(user=user, name="T", path="/papers/", query=f"topic={topic.slug}")
    key = calendar_token_create(user=user)
    response = client.get(reverse("alerts:search-feed", kwargs={"key": key, "pk": search.pk}))
    assert response.status_code == 200 and response.content.count(b"<entry>") == 1
    assert found.title.encode() in response.content
    other = SavedSearch.objects.create(user=f.UserFactory(), name="T", path="/papers/", query="")
    assert client.get(reverse("alerts:search-feed", kwargs={"key": key, "pk": other.pk})).status_code == 404


def test_mail_in_chinese_at_beijing_time_with_a_working_one_click_unsubscribe(client, user):
    AlertSettings.objects.create(user=user, language="zh-hans", timezone="Asia/Shanghai")
    now = dt.datetime(2030, 5, 10, tzinfo=dt.UTC)
    deadline = f.DeadlineFactory(due_at=dt.datetime(2030, 5, 16, 11, 59, tzinfo=dt.UTC))
    Follow.objects.create(user=user, venue=deadline.venue)
    reminders.reminders_run(now=now)
    message = mail.outbox[0]
    assert "19:59" in message.body  # 11:59 UTC is 19:59 in Beijing
    assert "五月" in message.body  # the date written in Chinese (Django's own catalogue names the month)
    assert "Asia/Shanghai" in message.body
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header in message.body
    path = header.removeprefix("http://testserver").split("://", 1)[-1]
    path = path[path.index("/") :]

    assert client.get(path).status_code == 200  # a link checker opening it changes nothing
    assert AlertSettings.objects.get(user=user).reminders_enabled
    assert client.post(path).status_code == 200  # the mail program's one-click POST, no cookie, no CSRF
    assert not AlertSettings.objects.get(user=user).reminders_enabled
    assert client.post(path[:-3] + "xx/").status_code == 404


def test_follows_page_query_budget(client, user, django_assert_max_num_queries):
    for _ in range(5):
        Follow.objects.create(user=user, venue=f.VenueFactory())
        Follow.objects.create(user=user, funding=f.FundingOpportunityFactory())
        Follow.objects.create(user=user, topic=f.TopicFactory())
        SavedSearch.objects.create(user=user, name=f"s{SavedSearch.objects.count()}", path="/papers/")
    client.force_login(user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("follows:follows")).status_code == 200
