# Plaza: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m social.migrate
	$(BIN)/streamlit run ui/app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check assistant social ui tests bench
	$(BIN)/ruff format --check assistant social ui tests bench
	$(BIN)/mypy social assistant
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

migrate: $(VENV)/.installed
	$(BIN)/python -m social.migrate

clean:
	rm -rf $(VENV) data
