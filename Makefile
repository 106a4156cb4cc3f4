# Warung: `make run` to try it, `make test` to test it, `make lint` to check it.
# Each creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Where `make run` is reached: the built-in Duitku sandbox is called, and calls back,
# through it, so it follows HOST and PORT unless the environment sets it.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run serve test lint lock bench rush install translations-update screenshots

install: $(INSTALLED)

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Recompile the locks after editing requirements.in or requirements-dev.in (options in
# pyproject.toml). Pins already locked stay; to move one:
# make lock LOCK_ARGS="--upgrade-package werkzeug".
lock: $(INSTALLED)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q $(LOCK_ARGS) -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q $(LOCK_ARGS) -o requirements-dev.txt requirements-dev.in

# The app compiles the .po catalogs itself when it starts (webapp/i18n.py).
# After changing user-facing strings: extract them and merge into every catalog.
translations-update: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	rm translations/messages.pot

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(FLASK) run --host $(HOST) --port $(PORT)

# Production-style: migrate, then gunicorn (gunicorn.conf.py) against DATABASE_URL.
serve: install
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	$(BIN)/python -m pytest

# Static checks (settings in pyproject.toml); .ci/run runs them before the tests. Every
# check runs even when an earlier one fails, so one run shows every problem.
lint: install
	@status=0; \
	for check in "ruff check ." "ruff format --check --output-format concise ." "mypy" "lint-imports"; do \
	  echo "== $$check"; $(BIN)/$$check || status=1; \
	done; exit $$status

# Phone screenshots for the README (docs/screenshots), taken by the browser journeys.
screenshots: install
	WARUNG_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

# Load benchmark: gunicorn on a throwaway PostgreSQL, driven by wrk (bench/README.md).
bench: install
	$(BIN)/python bench/bench.py 5 100 3  # seconds per run, connections, rounds

# Lunch rush: whole journeys stepped up until p95 > 300 ms or errors > 0.1% (bench/README.md).
# RUSH_ARGS=--two-instances runs it against the reference deployment (nginx, two instances,
# Redis: needs the Debian packages); RUSH_ARGS="--url http://127.0.0.1:8080 --cashier
# NAME:PASSWORD --api-key KEY --license KEY" targets a site already running on this machine.
rush: install
	$(BIN)/python bench/rush.py $(RUSH_ARGS)
