"""Stars, forks and last push of GitHub repositories, from the REST API (`GET /repos/{owner}/{repo}`).

The server must never request an address a person typed (server-side request forgery), so a project's
repository URL is not requested at all: `repo_from_url` accepts only the normalised form
`https://github.com/<owner>/<repo>` (the form `community.identifiers.normalize_repo_url` stores), with
owner and repository names limited to the characters GitHub allows, and `GitHubClient` builds the one
address it ever requests, `https://api.github.com/repos/<owner>/<repo>`, from those two names. It
follows no redirects either: a redirect names an address GitHub chose, not one built here.

`GitHubClient.fetch` is the one function here that touches the network. Tests answer it with recorded
responses (tests/fixtures/github/) through the `responses` library.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings

API_ROOT = "https://api.github.com"
API_VERSION = "2022-11-28"
# (connect, read): a stalled connection must not hold a worker for the whole batch.
TIMEOUT_S = (5.0, 10.0)
# GitHub asks integrators to send requests one at a time and not in quick bursts (its "secondary"
# rate limits punish bursts even under the hourly quota).
MIN_INTERVAL_S = 1.0
# When GitHub says "rate limited" without saying until when, it asks to wait at least a minute.
DEFAULT_RETRY_S = 60

# Owner: letters, digits and hyphens, not starting with a hyphen, at most 39 characters (GitHub's
# rule for user and organisation names). Repository: letters, digits, `.`, `_` and `-`, at most 100,
# and never `.` or `..` (which would climb out of /repos/<owner>/ in the API address). Whole string
# only: no port, no user info, no query, no fragment, no trailing slash, no percent-escapes.
_REPO_URL = re.compile(
    r"https://github\.com/"
    r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/"
    r"(?P<name>(?!\.\.?\Z)[A-Za-z0-9._-]{1,100})"
)


@dataclass(frozen=True)
class RepoRef:
    """A repository on github.com, its names checked by `repo_from_url`."""

    owner: str
    name: str

    @property
    def api_url(self) -> str:
        return f"{API_ROOT}/repos/{self.owner}/{self.name}"


def repo_from_url(url: str) -> RepoRef | None:
    """The repository `url` names when it is exactly `https://github.com/<owner>/<repo>`; else None
    (another host, a sub-page such as /tree/main, anything unexpected)."""
    match = _REPO_URL.fullmatch(url or "")
    if match is None:
        return None
    return RepoRef(owner=match["owner"], name=match["name"])


@dataclass(frozen=True)
class RepoStats:
    stars: int
    forks: int
    pushed_at: datetime | None  # None for a repository nothing was ever pushed to


class GitHubError(Exception):
    """The API gave no stats for this repository."""


class RepoGone(GitHubError):
    """404, 410 or 451: deleted, made private, blocked, or renamed (`location` set: a redirect to it)."""

    def __init__(self, message: str, *, location: str = "") -> None:
        super().__init__(message)
        self.location = location


class RateLimited(GitHubError):
    """The quota is spent; no request should be sent before `retry_at`."""

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class FetchFailed(GitHubError):
    """A network error, a timeout, a server error or an answer without the expected fields."""


def stats_from_json(data: object) -> RepoStats:
    """The stats in a /repos/{owner}/{repo} answer. Raises ValueError when a field is missing or wrong."""
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    counts = []
    for key in ("stargazers_count", "forks_count"):
        value = data.get(key)
        # bool is an int in Python; `true` is not a count.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{key} is {value!r}, not a count")
        counts.append(value)
    pushed = data.get("pushed_at")
    pushed_at = None
    if pushed is not None:
        if not isinstance(pushed, str):
            raise ValueError(f"pushed_at is {pushed!r}, not a time")
        pushed_at = datetime.fromisoformat(pushed)  # raises ValueError on anything but ISO 8601
        if pushed_at.tzinfo is None:
            raise ValueError(f"pushed_at {pushed!r} has no time zone")
        pushed_at = pushed_at.astimezone(UTC)
    return RepoStats(stars=counts[0], forks=counts[1], pushed_at=pushed_at)


class GitHubClient:
    """Fetches repository stats one request at a time, at most one per `min_interval_s`.

    Once GitHub says the quota is spent (a 403 or 429 that says so, or `X-RateLimit-Remaining: 0` on
    any answer), every later `fetch` raises `RateLimited` without a request, so a batch stops
    cleanly instead of sleeping until the quota comes back.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        min_interval_s: float = MIN_INTERVAL_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        token = settings.GITHUB_TOKEN if token is None else token
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                # GitHub refuses requests without a User-Agent and asks for one naming the application.
                "User-Agent": f"DeepCommons project stats (+{settings.SITE_URL})",
            }
        )
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.min_interval_s = min_interval_s
        self._sleep = sleep
        self._next_request_at = 0.0  # time.monotonic()
        self._blocked_until: datetime | None = None

    def close(self) -> None:
        self.session.close()

    def fetch(self, repo: RepoRef) -> RepoStats:
        """The stats of `repo`. Raises RepoGone, RateLimited or FetchFailed."""
        if self._blocked_until is not None and datetime.now(UTC) < self._blocked_until:
            raise RateLimited("the rate limit is spent", retry_at=self._blocked_until)
        self._wait_turn()
        try:
            response = self.session.get(repo.api_url, timeout=TIMEOUT_S, allow_redirects=False)
        except requests.RequestException as exc:
            raise FetchFailed(f"no answer ({type(exc).__name__}: {exc})") from exc
        finally:
            self._next_request_at = time.monotonic() + self.min_interval_s

        limited = _rate_limit(response)
        if limited is not None:
            self._blocked_until = limited.retry_at
            raise limited
        if response.headers.get("X-RateLimit-Remaining") == "0":
            # This answer is good, but the next request would be refused.
            self._blocked_until = _reset_at(response)
        status = response.status_code
        if status in (301, 302, 307, 308):
            raise RepoGone(f"moved (HTTP {status})", location=response.headers.get("Location", ""))
        if status in (404, 410, 451):
            raise RepoGone(f"HTTP {status}: {_message(response)}")
        if status != 200:
            raise FetchFailed(f"HTTP {status}: {_message(response)}")
        try:
            return stats_from_json(response.json())
        except ValueError as exc:  # requests' JSONDecodeError is a ValueError too
            raise FetchFailed(f"unexpected answer: {exc}") from exc

    def _wait_turn(self) -> None:
        delay = self._next_request_at - time.monotonic()
        if delay > 0:
            self._sleep(delay)


def _rate_limit(response: requests.Response) -> RateLimited | None:
    """A RateLimited error when `response` refuses the request for the rate limit; else None.

    GitHub answers 403 or 429 for its hourly quota (`X-RateLimit-Remaining: 0`, reset time in
    `X-RateLimit-Reset`) and for its secondary limits (`Retry-After`, or only a message). A 403 with
    none of these is a real refusal of this one repository, not a reason to stop the batch.
    """
    if response.status_code not in (403, 429):
        return None
    now = datetime.now(UTC)
    retry_after = response.headers.get("Retry-After", "").strip()
    if retry_after:
        # GitHub sends seconds; an HTTP date (allowed by the standard) falls back to the default wait.
        seconds = int(retry_after) if retry_after.isdigit() else DEFAULT_RETRY_S
        return RateLimited("rate limited (Retry-After)", retry_at=now + timedelta(seconds=seconds))
    if response.headers.get("X-RateLimit-Remaining") == "0":
        return RateLimited("rate limit spent", retry_at=_reset_at(response))
    if response.status_code == 429 or "rate limit" in _message(response).lower():
        return RateLimited("rate limited", retry_at=now + timedelta(seconds=DEFAULT_RETRY_S))
    return None


def _reset_at(response: requests.Response) -> datetime:
    now = datetime.now(UTC)
    try:
        reset = datetime.fromtimestamp(int(response.headers["X-RateLimit-Reset"]), tz=UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return now + timedelta(seconds=DEFAULT_RETRY_S)
    return max(reset, now)


def _message(response: requests.Response) -> str:
    """GitHub's `message` from an error answer, for the log; '' when there is none."""
    try:
        data = response.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return message[:200] if isinstance(message, str) else ""
