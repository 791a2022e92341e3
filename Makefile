# ris3hub: `make demo` builds and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres services serve clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/ris3hub demo --port $(PORT)

serve: $(VENV)/.installed
	$(BIN)/ris3hub serve --port $(PORT)

# Installs Debian's chromium and postgresql when missing, starts PostgreSQL, and writes the URL
# the suite uses for its PostgreSQL run to var/postgres-url.
services:
	bash scripts/ensure-services.sh var/postgres-url

test: $(VENV)/.installed-test services
	$(BIN)/pytest -q --durations=10
	DATABASE_URL="$$(cat var/postgres-url)" $(BIN)/pytest -q --durations=10 -m "not browser" tests

clean:
	rm -rf var/test test-artifacts
