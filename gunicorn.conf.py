"""gunicorn's settings shared by every way the site is served: gunicorn reads this file from the
directory it starts in (the Dockerfile's, docker-compose.yml's, the e2e stack's and the load
benchmarks'), the command line adding the bind address (and, for the e2e stack and the benchmarks,
their own worker counts).

Three sync workers for the two vCPUs the site was measured on (`WEB_CONCURRENCY` sets another
count, as gunicorn's own default reads it): benchmarks/load_mix.py put them ahead of two gthread
workers of four threads on the open and the closed loop of the realistic mix, on a quiet machine
(37.4 against 34.2 requests/s closed, 558 against 965 requests more than 5 s late at 50 offered),
and again in session 11's run (open-loop p95 192 ms against 1,225 ms; four sync workers: 1,077 ms);
benchmarks/RESULTS.md has both.

The cyclic garbage collector cost a page about 2.5 ms of CPU in ~30 (benchmarks/RESULTS.md, issue
18): a request makes tens of thousands of container objects (querysets, model instances, template
contexts), each 700 of them start a young-generation collection, and what is alive at that moment
(most of a request's objects, until the response is written) is moved to older generations that the
next full collection walks along with the ~200,000 objects of Django, the apps and their modules.
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# Collections of the youngest generation every 10,000 new container objects instead of 700: most of
# a request's objects are freed by reference counting before one starts, so fewer are walked twice.
YOUNG_THRESHOLD = 10_000


def post_worker_init(worker):
    """Once the worker has loaded the application: import every view (the URLconf is otherwise read
    at the first request), then move everything alive to the permanent generation (`gc.freeze()`),
    which collections never walk: the modules, classes and settings live as long as the worker."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views, serializers and forms they name)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
