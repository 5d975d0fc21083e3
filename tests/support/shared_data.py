"""Data that a group of tests only reads, written once for the group rather than once per test.

Loading the seed takes seconds (hundreds of validated rows), and a dozen tests that only read it each
loaded it again. `written_once` runs the write in a transaction that stays open while the group's tests
run and is rolled back after the last of them. Each test's own transaction (pytest-django's `db`, a
django.test.TestCase underneath) then opens a savepoint inside it, so what a test writes is still undone
after that test and every test of the group starts from the same data.

Use it from a class-scoped fixture, so that the group is exactly the tests of one class and a test
outside the class never sees the data; not for transactional tests (`transaction=True`), which commit
and flush the database.
"""

from collections.abc import Callable, Iterator

from django.db import transaction


def written_once(django_db_blocker, write: Callable[[], object]) -> Iterator[None]:
    """The body of a class-scoped fixture: `yield from written_once(django_db_blocker, seed_load)`."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            write()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
