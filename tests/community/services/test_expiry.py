"""Closing what has expired (community.services.expiry): job postings past their closing date, funding
calls past their deadline, editions whose paper deadlines have all passed; the hourly task that runs
it, the admin's "Mark as closed", and what the pages and the API show for a closed posting."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import ChangeRecord, Deadline, Edition, FundingOpportunity, JobPosting
from community.services.expiry import ExpiryReport, close_expired, items_close
from community.services.imports import deadlines_import
from tests.community import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 10, 15, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


def _job(closes_on, **kwargs) -> JobPosting:
    return f.JobPostingFactory(closes_on=closes_on, **kwargs)


# --- job postings -----------------------------------------------------------------------------


def test_a_posting_past_its_closing_date_is_closed_when_that_day_ended():
    past = _job(TODAY - dt.timedelta(days=1))
    long_past = _job(dt.date(2020, 1, 31))

    report = close_expired(now=NOW)

    assert report.jobs_closed == 2
    past.refresh_from_db()
    long_past.refresh_from_db()
    # Not the time the job ran: the first instant after the last day applications were taken.
    assert past.closed_at == dt.datetime(2027, 3, 10, tzinfo=dt.UTC)
    assert long_past.closed_at == dt.datetime(2020, 2, 1, tzinfo=dt.UTC)


def test_postings_closing_today_later_or_never_stay_open():
    today = _job(TODAY)
    later = _job(TODAY + dt.timedelta(days=5))
    rolling = _job(None)

    assert close_expired(now=NOW).jobs_closed == 0

    for job in (today, later, rolling):
        job.refresh_from_db()
        assert job.closed_at is None


def test_running_twice_changes_nothing_the_second_time():
    f.DeadlineFactory(due_at=NOW - dt.timedelta(days=2))
    _job(TODAY - dt.timedelta(days=3))
    f.FundingOpportunityFactory(deadline=NOW - dt.timedelta(hours=1))

    first = close_expired(now=NOW)
    stored = (
        list(JobPosting.objects.values_list("closed_at", flat=True)),
        list(FundingOpportunity.objects.values_list("closed_at", flat=True)),
        list(Edition.objects.values_list("call_closed_at", flat=True)),
    )
    second = close_expired(now=NOW + dt.timedelta(hours=1))

    assert first == ExpiryReport(jobs_closed=1, funding_closed=1, editions_closed=1)
    assert second == ExpiryReport(jobs_closed=0, funding_closed=0, editions_closed=0)
    assert stored == (
        list(JobPosting.objects.values_list("closed_at", flat=True)),
        list(FundingOpportunity.objects.values_list("closed_at", flat=True)),
        list(Edition.objects.values_list("call_closed_at", flat=True)),
    )


def test_one_update_per_model_whatever_the_number_of_rows():
    for days in range(1, 6):
        _job(TODAY - dt.timedelta(days=days))
        f.FundingOpportunityFactory(deadline=NOW - dt.timedelta(days=days))
        f.DeadlineFactory(due_at=NOW - dt.timedelta(days=days))

    with CaptureQueriesContext(connection) as queries:
        report = close_expired(now=NOW)

    assert report == ExpiryReport(jobs_closed=5, funding_closed=5, editions_closed=5)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 3


def test_a_posting_a_moderator_closed_keeps_its_date_and_stays_closed(moderator):
    filled = _job(TODAY + dt.timedelta(days=20))
    filled_then_expired = _job(TODAY - dt.timedelta(days=1))
    closed_on = NOW - dt.timedelta(days=7)

    assert items_close(items=JobPosting.objects.all(), moderator=moderator, now=closed_on) == 2
    close_expired(now=NOW)
    close_expired(now=NOW + dt.timedelta(days=60))

    for job in (filled, filled_then_expired):
        job.refresh_from_db()
        assert job.closed_at == closed_on
    assert JobPosting.objects.open().count() == 0


def test_closing_by_hand_records_history_and_skips_what_is_closed(moderator):
    job = _job(TODAY + dt.timedelta(days=20))
    already = _job(TODAY + dt.timedelta(days=20), closed_at=NOW - dt.timedelta(days=1))

    assert items_close(items=JobPosting.objects.all(), moderator=moderator, now=NOW) == 1

    already.refresh_from_db()
    assert already.closed_at == NOW - dt.timedelta(days=1)
    records = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(JobPosting))
    assert [(r.object_id, r.user, r.changes) for r in records] == [
        (job.pk, moderator, {"closed_at": [None, NOW.isoformat()]})
    ]


def test_the_admin_action_marks_postings_as_closed(client, staff_user):
    job = _job(TODAY + dt.timedelta(days=20))
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:community_jobposting_changelist"),
        {"action": "close_selected", "_selected_action": [job.pk]},
        follow=True,
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.closed_at is not None
    assert "1 item marked as closed." in response.content.decode()


def test_open_is_right_between_two_runs_of_the_job():
    # Expired an hour ago, not closed by the job yet: open() still leaves it out.
    expired = _job(timezone.now().date() - dt.timedelta(days=1))
    assert expired.closed_at is None
    assert not JobPosting.objects.open().filter(pk=expired.pk).exists()


# --- pages and API ----------------------------------------------------------------------------


def _open_and_closed():
    today = timezone.now().date()
    open_job = _job(today + dt.timedelta(days=10), title="Still hiring")
    # A filled position: its closing date is still ahead, only closed_at says it is closed.
    filled = _job(today + dt.timedelta(days=10), title="Already filled")
    items_close(items=JobPosting.objects.filter(pk=filled.pk), moderator=None)
    return open_job, filled


def test_the_jobs_list_open_filter_hides_closed_postings_and_the_list_marks_them(client):
    open_job, filled = _open_and_closed()

    everything = client.get(reverse("community:job-list")).content.decode()
    only_open = client.get(reverse("community:job-list"), {"open": "on"}).content.decode()

    assert "Still hiring" in everything and "Already filled" in everything
    filled.refresh_from_db()
    assert f"Closed {filled.closed_at.day} {filled.closed_at:%B %Y}" in everything
    assert "Still hiring" in only_open
    assert "Already filled" not in only_open


def test_a_closed_posting_page_says_closed(client):
    _, filled = _open_and_closed()
    html = client.get(filled.get_absolute_url()).content.decode()
    assert 'class="is-closed">Closed</strong>' in html


def test_the_jobs_api_exposes_closed_at_and_its_open_filter_hides_closed_postings(client):
    open_job, filled = _open_and_closed()

    everything = {j["slug"]: j for j in client.get("/api/v1/jobs/").json()["results"]}
    only_open = [j["slug"] for j in client.get("/api/v1/jobs/", {"open": "true"}).json()["results"]]

    filled.refresh_from_db()
    assert everything[open_job.slug]["closed_at"] is None
    assert everything[filled.slug]["closed_at"] == filled.closed_at.isoformat().replace("+00:00", "Z")
    assert only_open == [open_job.slug]


def test_closed_at_is_read_only_in_the_api(client, member):
    job = _job(timezone.now().date() + dt.timedelta(days=10))
    client.force_login(member)
    body = client.get(f"/api/v1/jobs/{job.slug}/").json()
    assert body["closed_at"] is None
    # The submission serializer has no such field: a client cannot close (or reopen) a posting.
    from community.api.writes import JobInputSerializer

    assert "closed_at" not in JobInputSerializer().fields


def test_the_jobs_list_keeps_its_query_count_with_closed_postings(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("community:job-list"), {"open": "on"}).status_code == 200
        return len(queries)

    f.linked_job()
    one = count()
    for _ in range(4):
        f.linked_job()
        _job(timezone.now().date() - dt.timedelta(days=3))
    close_expired()
    assert count() == one


# --- funding ----------------------------------------------------------------------------------


def test_a_funding_call_past_its_deadline_is_closed_at_the_deadline():
    deadline = NOW - dt.timedelta(hours=3)
    past = f.FundingOpportunityFactory(deadline=deadline)
    future = f.FundingOpportunityFactory(deadline=NOW + dt.timedelta(hours=1))
    rolling = f.FundingOpportunityFactory(deadline=None)

    assert close_expired(now=NOW).funding_closed == 1

    past.refresh_from_db()
    future.refresh_from_db()
    rolling.refresh_from_db()
    assert past.closed_at == deadline
    assert future.closed_at is None and rolling.closed_at is None


def test_funding_open_filter_hides_a_call_closed_early(client):
    keep = f.FundingOpportunityFactory(title="Open call")
    withdrawn = f.FundingOpportunityFactory(title="Withdrawn call")
    items_close(items=FundingOpportunity.objects.filter(pk=withdrawn.pk), moderator=None)

    html = client.get(reverse("community:funding-list"), {"open": "on"}).content.decode()

    assert keep.title in html
    assert withdrawn.title not in html


# --- editions ---------------------------------------------------------------------------------


def test_an_edition_closes_only_when_every_paper_deadline_has_passed():
    venue = f.VenueFactory()
    done = f.EditionFactory(venue=venue, year=2026)
    last = NOW - dt.timedelta(days=2)
    f.DeadlineFactory(venue=venue, edition=done, due_at=NOW - dt.timedelta(days=9))
    f.DeadlineFactory(venue=venue, edition=done, due_at=last)
    # Its camera-ready deadline is ahead, but the call for papers is over.
    f.DeadlineFactory(
        venue=venue, edition=done, kind=Deadline.Kind.CAMERA_READY, due_at=NOW + dt.timedelta(days=30)
    )

    second_round = f.EditionFactory(venue=venue, year=2027)
    f.DeadlineFactory(venue=venue, edition=second_round, due_at=NOW - dt.timedelta(days=9))
    f.DeadlineFactory(venue=venue, edition=second_round, due_at=NOW + dt.timedelta(days=9))

    # Only the abstract deadline passed: papers are still due.
    abstract_only = f.EditionFactory(venue=venue, year=2028)
    f.DeadlineFactory(
        venue=venue, edition=abstract_only, kind=Deadline.Kind.ABSTRACT, due_at=NOW - dt.timedelta(days=1)
    )
    f.DeadlineFactory(venue=venue, edition=abstract_only, due_at=NOW + dt.timedelta(days=6))

    no_deadline = f.EditionFactory(venue=venue, year=2029)

    assert close_expired(now=NOW).editions_closed == 1

    assert Edition.objects.get(pk=done.pk).call_closed_at == last
    for edition in (second_round, abstract_only, no_deadline):
        assert Edition.objects.get(pk=edition.pk).call_closed_at is None


def test_the_venue_page_says_the_call_closed_and_deadlines_keep_working_by_date(client):
    paper = f.DeadlineFactory(due_at=timezone.now() - dt.timedelta(days=1))
    camera_ready = f.DeadlineFactory(
        venue=paper.venue,
        edition=paper.edition,
        kind=Deadline.Kind.CAMERA_READY,
        due_at=timezone.now() + dt.timedelta(days=20),
    )
    close_expired()

    venue_page = client.get(paper.venue.get_absolute_url()).content.decode()
    assert "Call for papers closed" in venue_page
    # /deadlines/ goes by due_at, as before: the past paper deadline is not among the upcoming ones
    # (it is listed, greyed, under the last twelve months), the edition's next deadline is listed
    # although its call for papers closed.
    page = client.get(reverse("community:deadline-list")).content.decode()
    upcoming, past = page.split('<section class="past-deadlines"', 1)
    assert reverse("deadline-ics", args=[paper.pk]) not in upcoming
    assert reverse("deadline-ics", args=[paper.pk]) in past
    assert reverse("deadline-ics", args=[camera_ready.pk]) in upcoming


def test_an_imported_extension_reopens_the_call():
    tracker = "- title: Conf\n  year: 2027\n  id: conf27\n  deadline: '{when}'\n  timezone: UTC\n"
    past = timezone.now() - dt.timedelta(days=1)
    deadlines_import(text=tracker.format(when=f"{past:%Y-%m-%d %H:%M:%S}"))
    close_expired()
    edition = Edition.objects.get(external_id="conf27")
    assert edition.call_closed_at is not None

    later = timezone.now() + dt.timedelta(days=7)
    deadlines_import(text=tracker.format(when=f"{later:%Y-%m-%d %H:%M:%S}"))

    edition.refresh_from_db()
    assert edition.call_closed_at is None
    assert close_expired().editions_closed == 0


# --- the task ---------------------------------------------------------------------------------


def test_the_task_calls_the_service(mocker):
    from community.tasks import close_expired as task

    service = mocker.patch(
        "community.services.expiry.close_expired",
        return_value=ExpiryReport(jobs_closed=2, funding_closed=1, editions_closed=3),
    )

    assert task.apply().get() == {"jobs_closed": 2, "funding_closed": 1, "editions_closed": 3}
    service.assert_called_once_with()


def test_the_task_is_scheduled_hourly_on_the_default_queue(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "community.close_expired"]
    assert [e["schedule"] for e in entries] == [3600.0]
    assert settings.CELERY_TASK_ROUTES["community.close_expired"] == {"queue": "default"}
