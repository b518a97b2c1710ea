# Waymark's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker dev test lint bench migrate demo clean static release backup restore scale-demo restart-demo pg-recovery-demo screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

migrate: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py import_roadmaps content/
	@echo "Demo accounts (sign in at http://$(HOST):$(PORT)/accounts/login/):"
	$(BIN)/python manage.py seed_demo_accounts
	$(BIN)/python manage.py seed_demo_progress

## Run the app: install, migrate, load the demo content and accounts, serve
## through gunicorn + whitenoise exactly as production does (DEBUG off; the
## development defaults for hosts, database and cache still apply), with a
## task worker beside it that sends the emails (printed here); Ctrl-C stops both.
run: demo static
	DEBUG=0 BIND=$(HOST):$(PORT) $(BIN)/python scripts/run.py

## A task worker alone (emails, digests): run one or more per machine.
worker: migrate
	$(BIN)/python manage.py db_worker --no-reload

## Django's development server: auto-reload, DEBUG on; tasks (emails) run
## inside the request, so no worker is needed.
dev: demo
	TASK_BACKEND=immediate $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Hashed, compressed static files for whitenoise (DEBUG off selects the
# manifest storage).
static: $(VENV)/.runtime-installed
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0

## The release command: run once per deploy, before (re)starting app servers.
release: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

## Back up the database into backups/ (pg_dump -Fc, or a SQLite copy).
backup: $(VENV)/.runtime-installed
	$(BIN)/python scripts/backup.py

## Restore a backup: make restore FILE=backups/waymark-….dump
restore: $(VENV)/.runtime-installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>"; exit 2; }
	$(BIN)/python scripts/restore.py "$(FILE)"

# The fault demonstrations each create a throw-away PostgreSQL cluster
# (port 5440) and Redis (port 6390) and drop them at the end; they never
# stop the machine's own. They need root or the postgres user (pg_createcluster).

## Two gunicorn instances sharing PostgreSQL and Redis: sessions, the
## sign-in lock-out (Host ports and case too) and a 10 s Redis outage.
scale-demo: $(VENV)/.runtime-installed
	$(BIN)/python scripts/scale_demo.py

## Restart gunicorn under signed-in load (SIGHUP, then SIGTERM) and count failed requests.
restart-demo: $(VENV)/.runtime-installed
	$(BIN)/python scripts/restart_under_load.py

## Stop PostgreSQL for 10 s under signed-in load: errors during, after, seconds to recovery.
pg-recovery-demo: $(VENV)/.runtime-installed
	$(BIN)/python scripts/pg_restart_recovery.py

## Run the whole test suite.
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

## Generate a 2,000-item roadmap and print its page's queries and render time,
## then a learner on three such roadmaps and their dashboard's (first, repeat,
## after a write), then pagebench's figures for the pages opened right after a
## write (dashboard, big and one-item learner; the 2,000-item roadmap page).
## On SQLite in a database of its own (bench.sqlite3), so that the bench
## roadmaps never show in the development catalogue; with DATABASE_URL set,
## in that database.
BENCH_DB := $(CURDIR)/bench.sqlite3
bench: export SQLITE_PATH = $(BENCH_DB)
bench: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py bench_roadmap_page
	$(BIN)/python manage.py bench_dashboard
	$(BIN)/python scripts/bench_after_post.py

## PNGs of the main pages, both themes, 360 and 1280 px, into docs/screenshots/.
screenshots: $(VENV)/.dev-installed
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles bench.sqlite3
