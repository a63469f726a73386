# Two commands on a fresh machine: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: run test lint bench chromium acceptance docker clean

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

lint: $(STAMP)
	$(BIN)/ruff check gilscope tests bench
	$(BIN)/mypy gilscope --ignore-missing-imports

test: $(STAMP) chromium lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.probe_overhead
	$(BIN)/python -m bench.sampler_cost
	$(BIN)/python -m bench.viewers
	$(BIN)/python -m bench.classroom_load
	$(BIN)/python -m bench.draw_large

acceptance: $(STAMP)
	../shared/acceptance/run

docker:
	docker build -t gilscope .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
