# Plaza: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Artwork for the offline painter: Debian's fonts-noto-color-emoji (SIL Open Font License).
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

.PHONY: run test fuzz lint bench migrate gallery emoji-font chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The project itself too (editable, no dependencies beyond the pins): that installs `plaza`.
$(VENV)/.installed: requirements.txt requirements-nodeps.txt pyproject.toml $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements-dev-nodeps.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-dev-nodeps.txt
	touch $@

emoji-font:
	@if [ ! -f $(EMOJI_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null; \
	  else \
	    echo "Offline pictures need fonts-noto-color-emoji (sudo apt-get install" \
	      "fonts-noto-color-emoji); without it they use simple shapes."; \
	  fi; \
	fi

# The browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium (sudo apt-get install chromium)."; \
	  fi; \
	fi

run: $(VENV)/.installed emoji-font
	$(BIN)/python -m social.migrate
	$(BIN)/streamlit run ui/server.py --server.port $(PORT)

test: $(VENV)/.installed-dev emoji-font chromium
	$(BIN)/ruff check assistant social ui tests bench
	$(BIN)/ruff format --check assistant social ui tests bench
	$(BIN)/mypy social assistant
	$(BIN)/python -m pytest

# The property-based suite with thousands of examples (make test runs a few per property).
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -q -p no:randomly \
		--hypothesis-show-statistics

bench: $(VENV)/.installed-dev emoji-font chromium
	$(BIN)/python -m bench
	$(BIN)/python -m bench.first_minutes

gallery: $(VENV)/.installed emoji-font
	$(BIN)/python -m assistant.offline.gallery docs/offline-gallery.png

migrate: $(VENV)/.installed
	$(BIN)/python -m social.migrate

clean:
	rm -rf $(VENV) data
