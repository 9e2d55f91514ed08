# Two entry points on a fresh machine: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck unit bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: check the bundled example programs (exit 1 means "findings reported").
run: setup
	$(VENV)/bin/dl-lsp check examples/ ; status=$$?; test $$status -le 1

lint: setup
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	$(PY) -m pytest -q

test: lint typecheck unit

bench: setup
	$(PY) bench/check_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
