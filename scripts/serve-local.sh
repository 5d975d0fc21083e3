#!/usr/bin/env bash
# `make run`: the whole site on the embedded default (SQLite + file-system broker under var/).
# A Celery worker for the default and cpu queues runs beside the development server and stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py load_seed_data
$PY manage.py load_benchmarks
$PY manage.py ensure_admin
# Once per database: the quick reference sweeps the worker below trains while the site is already up,
# each published when it finishes, so /results/ is not empty on a newcomer's first start.
$PY manage.py queue_first_start

.venv/bin/celery -A config worker -Q default,cpu --concurrency 1 --loglevel INFO \
  --hostname "local@%h" >var/worker.log 2>&1 &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null; wait "$WORKER_PID" 2>/dev/null' EXIT INT TERM
echo "Celery worker started (pid $WORKER_PID, log var/worker.log)"
$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
