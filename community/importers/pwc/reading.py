"""Opening an archive file in any of its published forms, told apart by content, not by name:
gzip (magic 1f 8b) around JSON, Parquet (magic PAR1), or plain JSON (a list of records).

`raw_records(stream)` yields the file's records as plain dicts, one at a time (ijson for JSON, pyarrow
record batches for Parquet: memory does not grow with the file), and `columns` names the fields of
the first record or the Parquet schema, from which the kind of file is known (community.importers.pwc).
"""

import gzip
import zlib
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

import ijson
from django.utils.translation import gettext

from community.importers import ImportFileError

if TYPE_CHECKING:
    import pyarrow.parquet as pq

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
_CHUNK = 1 << 20
PARQUET_BATCH = 2000


class Source:
    """One archive file: its form, the names of its records' fields, its records, and how far the
    reading has got (`position` of `size`: bytes of the file, or rows of a Parquet file)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        head = stream.read(4)
        stream.seek(0)
        if not head:
            raise ImportFileError(gettext("the file is empty."))
        self.form = "parquet" if head == PARQUET_MAGIC else "gzip" if head[:2] == GZIP_MAGIC else "json"
        self._parquet: pq.ParquetFile | None = None
        self.size = _size(stream)
        self._rows_read = 0
        if self.form == "parquet":
            self._parquet = _open_parquet(stream)
            self.size = self._parquet.metadata.num_rows
        elif self.form == "gzip":
            _check_gzip(stream)

    @property
    def position(self) -> int:
        if self.form == "parquet":
            return self._rows_read
        try:
            return min(self.stream.tell(), self.size)
        except (OSError, ValueError):
            return 0

    def parquet_columns(self) -> list[str]:
        return list(self._parquet.schema_arrow.names) if self._parquet is not None else []

    def records(self) -> Iterator:
        """Each record of the file (a dict, or whatever else the file holds there, for the reader to
        refuse); an unreadable file raises ImportFileError, where the reading stopped."""
        if self._parquet is not None:
            yield from self._parquet_records()
            return
        text = gzip.GzipFile(fileobj=self.stream, mode="rb") if self.form == "gzip" else self.stream
        first = _first_byte(text)
        if first != b"[":
            what = {b"{": gettext("an object")}.get(first, gettext("not JSON"))
            raise ImportFileError(
                gettext("the file is %(what)s, not a JSON list of records.") % {"what": what}
            )
        try:
            yield from ijson.items(text, "item")
        except ijson.JSONError as exc:
            raise ImportFileError(gettext("the JSON is malformed: %(error)s") % {"error": exc}) from exc
        except (EOFError, OSError, zlib.error) as exc:
            raise ImportFileError(gettext("the file ends early: %(error)s") % {"error": exc}) from exc

    def _parquet_records(self) -> Iterator[dict]:
        import pyarrow as pa  # loaded already by __init__, which opened the Parquet file

        try:
            for batch in self._parquet.iter_batches(batch_size=PARQUET_BATCH):
                for row in batch.to_pylist():
                    self._rows_read += 1
                    yield row
        except (pa.ArrowException, OSError) as exc:
            raise ImportFileError(_unreadable(exc)) from exc


def _open_parquet(stream: IO[bytes]) -> "pq.ParquetFile":
    # pyarrow is imported here, not with the module: every process loads the tasks (and so this
    # module), and only a Parquet file needs its ~140 ms of start-up.
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(stream)
    except (pa.ArrowException, OSError) as exc:
        raise ImportFileError(_unreadable(exc)) from exc


def _unreadable(exc: Exception) -> str:
    return gettext("the Parquet file cannot be read: %(error)s") % {"error": exc}


def _size(stream: IO[bytes]) -> int:
    try:
        end = stream.seek(0, 2)
        stream.seek(0)
        return end
    except (OSError, ValueError):
        return 0


def _first_byte(stream: IO[bytes]) -> bytes:
    """The first byte that is not white space (nor a byte-order mark), then back to the start."""
    head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return head[:1]


def _check_gzip(stream: IO[bytes]) -> None:
    """Read the whole gzip file once before importing any of it, so a truncated or corrupt file is
    an error for the whole file and nothing of it is written."""
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unpacked:
            while unpacked.read(_CHUNK):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        raise ImportFileError(
            gettext("the gzip file is truncated or corrupt (%(error)s); nothing of it was imported.")
            % {"error": exc}
        ) from exc
    finally:
        stream.seek(0)
