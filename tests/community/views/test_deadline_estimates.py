"""/deadlines/ beside the upcoming list (issue 15, item 6): the last twelve months' deadlines greyed,
an *expected* date for each venue among them whose next deadline is not announced (always labelled
as an estimate, never in the calendar unless asked), and when each tracker was last imported."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from community.models import Provenance, SourceFetch
from community.selectors.deadline_estimates import estimate_next
from tests.community import factories as f

D = dt.date
TODAY = D(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- the pure function ------------------------------------------------------------------------------


def test_a_regular_venue_is_expected_on_its_usual_day_next_year():
    estimate = estimate_next(
        [(2023, D(2023, 5, 12)), (2024, D(2024, 5, 15)), (2025, D(2025, 5, 17))], today=TODAY
    )

    assert estimate.expected == D(2027, 5, 15)
    assert estimate.regular and estimate.period == 1 and estimate.editions == 3
    assert estimate.describe() == "usually mid-May; last: 17 May 2025"


def test_a_venue_held_every_other_year_is_expected_two_years_after_its_last_edition():
    # ICCV: odd years only.
    estimate = estimate_next(
        [(2021, D(2021, 3, 17)), (2023, D(2023, 3, 8)), (2025, D(2025, 3, 7))], today=D(2025, 6, 1)
    )

    assert estimate.period == 2
    assert estimate.expected.year == 2027 and estimate.expected.month == 3
    assert estimate.describe().endswith("(held every two years)")


def test_a_deadline_that_moves_across_new_year_is_usual_around_new_year_not_in_july():
    estimate = estimate_next([(2025, D(2024, 12, 28)), (2026, D(2026, 1, 3))], today=D(2026, 6, 1))

    assert estimate.regular
    assert estimate.expected in (D(2026, 12, 31), D(2027, 1, 1))
    assert (estimate.earliest, estimate.latest) == (D(2024, 12, 28), D(2026, 1, 3))


def test_an_irregular_venue_gets_a_range_of_months_not_a_day():
    estimate = estimate_next(
        [(2023, D(2023, 2, 1)), (2024, D(2024, 6, 25)), (2025, D(2025, 4, 10))], today=TODAY
    )

    assert not estimate.regular
    assert estimate.describe() == "irregular, between early February and late June; last: 10 April 2025"


def test_a_venue_that_skipped_a_year_stays_annual_and_one_edition_says_so():
    skipped = estimate_next(
        [(2022, D(2022, 1, 15)), (2024, D(2024, 1, 14)), (2025, D(2025, 1, 16))], today=TODAY
    )
    assert skipped.period == 1 and skipped.expected == D(2027, 1, 15)

    once = estimate_next([(2026, D(2026, 3, 1))], today=TODAY)
    assert once.expected == D(2027, 3, 1)
    assert once.describe() == "around early March, from one past edition; last: 1 March 2026"


def test_no_estimate_without_history_or_for_a_venue_long_gone():
    assert estimate_next([], today=TODAY) is None
    assert estimate_next([(2018, D(2018, 5, 1)), (2019, D(2019, 5, 2))], today=TODAY) is None


def test_the_usual_day_already_past_this_year_moves_the_estimate_to_next_year():
    # Last deadline in May 2025 and nothing announced by December 2026: May 2027, not May 2026.
    estimate = estimate_next([(2024, D(2024, 5, 15)), (2025, D(2025, 5, 15))], today=TODAY)
    assert estimate.expected == D(2027, 5, 15)


def test_of_two_deadlines_of_one_edition_the_first_counts():
    estimate = estimate_next(
        [(2025, D(2025, 5, 30)), (2025, D(2025, 5, 2)), (2024, D(2024, 5, 3))], today=TODAY
    )
    assert estimate.editions == 2 and estimate.last == D(2025, 5, 2)


# --- the page and the calendar --------------------------------------------------------------------


@pytest.fixture
def frozen_now(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def _at(day: D) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 11, 59, tzinfo=dt.UTC)


def _venue_with_history(name: str, days: list[D], *, upcoming: D | None = None):
    venue = f.VenueFactory(name=name)
    for day in days:
        edition = f.EditionFactory(venue=venue, year=day.year)
        f.DeadlineFactory(venue=venue, edition=edition, kind="paper", label="", due_at=_at(day))
    if upcoming:
        edition = f.EditionFactory(venue=venue, year=upcoming.year)
        f.DeadlineFactory(venue=venue, edition=edition, kind="paper", label="", due_at=_at(upcoming))
    return venue


def test_past_deadlines_of_the_last_twelve_months_are_listed_greyed_and_older_ones_not(client, frozen_now):
    f.DeadlineFactory(due_at=NOW - dt.timedelta(days=30), label="passed-last-month")
    f.DeadlineFactory(due_at=NOW - dt.timedelta(days=400), label="passed-long-ago")
    f.DeadlineFactory(due_at=NOW + dt.timedelta(days=3), label="still-open")

    response = client.get(reverse("community:deadline-list"))
    html = response.content.decode()

    assert [d.label for d in response.context["items"]] == ["still-open"]
    past = html[html.index('class="past-deadlines"') :]
    assert "passed-last-month" in past and 'class="deadline is-past"' in past
    assert "still-open" not in past
    assert "passed-long-ago" not in html


def test_a_venue_without_an_announced_deadline_gets_an_expected_date_labelled_as_an_estimate(
    client, frozen_now
):
    _venue_with_history("QuietConf", [D(2024, 5, 14), D(2025, 5, 15), D(2026, 5, 16)])
    _venue_with_history("BusyConf", [D(2025, 3, 1), D(2026, 3, 2)], upcoming=D(2027, 3, 1))

    html = client.get(reverse("community:deadline-list")).content.decode()

    expected = html[html.index('class="expected-deadlines"') : html.index('class="past-deadlines"')]
    assert "QuietConf" in expected
    assert "Expected, not announced yet (estimates)" in expected and ">estimate<" in expected
    assert "expected around 15 May 2027" in expected
    assert "usually mid-May; last: 16 May 2026" in expected
    assert "BusyConf" not in expected  # its next deadline is announced


def test_the_filters_narrow_the_past_list_and_the_estimates_too(client, frozen_now):
    _venue_with_history("QuietConf", [D(2025, 5, 15), D(2026, 5, 16)])
    _venue_with_history("OtherConf", [D(2025, 6, 15), D(2026, 6, 16)])

    html = client.get(reverse("community:deadline-list"), {"q": "QuietConf"}).content.decode()

    shown = html[html.index('class="expected-deadlines"') :]
    assert "QuietConf" in shown and "OtherConf" not in shown


def test_the_calendar_has_no_estimate_unless_the_reader_asks(client, frozen_now):
    _venue_with_history("QuietConf", [D(2025, 5, 15), D(2026, 5, 16)])
    f.DeadlineFactory(due_at=NOW + dt.timedelta(days=3), label="still-open")

    plain = client.get(reverse("deadlines-ics")).content.decode()
    asked = client.get(reverse("deadlines-ics"), {"estimates": "1"}).content.decode()
    feed = client.get(reverse("feed-deadlines"), {"estimates": "1"}).content.decode()

    assert "estimate" not in plain.lower() and "QuietConf" not in plain
    assert "still-open" in plain
    assert "SUMMARY:QuietConf: expected paper deadline (estimate)" in asked
    assert "DTSTART;VALUE=DATE:20270515" in asked
    assert "still-open" in asked
    plain_feed = client.get(reverse("feed-deadlines")).content.decode()

    assert "QuietConf" not in plain_feed and "(estimate)" not in plain_feed
    assert "<title>QuietConf: expected paper deadline (estimate)</title>" in feed
    assert "An estimate from past editions, not an announced date: usually mid-May" in feed


def test_the_page_says_when_each_tracker_was_last_imported(client, frozen_now):
    deadline = f.DeadlineFactory(due_at=NOW + dt.timedelta(days=3))
    Provenance.objects.create(
        content_type=ContentType.objects.get_for_model(deadline),
        object_id=deadline.pk,
        source="ccf-deadlines",
        file="conference/AI/x.yml",
        revision="5f8dce347bc17783bc6cd50509e07cc0196863b4",
    )

    html = client.get(reverse("community:deadline-list")).content.decode()

    line = html[html.index('class="tracker-imports') :][:1000]
    assert "ccf-deadlines" in line and "last imported" in line and "5f8dce347bc" in line
    assert "Copyright (c) 2021 CCFDDL" in line and "ai-deadlines" not in line
    assert "Synced from" not in html  # no sync listed

    SourceFetch.objects.create(
        url="https://example.org/ccf.tar.gz",
        checked_at=NOW - dt.timedelta(hours=2),
        changed_at=dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC),
    )
    html = client.get(reverse("community:deadline-list")).content.decode()
    assert (
        "Synced from https://example.org/ccf.tar.gz: last checked 2 December 2026, 07:00, last changed 30 November 2026, 08:00"
        in " ".join(html.split())
    )


def test_the_query_count_is_constant_with_past_and_expected_deadlines(client, frozen_now):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("community:deadline-list")).status_code == 200
        return len(queries)

    _venue_with_history("Conf0", [D(2025, 5, 15), D(2026, 5, 16)])
    f.DeadlineFactory(due_at=NOW + dt.timedelta(days=1))
    small = count()
    for n in range(1, 8):
        _venue_with_history(f"Conf{n}", [D(2024, 4, n), D(2025, 4, n), D(2026, 4, n)], upcoming=None)
        f.DeadlineFactory(due_at=NOW + dt.timedelta(days=n))
    large = count()

    assert large == small
    assert large <= 12


def test_a_venue_page_shows_the_estimate_only_while_nothing_is_announced(client, frozen_now):
    quiet = _venue_with_history("QuietConf", [D(2024, 5, 14), D(2025, 5, 15), D(2026, 5, 16)])
    busy = _venue_with_history("BusyConf", [D(2025, 3, 1), D(2026, 3, 2)], upcoming=D(2027, 3, 1))

    quiet_page = " ".join(client.get(quiet.get_absolute_url()).content.decode().split())
    busy_page = client.get(busy.get_absolute_url()).content.decode()

    assert "Next paper deadline not announced yet: expected around 15 May 2027" in quiet_page
    assert "usually mid-May; last: 16 May 2026" in quiet_page and ">estimate<" in quiet_page
    assert "not announced yet" not in busy_page
