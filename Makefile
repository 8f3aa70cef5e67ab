# Sdelka: `make run` serves the CRM on http://127.0.0.1:8000, `make test` runs the whole suite.
#
# Every recipe runs as one bash script (.ONESHELL) that stops at the first failing command.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
RUFF := $(VENV)/bin/ruff
# Extra arguments for both pytest runs, e.g. make test PYTEST_ARGS='-k deals -x'
PYTEST_ARGS ?=
# Run the suite in two processes; `make test PYTEST_XDIST=` runs it in one.
PYTEST_XDIST ?= -p xdist -n 2

.PHONY: help venv setup run test lint format clean

help:
	@echo "make run     set everything up and serve Sdelka on http://127.0.0.1:8000 (prints demo logins)"
	echo "make test    set up, lint, run the suite on SQLite and on a throwaway PostgreSQL"
	echo "             (extra pytest arguments: make test PYTEST_ARGS='-k deals')"
	echo "make lint    ruff check and ruff format --check"
	echo "make format  ruff format and ruff check --fix"
	echo "make clean   remove .venv and var/staticfiles (the database stays)"

# The virtualenv, reinstalled only when pyproject.toml changed since the last install.
venv:
	@if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then
	  found=$$($(PYTHON) -c 'import sys; print("Python", sys.version.split()[0])' 2>/dev/null || echo "not found")
	  echo "ERROR: Sdelka needs Python 3.11, but '$(PYTHON)' is $$found." >&2
	  echo "       Install Python 3.11, or point make at it: make PYTHON=/path/to/python3.11 ..." >&2
	  exit 1
	fi
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
	  echo "ERROR: $(VENV) was made with $$($(PY) --version 2>&1), not Python 3.11: run 'make clean' first." >&2
	  exit 1
	fi
	if [ ! -x $(PY) ]; then
	  echo "==> Creating $(VENV)"
	  rm -rf $(VENV)
	  $(PYTHON) -m venv $(VENV)
	fi
	stamp="$(VENV)/.installed-$$(sha256sum pyproject.toml | cut -c1-16)"
	if [ ! -e "$$stamp" ]; then
	  echo "==> Installing Sdelka and its dependencies into $(VENV)"
	  $(PY) -m pip install --quiet --upgrade pip
	  $(PY) -m pip install --quiet -e '.[dev]'
	  rm -f $(VENV)/.installed-*
	  touch "$$stamp"
	fi

# Everything `run` and `test` need: dependencies, translations, database tables, static files.
setup: venv
	@if [ -d locale ]; then
	  if ! command -v msgfmt >/dev/null; then
	    echo "ERROR: msgfmt is missing; install gettext (apt-get install gettext)." >&2
	    exit 1
	  fi
	  $(MANAGE) compilemessages --ignore=$(VENV)
	fi
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --noinput -v0

run: setup
	@bash scripts/run.sh

test: setup
	@# timed TITLE COMMAND...: prints a heading, runs the command, reports how long it took.
	timed() { local title=$$1 t0=$$SECONDS; shift; echo "==> $$title"; "$$@"; echo "    $$title: $$((SECONDS - t0))s"; }
	timed "ruff check" $(RUFF) check .
	timed "ruff format --check" $(RUFF) format --check .
	timed "pytest on SQLite" env -u DATABASE_URL $(VENV)/bin/pytest -q $(PYTEST_XDIST) $(PYTEST_ARGS)
	timed "pytest on PostgreSQL" bash scripts/test-postgres.sh -q $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: venv
	@$(RUFF) check .
	$(RUFF) format --check .

format: venv
	@$(RUFF) check --fix --exit-zero --quiet .
	$(RUFF) format .
	$(RUFF) check .

clean:
	rm -rf $(VENV) var/staticfiles
