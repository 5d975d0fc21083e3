# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# An exact torch version, installed before the project: on these machines pip takes the CPU build
# from local disk; elsewhere override it, e.g. a CPU-only host:
#   make install TORCH_SPEC="torch --index-url <the PyTorch CPU wheel index>"
# and a GPU host keeps the default (PyPI's Linux torch is the CUDA build).
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.installed

.PHONY: install run test test-slow lint check worker migrate seed backup restore clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(TORCH_SPEC)
	$(PY) -m pip install --quiet -e '.[train,dev]'
	mkdir -p var
	touch $(STAMP)

install: $(STAMP)

run: install
	./scripts/serve-local.sh

# ruff, then the import contracts of pyproject.toml's [tool.importlinter] (which way imports run).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The suite in parallel (pytest-xdist): one process per core, at most 4, each with its own database,
# broker and cache keys (config/settings/test.py); a test class stays in one process (tests/conftest.py,
# pytest_xdist_make_scheduler). `make test PYTEST_ARGS="-n 0"` runs it in one process;
# PYTEST_ARGS comes last, so it overrides these options.
PYTEST_XDIST ?= -n logical --maxprocesses 4 --dist loadscope
# The full training protocols (tests marked `slow`: about five minutes of CPU, the paper's accuracy and
# batched = single over whole runs) stay out of the everyday `make test`; `make test-slow` runs them,
# and CI (.ci/run) runs both.
test: lint check
	$(PY) -m pytest $(PYTEST_XDIST) -m "not slow" $(PYTEST_ARGS)

test-slow: install
	$(PY) -m pytest $(PYTEST_XDIST) -m slow $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A config worker -Q default,cpu --concurrency 1 --loglevel INFO

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed_data

backup: install
	./scripts/backup.sh

restore: install
	./scripts/restore.sh $(FILE)

# After changing interface text: collect it into locale/zh_Hans/LC_MESSAGES/django.po, translate the
# new entries there, then compile the .mo (committed, so a clone serves Chinese without gettext).
.PHONY: messages compile-messages
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=benchmarks --ignore=e2e

compile-messages: install
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles

# The production stack end to end (gunicorn, Celery, PostgreSQL, its own redis-server, headless
# Chromium) with fault tests; not part of `make test`. See scripts/e2e.sh and e2e/.
.PHONY: test-e2e
test-e2e: install
	./scripts/e2e.sh $(E2E_ARGS)
