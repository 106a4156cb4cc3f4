# Warung: `make run` to try it, `make test` to test it, `make lint` to check it.
# Each creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What .venv holds: the runtime set (requirements.txt) for `make run` and `make serve`,
# the development set (requirements-dev.txt: the runtime set, tests and tools) for the
# rest. A stamp per set, older than its lock when the lock changed; the development set
# holds the runtime set, so installing it renews both stamps.
RUNTIME_INSTALLED := $(VENV)/.installed-runtime
DEV_INSTALLED := $(VENV)/.installed-dev
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check -q
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Where `make run` is reached: the built-in Duitku sandbox is called, and calls back,
# through it, so it follows HOST and PORT unless the environment sets it.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# The app's instance folder: `make run` leaves its address there (served-address), where
# the app in development reads it when PUBLIC_BASE_URL is not set (webapp/production.py),
# so `flask tables list` run beside it prints links to the address it serves.
INSTANCE_DIR := $(or $(WARUNG_INSTANCE_DIR),instance)

.PHONY: run serve test lint lock bench rush install translations-update screenshots

install: $(DEV_INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_INSTALLED): requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(DEV_INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(RUNTIME_INSTALLED)

# Recompile the locks after editing requirements.in or requirements-dev.in (options in
# pyproject.toml). Pins already locked stay; to move one:
# make lock LOCK_ARGS="--upgrade-package werkzeug".
lock: $(DEV_INSTALLED)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q $(LOCK_ARGS) -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q $(LOCK_ARGS) -o requirements-dev.txt requirements-dev.in

# The app compiles the .po catalogs itself when it starts (webapp/i18n.py).
# After changing user-facing strings: extract them and merge into every catalog.
translations-update: $(RUNTIME_INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	rm translations/messages.pot

# Development: migrate, load the demo (menu, tables, and the first time an admin and a
# cashier whose passwords it prints once), then Flask's server with the sandbox.
run: $(RUNTIME_INSTALLED)
	@mkdir -p '$(INSTANCE_DIR)' && echo '$(PUBLIC_BASE_URL)' > '$(INSTANCE_DIR)/served-address'
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(FLASK) db upgrade
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(FLASK) seed-demo
	@printf '\n  Warung: %s   (staff: %s/login)\n\n' '$(PUBLIC_BASE_URL)' '$(PUBLIC_BASE_URL)'
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(FLASK) run --host $(HOST) --port $(PORT)

# Production-style: migrate, then gunicorn (gunicorn.conf.py) against DATABASE_URL.
serve: $(RUNTIME_INSTALLED)
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The suite runs on TEST_WORKERS processes (pytest-xdist; "auto": one per core); TEST_WORKERS=0
# runs it in this process, as a debugger wants.
TEST_WORKERS ?= auto
test: $(DEV_INSTALLED)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Static checks (settings in pyproject.toml); .ci/run runs them before the tests. Every
# check runs even when an earlier one fails, so one run shows every problem.
lint: $(DEV_INSTALLED)
	@status=0; \
	for check in "ruff check ." "ruff format --check --output-format concise ." "mypy" "lint-imports"; do \
	  echo "== $$check"; $(BIN)/$$check || status=1; \
	done; exit $$status

# Phone screenshots for the README (docs/screenshots), taken by the browser journeys.
screenshots: $(DEV_INSTALLED)
	WARUNG_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

# Load benchmark: gunicorn on a throwaway PostgreSQL, driven by wrk (bench/README.md).
bench: $(DEV_INSTALLED)
	$(BIN)/python bench/bench.py 5 100 3  # seconds per run, connections, rounds

# Lunch rush: whole journeys stepped up until p95 > 300 ms or errors > 0.1% (bench/README.md).
# RUSH_ARGS=--two-instances runs it against the reference deployment (nginx, two instances,
# Redis: needs the Debian packages); RUSH_ARGS="--url http://127.0.0.1:8080 --cashier
# NAME:PASSWORD --api-key KEY --license KEY" targets a site already running on this machine;
# RUSH_ARGS="--push off" has the site refuse the staff screens' streams (they poll).
rush: $(DEV_INSTALLED)
	$(BIN)/python bench/rush.py $(RUSH_ARGS)
