# Watercooler: `make run` serves the demo, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PORT ?= 8000

.PHONY: run test test-fast lint format bench install install-dev lock vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed

install-dev: $(VENV)/.dev-installed

run: install
	bin/run-demo

test: install-dev
	bin/run-tests

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	bench/run

# Re-pin every dependency (needs network access to PyPI).
lock: install-dev
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile base.in -p 3.11 --generate-hashes -o base.txt -q
	cd requirements && ../$(BIN)/uv pip compile dev.in base.in -p 3.11 --generate-hashes -o dev.txt -q

# Refresh the vendored front-end files from the npm registry (needs npm).
vendor:
	cd /tmp && npm pack htmx.org@2.0.11 && tar xzf htmx.org-2.0.11.tgz && cp package/dist/htmx.min.js $(CURDIR)/static/vendor/

clean:
	rm -rf $(VENV) var staticfiles
