# Maventa Portal: `make run` to use it, `make test` to check it.
# Needs only python3.11 and make: everything else is installed into .venv on first use, and
# reinstalled only when a requirements file changes (stamp files in .venv).

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check --quiet

.DEFAULT_GOAL := run
.PHONY: run test bench lint contract

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements.stamp: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.requirements-dev.stamp: requirements.txt requirements-dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

# The web server (with the built-in Maventa sandbox under /sandbox/) and the task worker;
# run_portal seeds the demo data once the server answers, prints the address and the demo
# login, and stops both on Ctrl-C.
run: export MAVENTA_ENV = sandbox
run: export MAVENTA_SANDBOX_URL = http://127.0.0.1:$(PORT)/sandbox
run: export PORTAL_PUBLIC_URL = http://127.0.0.1:$(PORT)
run: $(VENV)/.requirements.stamp
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py run_portal --port $(PORT)

# Any pytest failure fails the target, "no tests collected" (exit code 5) included.
# Two workers (pytest-xdist), each with its own test database and live server; one against
# Redis, as each test clears the cache whole (FLUSHDB) and would clear the other's.
TEST_WORKERS ?= $(if $(REDIS_URL),0,2)
test: export MAVENTA_ENV = sandbox
test: $(VENV)/.requirements-dev.stamp
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# Every bench/*.py except helper modules (bench/_*.py); they print figures, assert nothing.
bench: export MAVENTA_ENV = sandbox
bench: $(VENV)/.requirements-dev.stamp
	@set -e; for script in bench/*.py; do \
		case "$$script" in bench/_*|'bench/*.py') continue ;; esac; \
		echo "== $$script"; \
		$(PY) "$$script"; \
	done

# What of Maventa's AX schema (and of the other APIs API.md lists) the sandbox serves, the client
# calls and the last test run validated (.contract/seen.json, written by make test), with totals
# against targets; fails when one is missed, or when no test run has been recorded yet.
contract: export MAVENTA_ENV = sandbox
contract: export DJANGO_SETTINGS_MODULE = maventa_portal.settings
contract: $(VENV)/.requirements-dev.stamp
	$(PY) -m tests.contract.coverage

# ruff, then the dependency direction of DESIGN.md as import-linter contracts (pyproject.toml).
lint: $(VENV)/.requirements-dev.stamp
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
