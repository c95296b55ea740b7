# Two commands for a newcomer: `make run` and `make test`. Both work on a fresh Debian machine
# with Python 3.11, and again when .venv already exists.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/kpi.duckdb
PORT   ?= 8501

.PHONY: run test db serve lint install install-dev chromium fonts bench clean

run: install fonts db serve

serve:
	KPI_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

db: install
	$(BIN)/python -m etl run data/minutes --db $(DB)
	$(BIN)/python -m etl official --db $(DB)

test: install-dev chromium fonts lint
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .

# The stamp files make a second `make` fast: pip runs again only when a requirements file changes.
install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.runtime-installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's chromium for the browser tests (never `playwright install`: browser downloads fail here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's DejaVu fonts: the briefing PDF embeds them so its text is real Unicode text.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }

# Speed figures for the README (not tests: timings depend on the machine).
bench: install-dev
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/dashboard_queries.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts $(DB)
