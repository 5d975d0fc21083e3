"""Project stats from the GitHub API, answered from recorded bodies (tests/fixtures/github/).

Nothing touches the network: the `github` fixture is a `responses` mock, which answers an address
nobody registered with a connection error, and which fails the test, when it ends, if any request
went to an address the test did not register.
"""

import datetime as dt
import io
import json
import time
from pathlib import Path

import pytest
import requests
import responses
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from community import tasks
from community.importers.github import GitHubClient, RepoRef, repo_from_url, stats_from_json
from community.models import ModerationStatus, Project
from community.services.github_stats import MAX_FAILURES_IN_A_ROW, project_stats_refresh
from tests.community.factories import ProjectFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "github"
API = "https://api.github.com/repos"
PYTORCH = "https://github.com/pytorch/pytorch"
KERAS = "https://github.com/keras-team/keras"
LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _body(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def github():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        registered = {response.url for response in mock.registered()}
        stray = [call.request.url for call in mock.calls if call.request.url not in registered]
        assert not stray, f"requests to unregistered addresses: {stray}"


def _quick() -> GitHubClient:
    # No pause between requests, so a batch does not slow the suite down.
    return GitHubClient(min_interval_s=0)


def _project(url: str, **fields) -> Project:
    return ProjectFactory(repository_url=url, **fields)


# --- which addresses are ever requested ---------------------------------------------------------------

CRAFTED_URLS = [
    "https://github.com/a/b/../../evil",
    "https://github.com.evil.com/a/b",
    "https://github.com/a/b?x=http://evil",
    "https://evil.com/github.com/a/b",
    "https://github.com@evil.com/a/b",
    "https://evil.com@github.com/a/b",
    "https://github.com:8443/a/b",
    "http://github.com/a/b",
    "https://api.github.com/repos/a/b",
    "https://github.com/a/..",
    "https://github.com/../b",
    "https://github.com/a/b/",
    "https://github.com/a/b#x",
    "https://github.com/a/b%2F..%2Fevil",
    "https://github.com/%2e%2e/b",
    "https://github.com/a/b\n",
    "https://github.com/a/b c",
    "https://github.com/-a/b",
    "https://github.com/a/b/tree/main",
    "https://github.com/a",
    "https://gitlab.com/a/b",
]


@pytest.mark.parametrize("url", CRAFTED_URLS)
def test_only_an_exact_github_repository_address_names_a_repository(url):
    assert repo_from_url(url) is None


def test_the_api_address_is_built_from_the_checked_names():
    assert repo_from_url(PYTORCH) == RepoRef(owner="pytorch", name="pytorch")
    assert repo_from_url("https://github.com/greydanus/mnist1d").api_url == f"{API}/greydanus/mnist1d"
    assert repo_from_url("https://github.com/huggingface/.github") == RepoRef("huggingface", ".github")


@pytest.mark.django_db
def test_crafted_repository_urls_never_produce_a_request_elsewhere(github):
    for url in CRAFTED_URLS:
        _project(url, stars=7)
    _project(PYTORCH)
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))

    report = project_stats_refresh(client=_quick())

    assert [call.request.url for call in github.calls] == [f"{API}/pytorch/pytorch"]
    assert report.updated == 1
    assert set(Project.objects.exclude(repository_url=PYTORCH).values_list("stars", "stats_fetched_at")) == {
        (7, None)
    }


@pytest.mark.django_db
def test_a_redirect_is_not_followed_and_counts_as_gone(github):
    project = _project(KERAS, stars=5)
    github.get(
        f"{API}/keras-team/keras",
        status=301,
        json=_body("moved-permanently"),
        headers={"Location": "https://api.github.com/repositories/33015583"},
    )

    report = project_stats_refresh(client=_quick())

    assert len(github.calls) == 1
    assert (report.not_found, report.updated) == (1, 0)
    project.refresh_from_db()
    assert project.stars == 5
    assert project.stats_fetched_at is not None


# --- one project ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stats_are_stored_from_the_answer(github):
    project = _project(PYTORCH, stars=1, forks=None, last_activity_at=None)
    edited_at = project.updated_at
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))
    before = timezone.now()

    report = project_stats_refresh(client=_quick())

    assert (report.updated, report.not_found, report.failed, report.rate_limited) == (1, 0, 0, False)
    project.refresh_from_db()
    assert (project.stars, project.forks) == (89412, 23971)
    assert project.last_activity_at == dt.datetime(2025, 5, 2, 9, 38, 52, tzinfo=dt.UTC)
    assert before <= project.stats_fetched_at <= timezone.now()
    # New numbers from GitHub are not an edit of the catalogue entry.
    assert project.updated_at == edited_at
    request = github.calls[0].request
    assert request.headers["User-Agent"].startswith("DeepCommons")
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.req_kwargs["timeout"] == (5.0, 10.0)


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "ghp_example0123456789"])
def test_the_token_is_sent_only_when_set(github, settings, token):
    settings.GITHUB_TOKEN = token
    _project(PYTORCH)
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))

    project_stats_refresh(client=GitHubClient(min_interval_s=0))

    headers = github.calls[0].request.headers
    if token:
        assert headers["Authorization"] == f"Bearer {token}"
    else:
        assert "Authorization" not in headers


@pytest.mark.django_db
def test_a_missing_repository_is_recorded_and_keeps_its_numbers(github, caplog):
    project = _project(PYTORCH, stars=5, forks=2, last_activity_at=LONG_AGO)
    github.get(f"{API}/pytorch/pytorch", status=404, json=_body("not-found"))

    report = project_stats_refresh(client=_quick())

    assert (report.not_found, report.updated, report.failed) == (1, 0, 0)
    project.refresh_from_db()
    assert (project.stars, project.forks, project.last_activity_at) == (5, 2, LONG_AGO)
    # Marked fetched, so it is not asked for again before the projects that wait longer.
    assert project.stats_fetched_at is not None
    assert "github.com/pytorch/pytorch is gone or moved" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Unicorn! We are having trouble</html>",
        b"[]",
        json.dumps({"stargazers_count": 3}).encode(),
        json.dumps({"stargazers_count": -1, "forks_count": 1}).encode(),
        json.dumps({"stargazers_count": True, "forks_count": 1}).encode(),
        json.dumps({"stargazers_count": 1, "forks_count": 1, "pushed_at": "yesterday"}).encode(),
    ],
)
@pytest.mark.django_db
def test_an_unusable_answer_fails_that_project_and_keeps_its_numbers(github, body):
    project = _project(PYTORCH, stars=5, forks=2, stats_fetched_at=LONG_AGO)
    github.get(f"{API}/pytorch/pytorch", body=body, content_type="application/json")

    report = project_stats_refresh(client=_quick())

    assert (report.failed, report.updated) == (1, 0)
    project.refresh_from_db()
    assert (project.stars, project.forks, project.stats_fetched_at) == (5, 2, LONG_AGO)


def test_a_repository_nothing_was_pushed_to_has_no_last_activity():
    stats = stats_from_json({"stargazers_count": 0, "forks_count": 0, "pushed_at": None})
    assert (stats.stars, stats.forks, stats.pushed_at) == (0, 0, None)


# --- a batch ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_projects_never_fetched_come_first_then_the_oldest(github):
    newest = _project("https://github.com/a/newest", stats_fetched_at=LONG_AGO + dt.timedelta(days=9))
    oldest = _project("https://github.com/a/oldest", stats_fetched_at=LONG_AGO)
    never = _project("https://github.com/a/never", stats_fetched_at=None)
    for project in (newest, oldest, never):
        github.get(f"{API}/a/{project.repository_url.rsplit('/', 1)[1]}", json=_body("keras-team-keras"))

    report = project_stats_refresh(limit=2, client=_quick())

    assert [call.request.url for call in github.calls] == [f"{API}/a/never", f"{API}/a/oldest"]
    assert report.updated == 2
    newest.refresh_from_db()
    assert newest.stats_fetched_at == LONG_AGO + dt.timedelta(days=9)


@pytest.mark.django_db
def test_projects_not_on_github_and_unpublished_ones_are_skipped(github):
    gitlab = _project("https://gitlab.com/libeigen/eigen", stars=3)
    pending = _project(PYTORCH, status=ModerationStatus.PENDING, stars=3)

    report = project_stats_refresh(client=_quick())

    assert len(github.calls) == 0
    assert (report.updated, report.not_found, report.failed) == (0, 0, 0)
    for project in (gitlab, pending):
        project.refresh_from_db()
        assert (project.stars, project.stats_fetched_at) == (3, None)


@pytest.mark.django_db
def test_a_timeout_fails_one_project_and_the_others_are_updated(github):
    first = _project("https://github.com/a/first", stars=5, stats_fetched_at=LONG_AGO)
    _project(PYTORCH, stats_fetched_at=LONG_AGO + dt.timedelta(days=1))
    third = _project("https://github.com/a/third", stars=6, stats_fetched_at=LONG_AGO + dt.timedelta(days=2))
    _project(KERAS, stats_fetched_at=LONG_AGO + dt.timedelta(days=3))
    github.get(f"{API}/a/first", body=requests.ReadTimeout("read timed out"))
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))
    github.get(f"{API}/a/third", body=requests.ConnectionError("connection reset"))
    github.get(f"{API}/keras-team/keras", json=_body("keras-team-keras"))

    report = project_stats_refresh(client=_quick())

    assert (report.updated, report.failed) == (2, 2)
    assert Project.objects.get(repository_url=PYTORCH).stars == 89412
    assert Project.objects.get(repository_url=KERAS).stars == 62874
    for project, stars in ((first, 5), (third, 6)):
        project.refresh_from_db()
        assert project.stars == stars
        assert project.stats_fetched_at < LONG_AGO + dt.timedelta(days=3)  # untouched: first in line next run


@pytest.mark.django_db
def test_failures_in_a_row_stop_the_batch(github):
    for i in range(MAX_FAILURES_IN_A_ROW + 2):
        _project(f"https://github.com/a/p{i}", stats_fetched_at=LONG_AGO + dt.timedelta(days=i))
        github.get(f"{API}/a/p{i}", status=502, body=b"")

    report = project_stats_refresh(client=_quick())

    assert report.failed == MAX_FAILURES_IN_A_ROW
    assert len(github.calls) == MAX_FAILURES_IN_A_ROW


@pytest.mark.django_db
def test_the_rate_limit_stops_the_batch_and_the_next_run_goes_on(github):
    reset = int(time.time()) + 1800
    _project(PYTORCH, stats_fetched_at=LONG_AGO)
    second = _project(
        "https://github.com/a/second", stars=4, stats_fetched_at=LONG_AGO + dt.timedelta(days=1)
    )
    third = _project(KERAS, stars=4, stats_fetched_at=LONG_AGO + dt.timedelta(days=2))
    limit_headers = {"X-RateLimit-Limit": "60", "X-RateLimit-Reset": str(reset)}
    github.get(
        f"{API}/pytorch/pytorch",
        json=_body("pytorch-pytorch"),
        headers={**limit_headers, "X-RateLimit-Remaining": "1"},
    )
    refused = github.get(
        f"{API}/a/second",
        status=403,
        json=_body("rate-limit-exceeded"),
        headers={**limit_headers, "X-RateLimit-Remaining": "0"},
    )
    github.get(f"{API}/keras-team/keras", json=_body("keras-team-keras"))

    report = project_stats_refresh(client=_quick())

    assert (report.updated, report.failed, report.rate_limited) == (1, 0, True)
    assert report.retry_at == dt.datetime.fromtimestamp(reset, tz=dt.UTC)
    assert [call.request.url for call in github.calls] == [f"{API}/pytorch/pytorch", f"{API}/a/second"]
    for project in (second, third):
        project.refresh_from_db()
        assert project.stars == 4

    # The next run starts with the two left over.
    github.remove(refused)
    github.get(f"{API}/a/second", json=_body("pytorch-pytorch"))
    report = project_stats_refresh(limit=2, client=_quick())
    assert report.updated == 2
    assert [call.request.url for call in github.calls[2:]] == [f"{API}/a/second", f"{API}/keras-team/keras"]


@pytest.mark.django_db
def test_a_spent_quota_stops_before_the_next_request(github):
    _project(PYTORCH, stats_fetched_at=LONG_AGO)
    _project(KERAS, stats_fetched_at=LONG_AGO + dt.timedelta(days=1))
    github.get(
        f"{API}/pytorch/pytorch",
        json=_body("pytorch-pytorch"),
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 600)},
    )
    github.get(f"{API}/keras-team/keras", json=_body("keras-team-keras"))

    report = project_stats_refresh(client=_quick())

    assert (report.updated, report.rate_limited) == (1, True)
    assert len(github.calls) == 1


@pytest.mark.parametrize(
    ("status", "headers", "fixture"),
    [
        (403, {"Retry-After": "120"}, "secondary-rate-limit"),
        (403, {}, "secondary-rate-limit"),  # only the message says so
        (429, {"Retry-After": "120"}, "secondary-rate-limit"),
    ],
)
@pytest.mark.django_db
def test_a_secondary_rate_limit_stops_the_batch(github, status, headers, fixture):
    _project(PYTORCH, stats_fetched_at=LONG_AGO)
    _project(KERAS, stats_fetched_at=LONG_AGO + dt.timedelta(days=1))
    github.get(f"{API}/pytorch/pytorch", status=status, json=_body(fixture), headers=headers)
    github.get(f"{API}/keras-team/keras", json=_body("keras-team-keras"))
    before = timezone.now()

    report = project_stats_refresh(client=_quick())

    assert (report.rate_limited, report.updated, report.failed) == (True, 0, 0)
    assert len(github.calls) == 1
    assert report.retry_at >= before + dt.timedelta(seconds=60)


@pytest.mark.django_db
def test_a_403_that_is_not_a_rate_limit_fails_only_that_project(github):
    _project(PYTORCH, stats_fetched_at=LONG_AGO)
    _project(KERAS, stats_fetched_at=LONG_AGO + dt.timedelta(days=1))
    github.get(f"{API}/pytorch/pytorch", status=403, json={"message": "Forbidden"})
    github.get(f"{API}/keras-team/keras", json=_body("keras-team-keras"))

    report = project_stats_refresh(client=_quick())

    assert (report.failed, report.updated, report.rate_limited) == (1, 1, False)


def test_requests_are_spaced_by_the_minimum_interval(github):
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))
    pauses = []
    client = GitHubClient(token="", min_interval_s=1.0, sleep=pauses.append)

    client.fetch(RepoRef("pytorch", "pytorch"))
    assert pauses == []  # the first request does not wait
    client.fetch(RepoRef("pytorch", "pytorch"))
    assert len(pauses) == 1 and 0.5 < pauses[0] <= 1.0


# --- the task, the command, the page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_runs_the_service(github):
    _project(PYTORCH, stars=1)
    github.get(f"{API}/pytorch/pytorch", json=_body("pytorch-pytorch"))

    summary = tasks.project_stats_refresh.apply().get()

    assert summary == "1 updated, 0 not found, 0 failed"
    assert Project.objects.get(repository_url=PYTORCH).stars == 89412
    assert settings.CELERY_TASK_ROUTES["community.project_stats_refresh"] == {"queue": "default"}
    assert any(
        entry["task"] == "community.project_stats_refresh" for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )


@pytest.mark.django_db
def test_the_command_prints_the_summary(github):
    _project(PYTORCH)
    github.get(f"{API}/pytorch/pytorch", status=404, json=_body("not-found"))
    out = io.StringIO()

    call_command("refresh_project_stats", "--limit", "5", stdout=out)

    assert out.getvalue().strip() == "0 updated, 1 not found, 0 failed"


@pytest.mark.django_db
def test_the_project_page_says_when_the_stats_were_fetched(client):
    project = _project(
        PYTORCH,
        stars=89412,
        forks=23971,
        last_activity_at=dt.datetime(2025, 5, 2, 9, 38, tzinfo=dt.UTC),
        stats_fetched_at=dt.datetime(2025, 5, 3, 6, 0, tzinfo=dt.UTC),
    )
    never = _project(KERAS, stars=10, stats_fetched_at=None)

    html = client.get(project.get_absolute_url()).content.decode()
    assert "Stats as of" in html
    assert '<time datetime="2025-05-03T06:00:00Z">3 May 2025, 06:00 UTC</time>' in html
    assert "23971" in html
    assert "Stats as of" not in client.get(never.get_absolute_url()).content.decode()

    with translation.override("zh-hans"):
        url = reverse("community:project-detail", kwargs={"slug": project.slug})
    assert url.startswith("/zh-hans/")
    assert "统计截至" in client.get(url).content.decode()
