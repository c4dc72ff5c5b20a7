# parsoc — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Where the embedded SQLite database, the generated secret key and uploads live.
export PARSOC_HOME ?= $(CURDIR)/var

.PHONY: install install-test demo serve test lint bench clean help lock audit mutation

help:
	@echo "make demo     set up, load the demo world and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test     run the whole test suite"
	@echo "make lint     check style (ruff) and types (mypy); zero findings"
	@echo "make install  create $(VENV) and install parsoc into it"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("parsoc needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs take the versions pinned in requirements.lock (`make lock` renews it).
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock $(VENV)/.installed
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/parsoc demo --port $(PORT)

serve: install
	$(BIN)/parsoc serve --port $(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style and types, configured in pyproject.toml (every ignore there says why); CI runs it.
lint: install-test
	$(BIN)/ruff check
	$(BIN)/mypy

# Mutation run of issue 15 (docs/testing.md): slow, so not part of `make test` or CI.
mutation: install-test
	BIN=$(BIN) tools/mutation/run

BENCHES = planning_vs_demplan choice_speed work_balance meetings_live decisions_load

bench: install-test
	$(BIN)/python -m pip install -q -e '.[bench]'
	@for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py || exit 1; done

# Pin every dependency of `make test` (resolved afresh in a throwaway virtual environment).
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install -q -e '.[test]'
	$(VENV)-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' | grep -v '^parsoc' > requirements.lock
	rm -rf $(VENV)-lock

# Known vulnerabilities in the locked dependencies (pip-audit); CI runs it.
audit: install
	PYTHON=$(BIN)/python bash .ci/audit

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
