# make run   installs what is needed and serves http://127.0.0.1:8000 (reloads on edits)
# make test  installs what is needed and runs the whole suite, checks included
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite on every core; tests/parallel.py says which tests share one worker.
PARALLEL ?= -n auto --dist loadgroup

.PHONY: help install system-deps run serve test test-fast check lint messages locale i18n-check stats export bench loadtest clean

help:
	@sed -n 's/^# //p' Makefile | head -2
	@echo "also: make test-fast | check | messages | locale L=xx | stats | export DIR=out | bench | loadtest"

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

JS := tests/browser/js
JS_STAMP := $(JS)/node_modules/.installed

# Test-only npm packages (the Nu Html Checker's vnu.jar, a virtual screen reader), locked.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; Debian's is used.
$(JS_STAMP): $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(JS_STAMP)

install: $(STAMP)

# Debian packages the tests and tools use (Chromium, msgfmt, nginx, wrk, fonts, Java for the
# Nu checker). Installed only when missing, and only when we may (root); otherwise it says what.
system-deps:
	@bash .ci/system-deps

run: install
	$(PY) -m webapp serve --reload --host $(HOST) --port $(PORT)

serve: install
	$(PY) -m webapp serve --host $(HOST) --port $(PORT)

# The whole suite under coverage (servers the tests start included); fails under 100 % of webapp/.
test: install system-deps $(JS_STAMP) check
	rm -rf .coverage-data && mkdir -p .coverage-data
	$(VENV)/bin/coverage run -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(VENV)/bin/coverage combine --quiet
	$(VENV)/bin/coverage report

# Everything but the real-browser tests, without coverage (it does not run everything).
test-fast: install system-deps $(JS_STAMP)
	$(PY) -m pytest $(PARALLEL) -m "not browser" $(PYTEST_ARGS)

check: install lint i18n-check

lint: install
	$(VENV)/bin/ruff check webapp tests bench
	$(VENV)/bin/ruff format --check webapp tests bench
	$(VENV)/bin/mypy --strict webapp tests bench

# The catalog checks CI runs: our checker (what is broken, and a stale messages.pot; untranslated
# and fuzzy messages are status, see make stats) and msgfmt.
i18n-check: install
	$(PY) -m webapp i18n check
	@for code in $$($(PY) -m webapp locales --published); do \
	  [ "$$code" = sv ] || msgfmt --check -o /dev/null locales/$$code/LC_MESSAGES/messages.po || exit 1; \
	done

messages: install
	$(PY) -m webapp i18n extract
	$(PY) -m webapp i18n update

locale: install
	@test -n "$(L)" || { echo "usage: make locale L=xx (a code from webapp/locales.py)"; exit 2; }
	$(PY) -m webapp i18n init $(L)

stats: install
	$(PY) -m webapp i18n stats

export: install
	$(PY) -m webapp export $(or $(DIR),build/site)

bench: install system-deps
	$(PY) -m bench.bench

loadtest: install system-deps
	$(PY) -m bench.loadtest

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .coverage-data
