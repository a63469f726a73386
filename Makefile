# Two commands on a fresh machine: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: run test lint js-test bench chromium docker clean format

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

# The pure core (records, schema, analysis, lessons) is type-checked strictly, the rest of the package plainly.
STRICT := gilscope/records.py gilscope/schema.py gilscope/analysis gilscope/lessons

lint: $(STAMP)
	$(BIN)/ruff check gilscope tests bench
	$(BIN)/ruff format --check gilscope tests bench
	$(BIN)/mypy gilscope --ignore-missing-imports
	$(BIN)/mypy --strict --follow-imports=silent $(STRICT)

# The page's pure ES modules, with Node's built-in test runner (skipped, saying so, where Node is missing).
js-test:
	@if command -v node >/dev/null; then node --test tests/js/; else echo "node not found: JS unit tests skipped"; fi

test: $(STAMP) chromium lint js-test
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.probe_overhead
	$(BIN)/python -m bench.sampler_cost
	$(BIN)/python -m bench.viewers
	$(BIN)/python -m bench.classroom_load
	$(BIN)/python -m bench.draw_large
	$(BIN)/python -m bench.first_pixels

docker:
	docker build -t gilscope .

format: $(STAMP)
	$(BIN)/ruff format gilscope tests bench
	$(BIN)/ruff check --fix gilscope tests bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
