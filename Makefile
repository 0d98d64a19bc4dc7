# The two commands a new user needs: `make generate` then `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install generate test lint check-drift bench clean

# Creates .venv when missing and (re)installs the project with its dev tools
# whenever pyproject.toml changes.
# pip's own progress lines are shown (what it is doing now: collecting, building, installing); the
# "Requirement already satisfied" lines and this machine's index-location warnings are left out.
$(STAMP): pyproject.toml
	@echo "[install] $(VENV): creating it if missing, then installing oai with its dev tools (~25 s, more offline-cold)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "[install] upgrading pip"
	$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
	@echo "[install] installing oai and its dev tools (editable)"
	@{ $(PY) -m pip install -e '.[dev,bench]' 2>&1; echo $$? > $(VENV)/.pip-status; } \
		| grep --line-buffered -v -e "is ignored: it is neither a file nor a directory" -e "^Requirement already satisfied" \
		| sed -u 's/^/[install]   /'
	@exit $$(cat $(VENV)/.pip-status)
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
