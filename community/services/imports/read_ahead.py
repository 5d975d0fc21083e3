"""Reading an import file one batch ahead of the writes, in a thread.

Why: an import alternates between Python (parsing the next rows, preparing a batch) and the database
(taking the batch), and each waits for the other. psycopg waits for the server without holding the
GIL, so a thread can parse the next batch's rows meanwhile: on the archive's papers file parsing is
about a sixth of the importer's time (benchmarks/RESULTS.md).

The thread touches no database; it reads the file, and it translates its messages (a refused
record's reason) in the language of the caller.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

AHEAD = 2  # chunks read and waiting: enough to keep the writer fed, little memory (2 x batch rows)


@dataclass
class Chunk:
    rows: list
    position: tuple[int, int]  # the file's progress when the chunk was cut (read by the thread)
    error: BaseException | None = None  # what stopped the reading after these rows


def read_ahead(rows: Iterable, size: int, position: Callable[[], tuple[int, int]]) -> Iterator[Chunk]:
    """`rows` in chunks of `size`, read by a thread at most AHEAD chunks ahead of the consumer. An
    exception of the reading comes, as `error`, with the rows read before it; the consumer decides
    what to do with both. A consumer that stops early (its own failure) stops the thread too."""
    chunks: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    language = translation.get_language()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        chunk: list = []
        with translation.override(language):
            try:
                for row in rows:
                    chunk.append(row)
                    if len(chunk) >= size:
                        if not put(Chunk(chunk, position())):
                            return
                        chunk = []
                put(Chunk(chunk, position()))
            except Exception as exc:  # the file's fault or not, the consumer raises it in its thread
                put(Chunk(chunk, position(), exc))
        put(None)

    reader = threading.Thread(target=read, name="import-read-ahead", daemon=True)
    reader.start()
    try:
        while (chunk := chunks.get()) is not None:
            yield chunk
    finally:
        stop.set()
        reader.join()
