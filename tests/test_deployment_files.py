"""Docker cannot run here, so the deployment files are checked for what can go wrong without it:
every service runs a command this project really has, and production settings pass --deploy."""

import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
QUEUES = {"default", "cpu", "gpu"}


def _commands(service):
    command = service.get("command", "")
    text = command if isinstance(command, str) else shlex.join(command)
    if text.startswith("sh -c"):
        text = shlex.split(text)[2]
    return [shlex.split(part) for part in text.split("&&")]


@pytest.mark.parametrize("name", sorted(n for n, s in COMPOSE["services"].items() if "command" in s))
def test_each_compose_command_is_one_the_project_has(name):
    for argv in _commands(COMPOSE["services"][name]):
        program = argv[0]
        if program in ("python", "python3"):
            assert argv[1] == "manage.py" and argv[2] in get_commands(), argv
        elif program == "gunicorn":
            module, _, attr = argv[1].partition(":")
            assert module == "config.wsgi" and attr == "application"
        elif program == "celery":
            assert argv[1:3] == ["-A", "config"] and argv[3] in ("worker", "beat")
            if "-Q" in argv:
                assert set(argv[argv.index("-Q") + 1].split(",")) <= QUEUES
        elif program in ("redis-server",):
            continue
        else:
            pytest.fail(f"{name}: unknown program {program}")


def _redis_option(service: str, name: str) -> str | None:
    argv = COMPOSE["services"][service]["command"]
    return argv[argv.index(name) + 1] if name in argv else None


def test_the_page_cache_evicts_and_the_broker_and_limit_counters_never_do():
    app = COMPOSE["x-app"]["environment"]
    page_cache = urlsplit(app["CACHE_URL"]).hostname
    counters = urlsplit(app["RATELIMIT_CACHE_URL"]).hostname
    broker = urlsplit(app["CELERY_BROKER_URL"]).hostname
    assert counters == broker != page_cache
    assert _redis_option(page_cache, "--maxmemory") == "256mb"
    assert _redis_option(page_cache, "--maxmemory-policy") == "allkeys-lru"
    assert _redis_option(counters, "--maxmemory-policy") == "noeviction"
    assert _redis_option(counters, "--maxmemory") is None  # no cap that would make it refuse writes
    for name in ("web", "worker", "beat"):
        assert page_cache in COMPOSE["services"][name]["depends_on"]


def test_one_gpu_worker_per_device_with_concurrency_one():
    gpu = {n: s for n, s in COMPOSE["services"].items() if n.startswith("worker-gpu-")}
    assert gpu, "no GPU worker service"
    for name, service in gpu.items():
        argv = _commands(service)[0]
        assert argv[argv.index("-Q") + 1] == "gpu" and argv[argv.index("--concurrency") + 1] == "1"
        devices = service["deploy"]["resources"]["reservations"]["devices"][0]["device_ids"]
        assert devices == [name.removeprefix("worker-gpu-")]


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "deepcommons.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x.org")
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_production_refuses_to_start_with_a_shared_cache_but_no_store_for_the_limit_counters(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RATELIMIT_CACHE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="x.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        CACHE_URL="rediscache://127.0.0.1:6379/1",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode != 0 and "RATELIMIT_CACHE_URL is not set" in out.stderr
    env["RATELIMIT_CACHE_URL"] = "rediscache://127.0.0.1:6379/2"
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_gunicorn_freezes_what_a_worker_loaded_and_collects_less_often():
    """gunicorn.conf.py (read from the directory gunicorn starts in: the image's /app, the repo root):
    after a worker loads the site, its objects leave the collector's walks and young collections
    start less often (benchmarks/RESULTS.md, issue 18)."""
    import gc
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    threshold = gc.get_threshold()
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000  # Django, the apps and every view module
        assert gc.get_threshold() == (settings["YOUNG_THRESHOLD"], *threshold[1:])
        assert "community.views.papers" in sys.modules
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
