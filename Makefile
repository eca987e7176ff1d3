# Make targets are the interfaces between stages; CI runs `make test` (see .ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export TMT_HOME ?= $(CURDIR)/data
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

.PHONY: venv system-deps run test test-postgres bench lint lock clean prefect prefect-stop
.PHONY: superset-venv superset superset-stop superset-lock

# Byte-compiled at install: where PYTHONDONTWRITEBYTECODE is set (this machine, many
# containers) Python caches nothing, and every start compiled its imports again (prefect:
# 3.2 s, 1.1 s compiled; a site check's worker processes: 0.21 s, 0.11 s).
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q flows bench tests >/dev/null
	touch $@

venv: $(VENV)/.installed                  ## the platform virtualenv, from the lock

# Superset's own virtualenv: Superset 6.1 needs SQLAlchemy 1.4 and pandas < 2.2, so it
# cannot share the platform's (deploy/superset/README.md). uv and its cache make it seconds.
SUPERSET_VENV := .venv-superset
$(SUPERSET_VENV)/.installed: deploy/superset/requirements.lock
	$(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/python -m pip install -q --disable-pip-version-check uv
	$(SUPERSET_VENV)/bin/uv pip sync -q --compile-bytecode --python $(SUPERSET_VENV)/bin/python $<
	touch $@

superset-venv: $(SUPERSET_VENV)/.installed

# Debian's chromium for page and dashboard tests (Playwright drives it; it never downloads
# a browser), and PostgreSQL's server binaries for the shared-warehouse test (it starts its
# own server in a temporary directory). Needs root or sudo; skipped when already there.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

run: venv                                  ## the whole pipeline on the bundled sample
	$(BIN)/tmt run

test: venv superset-venv system-deps       ## the test suite (real DuckDB, dbt, Prefect, Superset, HTTP, Chromium)
	$(BIN)/pytest

# Part of `test` too (about 80 s on two shared cores: a PostgreSQL server, the samples built
# in DuckDB then in PostgreSQL); this runs it alone (deploy/production.md, section 5).
test-postgres: venv system-deps            ## the marts built in a real PostgreSQL equal DuckDB's
	$(BIN)/pytest -m postgres

prefect: venv                              ## a real Prefect server + UI on 127.0.0.1:4200 (schedules)
	deploy/prefect-server.sh start

prefect-stop:
	deploy/prefect-server.sh stop

superset: superset-venv                    ## Superset on 127.0.0.1:8088, in the background, once healthy
	$(SUPERSET_VENV)/bin/python deploy/superset/service.py start

superset-stop:
	$(SUPERSET_VENV)/bin/python deploy/superset/service.py stop

bench: venv                                ## benchmarks; figures printed and saved under bench/results
	$(BIN)/python -m bench.run

lint: venv
	$(BIN)/ruff check flows expectations tests bench

lock:                                      ## re-resolve requirements.lock from pyproject.toml
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

superset-lock:                             ## re-resolve Superset's lock (deploy/superset/)
	uv pip compile deploy/superset/requirements.in -c deploy/superset/constraints.txt \
	  --python-version 3.11 -o deploy/superset/requirements.lock

clean:
	rm -rf $(VENV) $(SUPERSET_VENV) data
