# Two commands on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install fonts run test lint typecheck fmt contract bench fuzz load faults clean

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

run: install  ## Start embedded PostgreSQL, migrate, load the seed data, serve on THAKSA_PORT (8000); DEMO=1 adds demo people
	$(if $(DEMO),THAKSA_DEMO_PEOPLE=$(DEMO_PEOPLE) )$(BIN)/thaksa serve

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

test: install lint  ## Linters, then the whole suite against a real PostgreSQL
	$(BIN)/pytest

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
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache
