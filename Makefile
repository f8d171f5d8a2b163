# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install clean bench bench-search

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Set up, then serve the site on http://127.0.0.1:8000 (SQLite and Whoosh in ./data, seeded from content/).
run: $(STAMP)
	$(BIN)/praxis serve

## Set up, then run the whole test suite on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2

clean:
	rm -rf $(VENV) .pytest_cache

## Benchmarks (see bench/ and the README): suggestions and search at 100 000 notes, SQLite and PostgreSQL (about an hour).
bench: $(STAMP)
	$(BIN)/python bench/suggest.py --notes 100000
	psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS praxis_bench' -c 'CREATE DATABASE praxis_bench'
	$(BIN)/python bench/suggest.py --notes 100000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench
	psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS praxis_bench'
	$(MAKE) bench-search NOTES=10000
	$(MAKE) bench-search NOTES=100000

## Search alone at NOTES notes: Whoosh on SQLite, the SQLite FTS5 reference, PostgreSQL full-text search.
NOTES ?= 10000
bench-search: $(STAMP)
	$(BIN)/python bench/search.py --notes $(NOTES)
	$(BIN)/python bench/fts5_reference.py --data-dir /tmp/praxis-bench-search-$(NOTES)
	$(BIN)/python bench/search.py --notes $(NOTES) --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_search
