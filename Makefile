# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint typecheck unit bench clean

# `make run` installs nonmun as a user would: the package and what it needs, no test tools.
$(VENV)/.installed-run: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## run: build the demo hub, publish its site and serve it on http://127.0.0.1:8000/ (Ctrl-C stops)
run: $(VENV)/.installed-run
	$(BIN)/nonmun demo demo-hub
	$(BIN)/nonmun --hub demo-hub overview --limit 5
	$(BIN)/nonmun --hub demo-hub build
	$(BIN)/nonmun --hub demo-hub preview

# The site's checking tools from npm (the Nu Html Checker, axe-core), as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## test: lint, type-check and run the whole suite (PostgreSQL too when NONMUN_TEST_POSTGRES_URL is set)
test: lint typecheck unit

lint: $(VENV)/.installed-test
	$(BIN)/ruff check nonmun tests bench scripts
	$(BIN)/ruff format --check nonmun tests bench scripts

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(VENV)/.installed-test
	$(BIN)/python bench/import_snapshot.py

clean:
	rm -rf $(VENV) node_modules demo-hub .pytest_cache .mypy_cache .ruff_cache
