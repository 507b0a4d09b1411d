# acurelief — `make run` serves the app with a demo practice; `make test` runs the tests.
# Both set everything up on first use (virtual environment, packages) and are quick after.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

CHROMIUM := /usr/bin/chromium

.PHONY: run test lint bench validate setup clean screenshots

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "acurelief needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || \
	  { echo "installing python3-venv with apt"; apt-get update -qq && apt-get install -y -qq python3-venv; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/acurelief init
	$(BIN)/acurelief demo --if-empty
	$(BIN)/acurelief serve

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/diary_upserts.py
	$(BIN)/python bench/simulation.py
	$(BIN)/python bench/endpoints.py
	$(BIN)/python bench/worklist.py
	$(BIN)/python bench/carryover.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/today_form.py
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/audit_verify.py

# The README's screenshots, taken by the browser tests (Chromium at 390 and 1280 px).
screenshots: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q tests/browser -k sqlite
	$(BIN)/python scripts/readme_screenshots.py

validate: $(STAMP)
	$(BIN)/python validation/known_truth.py --n 5000 --practices 1000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
