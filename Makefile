# The two commands a new user needs: `make generate` then `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install generate test lint check-drift bench clean

# Creates .venv when missing and (re)installs the project with its dev tools
# whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

# The generator writes the per-endpoint code; scripts/unasync.py writes every _sync/ folder from its _async/ source.
generate: $(STAMP)
	$(PY) -m generator generate
	$(PY) scripts/unasync.py

# Two workers: the suite is CPU-bound (generator runs, real TCP servers) and CI has two cores.
test: $(STAMP)
	$(PY) -m pytest -q -n 2

lint: $(STAMP)
	$(PY) -m ruff check generated/oai generator tests scripts examples e2e bench
	$(PY) -m ruff format --check generated/oai generator tests scripts examples e2e bench
	$(PY) -m pyright -p .
	$(PY) -m pyright -p pyrightconfig.tests.json  # tests, e2e, scripts, bench: strict, a few files standard
	$(PY) -m pyright -p . tests/typing examples  # what user code sees: overloads, chunk types

check-drift: $(STAMP)
	$(PY) -m generator check-drift
	$(PY) scripts/unasync.py --check

# oai beside the official SDK, all in this repository (bench/, docs/benchmarks.md): about 5 minutes on 2 busy
# cores. make bench BENCH_ARGS=--quick (about 1.5), BENCH_ARGS="--scenario concurrency", ...
bench: $(STAMP)
	$(PY) scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# End-to-end tests against real third-party servers (llama-server + SmolLM2, llmock, Steady, aimock).
# Builds/installs them once into ~/.cache/oai-e2e (override with OAI_E2E_CACHE), then runs e2e/.
# One tier without building the others: make e2e E2E_SETUP=llmock E2E_ARGS="-m tier2".
E2E_SETUP ?= all
.PHONY: e2e
e2e: $(STAMP)
	bash scripts/e2e/setup.sh $(E2E_SETUP)
	$(PY) -m pytest e2e -p no:cacheprovider $(E2E_ARGS)
