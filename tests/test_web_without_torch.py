"""Web processes never import torch: a fresh process serves every kind of page and never loads it.

The subprocess runs Django's WSGI handler (through the test client) on the test database, requests
every portal page, the results pages, the admin's run and sweep pages and the API, and reports
which modules it loaded. Only a worker (training.services.execution) may import torch.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse

from tests.community.pages import DETAIL_PAGES, LIST_PAGES, detail_url, list_url
from tests.support.celery_worker import database_url
from tests.training.factories import BenchmarkFactory, finished_sweep

ROOT = Path(__file__).resolve().parent.parent

SERVE = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="torchless-admin"))
    statuses = {url: client.get(url).status_code for url in json.loads(sys.argv[1])}
    print(json.dumps({"statuses": statuses, "torch": sorted(m for m in sys.modules if m.split(".")[0] == "torch")}))
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_web_process_serves_every_page_without_importing_torch(django_user_model):
    django_user_model.objects.create_superuser("torchless-admin", "a@example.org", "pw-123456-long")
    urls = ["/", "/search/?q=deep", "/zh-hans/papers/"]
    for name, build in LIST_PAGES.items():
        build()
        urls.append(list_url(name))
    for build in DETAIL_PAGES.values():
        urls.append(detail_url(build(1)))
    sweep = finished_sweep(BenchmarkFactory())
    run = sweep.runs.first()
    urls += [
        reverse("training:results"),
        sweep.benchmark.get_absolute_url(),
        sweep.get_absolute_url(),
        run.get_absolute_url(),
        reverse("admin:training_sweep_changelist"),
        reverse("admin:training_sweep_change", args=[sweep.pk]),
        reverse("admin:training_trainingrun_changelist"),
        reverse("admin:training_trainingrun_change", args=[run.pk]),
        reverse("admin:training_benchmark_changelist"),
        # Every name must resolve: a missing one fails here (NoReverseMatch), never drops its page.
        reverse("admin:training_sweep_start"),
        reverse("api:api-root"),
        reverse("api:paper-list"),
        reverse("api:run-list"),
    ]

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url()}
    out = subprocess.run(
        [sys.executable, "-c", SERVE, json.dumps(urls)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert {url: code for url, code in report["statuses"].items() if code != 200} == {}
    assert report["torch"] == []
