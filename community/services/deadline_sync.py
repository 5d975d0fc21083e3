"""Keeping the deadline trackers in sync (issue 15, item 4): the beat job `community.deadline_sources_sync`
fetches each address of settings.DEADLINE_SOURCES (empty by default: nothing is fetched until an
operator lists sources) and imports what changed through the one import service, `deadlines_import`.

An address is a raw YAML file of either tracker or a repository archive (.tar.gz or .zip, as GitHub
serves a branch or a commit; community.importers.tracker_archive takes the tracker files out of it).
Each fetch is a conditional GET (If-None-Match / If-Modified-Since from the last answer, kept in
SourceFetch), with a connect and read timeout, a time limit for the whole body and a size cap; a 304
costs nothing more. Of a changed answer only the files whose bytes changed are imported (their hashes
are kept), conference files before acceptance-rate files; each change goes into the item's history
with the address and file it came from (the import's report source) and into its Provenance (the
commit the archive names, else the fetch date). Fields a moderator set by hand are left as they are
and the report names them (community.services.field_edits). The validators and hashes are only kept
when everything imported, so a failure is fetched and tried again next time, never half-recorded.
"""

import hashlib
import io
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from community.importers import ImportFileError
from community.importers.tracker_archive import is_archive, tracker_files
from community.models import SourceFetch

from .imports import ImportReport, Outcome, deadlines_import

CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """The address could not be fetched (network, timeout, status, size): said in the report."""


@dataclass
class SourceResult:
    """What one address gave: `status` is unchanged (a 304, or no file changed), updated or failed."""

    url: str
    status: str = "unchanged"
    reason: str = ""
    revision: str = ""
    reports: list[ImportReport] = field(default_factory=list)
    files_unchanged: int = 0

    @property
    def kept(self) -> list[str]:
        """Each field left as a moderator set it: "file: record: model.field"."""
        return [f"{report.source}: {ref}: {name}" for report in self.reports for ref, name in report.kept]


@dataclass
class SyncReport:
    sources: list[SourceResult] = field(default_factory=list)

    def summary(self) -> dict:
        count = {
            status: sum(1 for s in self.sources if s.status == status)
            for status in ("unchanged", "updated", "failed")
        }
        records = {
            outcome.value: sum(r.count(outcome) for s in self.sources for r in s.reports)
            for outcome in Outcome
        }
        return {
            "sources": len(self.sources),
            **count,
            "records": records,
            "kept": [k for s in self.sources for k in s.kept],
        }

    def lines(self) -> list[str]:
        lines = []
        for source in self.sources:
            head = f"{source.url}: {source.status}"
            if source.reason:
                head += f" — {source.reason}"
            lines.append(head)
            for report in source.reports:
                lines.extend(f"  {line}" for line in [report.summary(), *report.lines()])
            lines.extend(
                "  " + gettext("left as a moderator edited it: %(field)s") % {"field": kept}
                for kept in source.kept
            )
        return lines


def deadline_sources_sync(*, sources: list[str] | None = None, session=None) -> SyncReport:
    """Fetch and import every address of `sources` (settings.DEADLINE_SOURCES by default)."""
    sources = list(settings.DEADLINE_SOURCES if sources is None else sources)
    report = SyncReport()
    if not sources:
        return report
    session = session or _session()
    for url in sources:
        report.sources.append(_sync_one(url, session))
    return report


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = f"DeepCommons deadline sync (+{settings.SITE_URL})"
    return session


def _sync_one(url: str, session) -> SourceResult:
    state, _ = SourceFetch.objects.get_or_create(url=url)
    result = SourceResult(url=url)
    now = timezone.now()
    state.checked_at = now
    try:
        answer = _fetch(session, url, state)
        if answer is None:  # 304 Not Modified: nothing to read
            state.last_error = ""
            state.save(update_fields=["checked_at", "last_error"])
            return result
        body, etag, last_modified = answer
        files, revision = _files(url, body, now)
    except (FetchError, ImportFileError) as exc:
        result.status, result.reason = "failed", str(exc)
        state.last_error = str(exc)[:5000]
        state.save(update_fields=["checked_at", "last_error"])
        return result

    result.revision = revision
    hashes, complete = {}, True
    for path, content in files:
        digest = hashlib.sha256(content).hexdigest()
        if state.file_hashes.get(path) == digest:
            hashes[path] = digest
            result.files_unchanged += 1
            continue
        source = f"{url}#{path}" if path != urlsplit(url).path else url
        report = deadlines_import(stream=io.BytesIO(content), source=source, revision=revision)
        result.reports.append(report)
        if report.failed:
            complete = False  # not remembered: the next sync tries this file again
        else:
            hashes[path] = digest
    if any(r.count(Outcome.CREATED) or r.count(Outcome.UPDATED) for r in result.reports):
        result.status = "updated"
        state.changed_at = now
    # A file that failed is fetched again next time: the validators are kept only when all imported.
    state.etag, state.last_modified = (etag[:300], last_modified[:100]) if complete else ("", "")
    state.file_hashes, state.revision, state.last_error = hashes, revision[:100], ""
    state.save()
    return result


def _fetch(session, url: str, state: SourceFetch) -> tuple[bytes, str, str] | None:
    """The body, ETag and Last-Modified of `url`, or None when it has not changed (304)."""
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    cap = settings.DEADLINE_SYNC_MAX_BYTES
    timeout = settings.DEADLINE_SYNC_TIMEOUT_S
    try:
        with session.get(url, headers=headers, timeout=(min(timeout, 10), timeout), stream=True) as response:
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise FetchError(
                    gettext("the server answered %(status)s.") % {"status": response.status_code}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > cap:
                raise FetchError(_too_large(cap))
            chunks, size, give_up = [], 0, time.monotonic() + timeout * 3
            for chunk in response.iter_content(CHUNK_BYTES):
                size += len(chunk)
                if size > cap:
                    raise FetchError(_too_large(cap))
                if time.monotonic() > give_up:
                    raise FetchError(
                        gettext("the download took longer than %(s)s seconds.") % {"s": timeout * 3}
                    )
                chunks.append(chunk)
            return (
                b"".join(chunks),
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
            )
    except requests.RequestException as exc:
        raise FetchError(gettext("could not fetch it: %(error)s") % {"error": exc}) from exc


def _too_large(cap: int) -> str:
    return gettext("the answer is larger than %(size)s MB (DEADLINE_SYNC_MAX_BYTES); not read.") % {
        "size": cap >> 20
    }


def _files(url: str, body: bytes, now) -> tuple[list[tuple[str, bytes]], str]:
    """The tracker files of an answer, conference files first (a rate needs its venue), and the
    revision they are at: the archive's commit, else the day they were fetched."""
    fetched = f"fetched {now:%Y-%m-%d}"
    if is_archive(body) or urlsplit(url).path.endswith((".tar.gz", ".tgz", ".zip")):
        archive = tracker_files(body)
        files, revision = archive.files, archive.revision or fetched
    else:
        files, revision = [(urlsplit(url).path, body)], fetched
    files.sort(key=lambda item: ("accept_rates/" in item[0], item[0]))
    return files, revision
