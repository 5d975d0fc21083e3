"""The import's read-ahead thread (community.services.imports.read_ahead): rows come in order and in
chunks, an error of the reading comes after the rows read before it, a consumer that stops early stops
the thread, and messages are translated in the caller's language."""

import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext

from community.services.imports.read_ahead import read_ahead


def _position():
    return (0, 0)


def test_rows_come_in_order_in_chunks_with_the_position_when_cut():
    read = iter(range(7))
    seen = []

    def position():
        seen.append(True)
        return (len(seen), 7)

    chunks = list(read_ahead(read, 3, position))
    assert [chunk.rows for chunk in chunks] == [[0, 1, 2], [3, 4, 5], [6]]
    assert all(chunk.error is None for chunk in chunks)
    assert [chunk.position[0] for chunk in chunks] == [1, 2, 3]


def test_an_error_comes_after_the_rows_read_before_it():
    def rows():
        yield from range(5)
        raise ValueError("broken at byte 42")

    chunks = list(read_ahead(rows(), 2, _position))
    assert [chunk.rows for chunk in chunks] == [[0, 1], [2, 3], [4]]
    assert isinstance(chunks[-1].error, ValueError) and "byte 42" in str(chunks[-1].error)


def test_a_consumer_that_stops_early_stops_the_thread():
    def endless():
        n = 0
        while True:
            n += 1
            yield n

    chunks = read_ahead(endless(), 10, _position)
    assert next(chunks).rows == list(range(1, 11))
    chunks.close()
    assert not any(t.name == "import-read-ahead" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_thread_translates_in_the_callers_language(language):
    def rows():
        yield gettext("the file holds no records.")

    with translation.override(language):
        expected = gettext("the file holds no records.")
        chunk = next(iter(read_ahead(rows(), 5, _position)))
    assert chunk.rows == [expected]
    assert (expected == "the file holds no records.") == (language == "en")
