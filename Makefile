# Siaga 112. `make run` serves the demo city; `make test` runs the whole suite. Both set up
# everything they need on a fresh Debian/Ubuntu machine (as root or with sudo).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint setup db deps serve

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-python.sh
	scripts/bootstrap-python.sh
	touch $@

deps: $(STAMP)

db:
	scripts/provision-postgres.sh

setup: deps db
	$(BIN)/siaga migrate

# The local demo lets the push receiver of `siaga demo` on 127.0.0.1 subscribe; a real
# deployment keeps the default (the browsers' push services only).
run: export SIAGA_PUSH_ALLOWED_ORIGINS ?= http://127.0.0.1
run: setup
	$(BIN)/siaga vapid
	$(BIN)/siaga import --demo
	@echo "Siaga 112 on http://$${SIAGA_HOST:-127.0.0.1}:$${SIAGA_PORT:-8112} (OpenAPI: /schema)"
	$(BIN)/siaga serve

test: deps db
	$(BIN)/pytest

lint: deps
	$(BIN)/ruff format --check api geo migrations tests
	$(BIN)/ruff check api geo migrations tests
	$(BIN)/mypy

check: lint test
