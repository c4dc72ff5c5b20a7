# parsoc — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Where the embedded SQLite database, the generated secret key and uploads live.
export PARSOC_HOME ?= $(CURDIR)/var

.PHONY: install install-test demo serve test bench clean help

help:
	@echo "make demo     set up, load the demo world and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test     run the whole test suite"
	@echo "make install  create $(VENV) and install parsoc into it"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("parsoc needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/parsoc demo --port $(PORT)

serve: install
	$(BIN)/parsoc serve --port $(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

BENCHES = planning_vs_demplan choice_speed work_balance meetings_live decisions_load

bench: install-test
	$(BIN)/python -m pip install -q -e '.[bench]'
	@for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info .pytest_cache
