#!/usr/bin/env bash
# `make test-e2e`: the production stack started natively (PostgreSQL database, redis-server, gunicorn,
# Celery workers of its own) and driven over HTTP and in headless Chromium, with fault tests.
# Needs the PostgreSQL server on 127.0.0.1:5432 (user postgres), redis-server and /usr/bin/chromium.
# Whatever happens (a failure, a hang, Ctrl-C), every process it started is ended and its database
# dropped: pytest's fixtures do it, and the trap below catches what a crashed pytest left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BUDGET_S=${E2E_BUDGET_S:-420}  # the whole run; `make test-e2e` must finish in under 8 minutes

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/deepcommons-e2e.XXXXXX")
export E2E_WORKDIR=$WORKDIR
cleanup() {
  "$PY" -m e2e.cleanup "$WORKDIR" || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p var/screenshots var/e2e
started=$(date +%s)
status=0
# SIGTERM at the budget (pytest turns it into KeyboardInterrupt and tears the stack down), SIGKILL 30 s later.
timeout --kill-after=30 "$BUDGET_S" "$PY" -m pytest -c e2e/pytest.ini --rootdir e2e "${@:-e2e}" || status=$?
echo "e2e: finished in $(( $(date +%s) - started )) s (status $status)"
exit "$status"
