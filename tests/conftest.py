"""Fixtures shared by the whole suite."""

import os

# Under pytest-xdist each core runs a test process: one math thread in each (torch's OpenMP, numpy's
# BLAS), or the processes' thread pools fight over the same cores (two threads were measured up to 15x
# slower than one on this 2-core machine). Set before anything imports torch or numpy.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")

import pytest  # noqa: E402
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Page cache entries and limit counters (the "ratelimit" cache) outlive a test in local memory and
    # would carry from one test to the next.
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _catalogue_version_moves_at_each_write(request):
    """In production the page cache's catalogue version moves when a write's transaction commits
    (community.page_cache.catalogue_changed), which makes cached fragments and list counts stale. A
    test's transaction never commits, so on a shared cache (CI's Redis) a count cached before a write
    would be read after it: here the version moves at each write instead (except in the tests marked
    `commit_moves_version`, which check the production rule itself)."""
    if request.node.get_closest_marker("commit_moves_version"):
        yield
        return
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from community import page_cache

    def moved(**_kwargs):
        page_cache._next_version()

    signals = (post_save, post_delete, m2m_changed)
    for signal in signals:
        signal.connect(moved, dispatch_uid="tests.catalogue_version_moves", weak=False)
    yield
    for signal in signals:
        signal.disconnect(dispatch_uid="tests.catalogue_version_moves")


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", "pw-ada-123456")


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123456")


# --- CI guards --------------------------------------------------------------------------------
# With DEEPCOMMONS_CI_STRICT=1 (set by .ci/run) a skipped test fails the session unless it is
# marked gpu, so a missing service or package cannot turn into a silently green run. Under pytest-xdist
# the controller receives every worker's reports, so it alone judges (and sets the run's exit status).
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "gpu" not in report.keywords:
        _unexpected_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller reports
        return
    if os.environ.get("DEEPCOMMONS_CI_STRICT") == "1" and _unexpected_skips:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"CI: {len(_unexpected_skips)} test(s) skipped without the gpu marker: "
            + ", ".join(_unexpected_skips[:10]),
            red=True,
        )
        session.exitstatus = 1


def pytest_collection_modifyitems(config, items):
    # A gpu test is skipped, not failed, where no CUDA device is present (this machine and CI).
    if not any(item.get_closest_marker("gpu") for item in items):
        return
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except ImportError:
        has_cuda = False
    if not has_cuda:
        skip = pytest.mark.skip(reason="needs a CUDA device")
        for item in items:
            if item.get_closest_marker("gpu"):
                item.add_marker(skip)


@pytest.fixture
def many_submissions(settings):
    """Many rounds of submissions by one user, as the setup of a test that is not about the limit."""
    settings.SUBMISSION_RATE_LIMIT = 10_000


def pytest_xdist_make_scheduler(config, log):
    """`make test`'s `--dist loadscope`, with a finer scope: each test class is one unit of work (its
    class-scoped fixtures, such as the seed written once for the class in tests/support/shared_data.py,
    are then made once, in one process), and every other test is a unit of its own, as with
    `--dist load`. Stock loadscope makes a whole module one unit (a 90 s fuzz module on one core at the
    end); `--dist loadgroup` would do with `xdist_group` marks, but pytest 9 ignores the node ids it
    rewrites (pytest-dev/pytest-xdist#1386), so it silently spreads a class over every process."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ClassScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module, _, rest = nodeid.partition("::")
            if "::" in rest:  # module::Class::test
                return f"{module}::{rest.split('::', 1)[0]}"
            return nodeid

    return ClassScopeScheduling(config, log)
