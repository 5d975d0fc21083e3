"""The tracker files inside a repository archive (.tar.gz or .zip, as GitHub serves a branch or a
commit of ai-deadlines or ccf-deadlines), read from bytes already in memory, within fixed bounds.

Only the files that hold deadlines are taken: ccf-deadlines' `conference/` and `accept_rates/` folders,
ai-deadlines' `conferences/` folder or `conferences.yml`; anything else (workflows, configs) is left.
A member larger than a tracker file may be, more members than a tracker has, or more bytes in all
than MAX_ARCHIVE_BYTES unpacked refuse the whole archive (an archive bomb stops there, bounded).
GitHub writes the commit an archive was made from into it (the tar's pax comment, the zip's comment):
it is the files' revision."""

import io
import re
import tarfile
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import ImportFileError
from .deadlines import MAX_FILE_CHARS

MAX_MEMBER_BYTES = MAX_FILE_CHARS * 4
MAX_MEMBERS = 20_000
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
_TRACKER_PATH = re.compile(r"(^|/)(conference|accept_rates|conferences)/.+\.ya?ml$|(^|/)conferences\.ya?ml$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


@dataclass
class ArchiveFiles:
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (path inside the repository, bytes)
    revision: str = ""  # the commit, when the archive names it


def is_archive(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b" or data[:4] == b"PK\x03\x04"


def tracker_files(data: bytes) -> ArchiveFiles:
    """The tracker files of an archive (gzip'd tar or zip, told by their first bytes), sorted by path;
    raises ImportFileError for an archive that is broken or past the bounds."""
    try:
        if data[:2] == b"\x1f\x8b":
            return _from_tar(data)
        if data[:4] == b"PK\x03\x04":
            return _from_zip(data)
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(gettext("the archive is broken: %(error)s") % {"error": exc}) from exc
    raise ImportFileError(gettext("not a .tar.gz or .zip archive."))


def _path_in_repository(name: str) -> str:
    # GitHub puts everything in one folder named after the repository and revision: drop it.
    return name.split("/", 1)[1] if "/" in name else name


def _wanted(path: str) -> bool:
    return bool(_TRACKER_PATH.search(path))


def _too_big(what: str) -> ImportFileError:
    return ImportFileError(
        gettext("the archive is larger than a tracker's repository can be (%(what)s); nothing was imported.")
        % {"what": what}
    )


def _from_tar(data: bytes) -> ArchiveFiles:
    found = ArchiveFiles()
    unpacked = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for count, member in enumerate(archive, start=1):
            if count > MAX_MEMBERS:
                raise _too_big(gettext("more than %(count)s files") % {"count": MAX_MEMBERS})
            unpacked += member.size
            if unpacked > MAX_ARCHIVE_BYTES:
                raise _too_big(gettext("more than %(size)s MB unpacked") % {"size": MAX_ARCHIVE_BYTES >> 20})
            path = _path_in_repository(member.name)
            if not member.isfile() or not _wanted(path):
                continue
            if member.size > MAX_MEMBER_BYTES:
                raise _too_big(path)
            stream = archive.extractfile(member)
            found.files.append((path, stream.read(MAX_MEMBER_BYTES + 1) if stream else b""))
        comment = archive.pax_headers.get("comment", "")
    found.revision = comment if _COMMIT.match(comment) else ""
    found.files.sort()
    return found


def _from_zip(data: bytes) -> ArchiveFiles:
    found = ArchiveFiles()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _too_big(gettext("more than %(count)s files") % {"count": MAX_MEMBERS})
        if sum(member.file_size for member in members) > MAX_ARCHIVE_BYTES:
            raise _too_big(gettext("more than %(size)s MB unpacked") % {"size": MAX_ARCHIVE_BYTES >> 20})
        for member in members:
            path = _path_in_repository(member.filename)
            if member.is_dir() or not _wanted(path):
                continue
            if member.file_size > MAX_MEMBER_BYTES:
                raise _too_big(path)
            with archive.open(member) as stream:
                # Read no further than the declared size allows, whatever the entry really unpacks to.
                content = stream.read(MAX_MEMBER_BYTES + 1)
            if len(content) > MAX_MEMBER_BYTES:
                raise _too_big(path)
            found.files.append((path, content))
        comment = archive.comment.decode("ascii", "replace")
    found.revision = comment if _COMMIT.match(comment) else ""
    found.files.sort()
    return found
