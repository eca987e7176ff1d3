# Make targets are the interfaces between stages; CI runs `make test` (see .ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export TMT_HOME ?= $(CURDIR)/data
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

.PHONY: venv system-deps run test bench lint lock clean prefect prefect-stop

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

venv: $(VENV)/.installed                  ## the platform virtualenv, from the lock

# Debian's chromium for page and dashboard tests (Playwright drives it; it never downloads
# a browser). Needs root or sudo; skipped when the browser is already there.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: venv                                  ## the whole pipeline on the bundled sample
	$(BIN)/tmt run

test: venv system-deps                     ## the test suite (real DuckDB, dbt, Prefect, HTTP, Chromium)
	$(BIN)/pytest

prefect: venv                              ## a real Prefect server + UI on 127.0.0.1:4200 (schedules)
	deploy/prefect-server.sh start

prefect-stop:
	deploy/prefect-server.sh stop

bench: venv                                ## benchmarks; figures printed and saved under bench/results
	$(BIN)/python -m bench.run

lint: venv
	$(BIN)/ruff check flows expectations tests bench

lock:                                      ## re-resolve requirements.lock from pyproject.toml
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) data
