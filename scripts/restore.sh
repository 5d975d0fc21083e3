#!/usr/bin/env bash
# `make restore FILE=var/backups/...`: replace the database's content with a backup's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
file=${1:?usage: restore.sh BACKUP_FILE}
[[ -f "$file" ]] || { echo "no such backup: $file" >&2; exit 2; }
if [[ "$file" == *.dump ]]; then
  [[ "${DATABASE_URL:-}" == postgres* ]] || { echo "a .dump restores into PostgreSQL: set DATABASE_URL" >&2; exit 2; }
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$DATABASE_URL" "$file"
else
  $PY manage.py migrate --noinput >/dev/null
  # flush and loaddata in one transaction: a backup that does not load leaves the database as it was.
  $PY - "$file" <<'PYEOF'
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()
from django.core.management import call_command
from django.db import transaction
with transaction.atomic():
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    call_command("loaddata", sys.argv[1], verbosity=0)
PYEOF
fi
echo "restored $file"
