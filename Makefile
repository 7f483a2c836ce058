# Two commands on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install fonts run test lint typecheck fmt contract bench fuzz load faults clean portal portal-test portal-e2e

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else \
	  "Thaksa needs Python 3.11 to 3.13, and $(PYTHON) is " + sys.version.split()[0] + \
	  ": name another one, e.g. make test PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) fonts  ## Create the virtual environment and install Thaksa with its dev tools and the Thai font

fonts: $(STAMP)  ## Install the Thai font of the printed documents (Laksaman, checksums verified) in .data/fonts
	@$(BIN)/thaksa fonts install --optional

DEMO        ?=
DEMO_PEOPLE ?= 300

# The portal (portal/, served at /portal): npm ci when its lock file changes, a build when its
# sources or the GraphQL contract change (stamps on their hashes).
NPM          ?= npm
PORTAL_DEPS  := portal/node_modules/.installed-$(shell cat portal/package-lock.json 2>/dev/null | sha1sum | cut -c1-12)
PORTAL_HASH   = $(shell find portal/src portal/index.html portal/package-lock.json portal/vite.config.ts \
                  portal/codegen.ts portal/tsconfig.json openapi/schema.graphql -type f -not -path 'portal/src/gql/*' \
                  2>/dev/null | LC_ALL=C sort | xargs cat | sha1sum | cut -c1-12)
PORTAL_BUILT  = portal/dist/.built-$(PORTAL_HASH)
CHROMIUM     ?= $(firstword $(wildcard /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome))

$(PORTAL_DEPS): portal/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "The portal needs Node.js 20 or later and npm (apt-get install nodejs npm)"; exit 1; }
	cd portal && $(NPM) ci --no-audit --no-fund --loglevel=error
	@rm -f portal/node_modules/.installed-* && touch $@

portal: $(PORTAL_DEPS)  ## Build the portal when its sources or the GraphQL contract changed
	@if [ ! -f $(PORTAL_BUILT) ]; then \
	  echo "building the portal (portal/dist)"; \
	  cd portal && $(NPM) run --silent build && touch ../$(PORTAL_BUILT); \
	fi

portal-test: portal  ## The portal's type check against openapi/schema.graphql, and its component tests
	cd portal && $(NPM) run --silent typecheck && $(NPM) run --silent test

portal-e2e: install portal  ## The portal end to end in Chromium against a real thaksa serve (skipped without a browser)
	@if [ -z "$(CHROMIUM)" ]; then \
	  echo "portal end-to-end tests skipped: no Chromium on this machine (apt-get install chromium; .ci/run does)"; \
	else \
	  cd portal && CHROMIUM_PATH=$(CHROMIUM) THAKSA_PYTHON=$(abspath $(BIN))/python $(NPM) run --silent e2e; \
	fi

run: install portal  ## Start embedded PostgreSQL, migrate, load the seed data, serve on THAKSA_PORT (8000) with the portal at /portal; DEMO=1 adds demo people and the development sign-in
	$(if $(DEMO),THAKSA_DEMO_PEOPLE=$(DEMO_PEOPLE) THAKSA_DEV_SIGNIN=$${THAKSA_DEV_SIGNIN:-true} )$(BIN)/thaksa serve

lint: install  ## ruff, mypy (strict for app/domain), import-linter (the domain stays pure)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy app

fmt: install  ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint portal-test  ## Linters, the portal's type check and tests, the whole suite against a real PostgreSQL, the portal in a browser
	$(BIN)/pytest
	$(MAKE) --no-print-directory portal-e2e

FUZZ_EXAMPLES ?= 50

fuzz: install  ## Schemathesis, long: every operation, all checks and phases, three callers (docs/fuzzing.md)
	$(BIN)/python -m tests.fuzz.run --max-examples $(FUZZ_EXAMPLES)

contract: install  ## Regenerate openapi/openapi.json and openapi/schema.graphql
	$(BIN)/thaksa contract export

bench: install  ## Run the benchmarks in bench/ (see docs/performance.md)
	$(BIN)/python -m bench

LOAD_SECONDS ?= 300
LOAD_USERS   ?= 200

load: install  ## Load suite: LOAD_USERS virtual users (Locust) for LOAD_SECONDS against thaksa serve with demo data (docs/performance.md)
	LOAD_SECONDS=$(LOAD_SECONDS) LOAD_USERS=$(LOAD_USERS) $(BIN)/python -m bench.load

faults: install  ## Fault suite: PostgreSQL stopped, killed, read-only and out of disk under writes (docs/performance.md)
	THAKSA_FAULTS=1 $(BIN)/pytest -q tests/faults

clean:  ## Remove the virtual environment and local data (embedded database included)
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache portal/node_modules portal/dist portal/test-results
