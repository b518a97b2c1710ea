# Waymark's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint bench migrate demo clean

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

## Run the app: install, migrate, load the demo content and accounts, serve.
run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Run the whole test suite.
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

## Generate a 2,000-item roadmap and print its page's queries and render time.
bench: $(VENV)/.runtime-installed
	$(BIN)/python manage.py bench_roadmap_page

clean:
	rm -rf $(VENV) staticfiles
