PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000

# First run: the embedded database with the Quintus example and the first administrator
# (its login is printed once); then the server, at the address it prints.
run: $(STAMP)
	$(BIN)/charter init --example
	$(BIN)/charter users bootstrap
	$(BIN)/charter serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest

# The web bench drives the server with Debian's wrk (installed here when missing, as .ci/run
# installs Chromium); without it, bench/loadgen.py's Python client stands in.
bench: $(STAMP)
	command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq wrk; } || \
	  echo "wrk could not be installed: the web bench uses its Python load generator"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) charter.db
