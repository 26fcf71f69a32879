PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test lint bench clean

# `make run` installs what running needs (the runtime dependencies); `make test`, `make lint`
# and `make bench` add the development extras (pytest, mypy, Playwright, schemathesis...).
$(RUNTIME): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(DEV)

HOST ?= 127.0.0.1
PORT ?= 8000

# First run: the embedded database with the Quintus example and the first administrator
# (its login is printed once); then the server, at the address it prints.
run: $(RUNTIME)
	$(BIN)/charter init --example
	$(BIN)/charter users bootstrap
	$(BIN)/charter serve --host $(HOST) --port $(PORT)

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(DEV) lint
	$(BIN)/pytest

# The web bench drives the server with Debian's wrk (installed here when missing, as .ci/run
# installs Chromium); without it, bench/loadgen.py's Python client stands in.
bench: $(DEV)
	command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq wrk; } || \
	  echo "wrk could not be installed: the web bench uses its Python load generator"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) charter.db
