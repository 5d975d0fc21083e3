"""The squashed migrations (community 0001-0014, training 0001-0003) and the databases that ran the
old ones: one that applied them all takes the squashed state with nothing to run, one that stopped
part-way is refused with Django's own message (README, "Upgrading": first migrate at ee720dd)."""

import pytest
from django.db import connection
from django.db.migrations.exceptions import NodeNotFoundError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

COMMUNITY = ("community", "0001_squashed_0014_import_provenance")
TRAINING = ("training", "0001_squashed_0003_benchmark_targets_optional")


def _replaced(key):
    return MigrationLoader(None, ignore_no_migrations=True).disk_migrations[key].replaces


def _forget(keys):
    """Delete the rows of the django_migrations table that record these migrations as applied."""
    for app, name in keys:
        MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()


def test_the_squashed_migrations_replace_the_fourteen_and_the_three_old_ones():
    assert [name[:4] for _app, name in _replaced(COMMUNITY)] == [f"{n:04}" for n in range(1, 15)]
    assert [name[:4] for _app, name in _replaced(TRAINING)] == ["0001", "0002", "0003"]


def test_a_deployment_that_applied_every_old_migration_has_nothing_to_run():
    # What a database migrated at ee720dd records: the old names, not the squashed ones.
    _forget([COMMUNITY, TRAINING])
    recorder = MigrationRecorder(connection)
    assert COMMUNITY not in recorder.applied_migrations()

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph

    assert executor.migration_plan(graph.leaf_nodes()) == []
    assert {COMMUNITY, TRAINING} <= set(executor.loader.applied_migrations)
    # The old names are gone from the graph; the migrations written after them (community 0015 on)
    # now follow the squashed one.
    assert not set(_replaced(COMMUNITY) + _replaced(TRAINING)) & set(graph.nodes)
    later = [key for key in graph.nodes if key[0] == "community" and key != COMMUNITY]
    assert all(COMMUNITY in graph.forwards_plan(key) for key in later)
    # What `migrate` does first: record the squashed migrations as applied.
    executor.check_replacements()
    assert {COMMUNITY, TRAINING} <= set(recorder.applied_migrations())


def test_a_deployment_part_way_through_the_old_migrations_is_refused():
    _forget([COMMUNITY, *_replaced(COMMUNITY)[10:]])  # applied up to 0010

    with pytest.raises(NodeNotFoundError, match="some of the replaced migrations are already applied"):
        MigrationExecutor(connection)
