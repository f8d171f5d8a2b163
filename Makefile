# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install clean

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
