# Siaga 112. `make run` serves the demo city; `make test` runs the whole suite. Both set up
# everything they need on a fresh Debian/Ubuntu machine (as root or with sudo).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PWA_SOURCES := $(shell find pwa/src pwa/public -type f 2>/dev/null) pwa/index.html pwa/vite.config.ts pwa/package-lock.json

.PHONY: run test check lint setup db deps serve pwa browser

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-python.sh
	scripts/bootstrap-python.sh
	touch $@

deps: $(STAMP)

db:
	scripts/provision-postgres.sh

# The PWA: npm packages from the lock file, built by Vite (+ Workbox for the service worker).
pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	scripts/ensure-node.sh
	cd pwa && npm ci --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	cd pwa && npm run build

pwa: pwa/dist/index.html

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || scripts/apt-install.sh chromium

setup: deps db pwa
	$(BIN)/siaga migrate

# The local demo lets the push receiver of `siaga demo` on 127.0.0.1 subscribe; a real
# deployment keeps the default (the browsers' push services only).
run: export SIAGA_PUSH_ALLOWED_ORIGINS ?= http://127.0.0.1:8113
run: setup
	$(BIN)/siaga vapid
	$(BIN)/siaga import --demo
	$(BIN)/siaga refresh-public
	@echo "Siaga 112 on http://$${SIAGA_HOST:-127.0.0.1}:$${SIAGA_PORT:-8112} (OpenAPI: /schema)"
	$(BIN)/siaga serve

test: deps db pwa browser
	$(BIN)/pytest

lint: deps
	$(BIN)/ruff format --check api geo migrations tests
	$(BIN)/ruff check api geo migrations tests
	$(BIN)/mypy
	cd pwa && npx tsc --noEmit

check: lint test
