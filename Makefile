# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: build the demo hub and show what it holds
run: $(STAMP)
	$(BIN)/nonmun demo demo-hub
	$(BIN)/nonmun --hub demo-hub overview

## test: lint, type-check and run the whole suite (PostgreSQL too when NONMUN_TEST_POSTGRES_URL is set)
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check nonmun tests bench scripts
	$(BIN)/ruff format --check nonmun tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/import_snapshot.py

clean:
	rm -rf $(VENV) demo-hub .pytest_cache .mypy_cache .ruff_cache
