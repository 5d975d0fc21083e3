#!/usr/bin/env bash
# `make backup`: one file under var/backups/ holding the whole database.
# PostgreSQL: pg_dump's custom format (what pg_restore reads); SQLite: Django's dumpdata, gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
mkdir -p var/backups
stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  out="var/backups/deepcommons-$stamp.dump"
  pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$out"
else
  out="var/backups/deepcommons-$stamp.json.gz"
  # Content types and permissions are rebuilt by migrate; sessions and task results are transient.
  $PY manage.py dumpdata --natural-foreign --natural-primary \
    --exclude contenttypes --exclude auth.permission --exclude sessions --exclude django_celery_results \
    | gzip >"$out"
fi
echo "$out"
