# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check install clean bench bench-search bench-load messages screenshots

# uv (Astral's installer, itself installed by the venv's pip) resolves and installs the project in a
# fraction of pip's time: in a clean clone, 33 s instead of 108 s on a loaded machine (issue 22).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check 'uv>=0.5'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

# The browser tests load axe-core (the accessibility engine) from npm into the pages they check.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

## Set up, then serve the site on http://127.0.0.1:8000 (SQLite and Whoosh in ./data, seeded from content/).
run: $(STAMP)
	$(BIN)/praxis serve

## Set up, check lint (ruff) and types (mypy), then run the whole test suite on SQLite and on PostgreSQL
## (127.0.0.1:5432, user postgres). Their settings are in pyproject.toml.
test: $(STAMP) $(NODE_STAMP) check
	$(BIN)/python -m pytest -n 2 --durations=25

## Lint, format and types alone (a few seconds; `make test` runs them first and stops on any finding).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Interface strings: gather them from the code and templates into the English catalogue
## (praxis/locale/en/LC_MESSAGES/messages.po), keeping what is translated; then fill the empty msgstr.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F praxis/locale/babel.cfg --no-location --sort-output -o $(VENV)/messages.pot .
	$(BIN)/pybabel -q update -i $(VENV)/messages.pot -d praxis/locale -l en --ignore-obsolete --no-fuzzy-matching

## The README's screenshots: every page of the sample site at 390 and 1280 px (light, and dark for two),
## in French, then in English, into docs/screenshots/ (about a minute; needs Debian's chromium).
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py
	$(BIN)/python tools/screenshots.py --lang en

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## Benchmarks (see bench/ and docs/benchmarks.md): suggestions, search and load at 10 000 and 100 000 notes on SQLite,
## and load at 1 000 000 notes on PostgreSQL (several hours, most of them loading the million notes).
bench: $(STAMP)
	$(BIN)/python bench/suggest.py --notes 100000
	psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS praxis_bench' -c 'CREATE DATABASE praxis_bench'
	$(BIN)/python bench/suggest.py --notes 100000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench
	psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS praxis_bench'
	$(MAKE) bench-search NOTES=10000
	$(MAKE) bench-search NOTES=100000
	$(MAKE) bench-load NOTES=10000
	$(MAKE) bench-load NOTES=100000
	$(MAKE) bench-load NOTES=1000000 DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_load

## Search alone at NOTES notes: Whoosh on SQLite, the SQLite FTS5 reference, PostgreSQL full-text search.
NOTES ?= 10000
bench-search: $(STAMP)
	$(BIN)/python bench/search.py --notes $(NOTES)
	$(BIN)/python bench/fts5_reference.py --data-dir /tmp/praxis-bench-search-$(NOTES)
	$(BIN)/python bench/search.py --notes $(NOTES) --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_search

## Load at NOTES notes: import, then wrk against `praxis serve --workers 2` at 1, 8 and 32 clients
## (DATABASE_URL: a PostgreSQL database to empty and use instead of SQLite).
DATABASE_URL ?=
bench-load: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/load.py --notes $(NOTES) $(if $(DATABASE_URL),--database-url $(DATABASE_URL))
