# Two commands on a fresh machine: `make run` starts the dashboard, `make test` runs every test.
# While working: `make check` (lint, types, the unit tier and the JS tests, in seconds).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: run check test lint js-test bench chromium docker clean format

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gilscope serve

# Debian's chromium for the real-browser tests (Playwright cannot download its own browser here).
chromium:
	@[ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

SOURCES := gilscope tests bench conftest.py

# mypy runs once: the package plainly, the pure core (records, schema, analysis, lessons) with the flags of --strict,
# as pyproject's [tool.mypy] says; its cache (.mypy_cache) makes a re-run after a small change take a second or two.
lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy gilscope

# The page's pure ES modules, with Node's built-in test runner (skipped, saying so, where Node is missing).
js-test:
	@if command -v node >/dev/null; then node --test tests/js/; else echo "node not found: JS unit tests skipped"; fi

# The tiers are folders (tests/unit, tests/integration, tests/browser), marked alike by the root conftest.py.
# check: what to run before every commit; no child process, no server, no browser.
check: lint js-test
	$(BIN)/pytest -q tests/unit

# test: everything; the unit tier first, then every other test (real children and servers, chromium).
test: $(STAMP) chromium check
	$(BIN)/pytest -q -m "not unit"

bench: $(STAMP)
	$(BIN)/python -m bench.probe_overhead
	$(BIN)/python -m bench.sampler_cost
	$(BIN)/python -m bench.viewers
	$(BIN)/python -m bench.classroom_load
	$(BIN)/python -m bench.draw_large
	$(BIN)/python -m bench.page_responsive
	$(BIN)/python -m bench.first_pixels

docker:
	docker build -t gilscope .

format: $(STAMP)
	$(BIN)/ruff format $(SOURCES)
	$(BIN)/ruff check --fix $(SOURCES)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
