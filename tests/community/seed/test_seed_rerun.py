"""`load_seed_data` run twice on an empty catalogue, as `make run` does on every start: the first run
loads everything (landmark papers, the deadline trackers' snapshot, similar papers), the second changes
nothing, byte for byte. The two runs take about ten seconds, so they are made once for the tests of
one class (tests/support/shared_data.py) and each test reads what it checks."""

from dataclasses import dataclass

import pytest

from community.models import SimilarPaper, Venue
from tests.community.seed.test_seed_data import LANDMARKS, dump, load, reported
from tests.support.shared_data import written_once

pytestmark = pytest.mark.django_db


@dataclass
class TwoRuns:
    first: str  # what each run printed
    second: str
    before: str  # `dumpdata community` after each run
    after: str


@pytest.fixture(scope="class")
def two_runs(django_db_setup, django_db_blocker):
    printed = {}

    def write():
        printed["first"] = load()
        printed["before"] = dump()
        printed["second"] = load()
        printed["after"] = dump()

    for _ in written_once(django_db_blocker, write):
        yield TwoRuns(**printed)


class TestTheSeedLoadedTwice:
    def test_the_second_run_changes_nothing(self, two_runs: TwoRuns):
        first, second = reported(two_runs.first), reported(two_runs.second)
        assert two_runs.after == two_runs.before
        assert first["Papers"] == (len(LANDMARKS), 0, 0)
        assert set(second) == set(first)
        for name, (created, updated, unchanged) in second.items():
            assert (created, updated) == (0, 0), name
            assert unchanged == first[name][0], name

    def test_the_deadline_snapshot_is_imported_once(self, two_runs: TwoRuns):
        assert "Deadline trackers' snapshot (community/seed/deadlines/): 43 files:" in two_runs.first
        assert ", 0 failed." in two_runs.first
        assert Venue.objects.get(name="ICRA").ccf_rank
        assert "43 files: 0 created, 0 updated" in two_runs.second
        assert "left out" not in two_runs.second  # a rerun that changed nothing repeats no note

    def test_similar_papers_are_computed_and_the_dump_holds_both_languages(self, two_runs: TwoRuns):
        assert "Similar papers:" in two_runs.first
        assert SimilarPaper.objects.exists()
        assert "(0 lists rewritten)" in two_runs.second
        # The dump holds both languages, the timeline and the similar papers.
        assert '"title_zh_hans": "线性回归' in two_runs.after
        assert '"model": "community.timelineevent"' in two_runs.after
        assert '"model": "community.similarpaper"' in two_runs.after
