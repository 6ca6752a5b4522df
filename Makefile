# make run   installs what is needed and serves http://127.0.0.1:8000 (reloads on edits)
# make test  installs what is needed and runs the whole suite, checks included
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Two environments in one venv: serving (the package; uvicorn[standard] brings watchfiles for
# --reload) and testing (the package with its test toolchain, which includes serving).
SERVE_STAMP := $(VENV)/.installed-serve
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite on every core, plus one worker: a browser test spends part of each step waiting for a
# round trip between Python, Playwright's driver and Chromium, and the extra worker fills those
# waits (on two cores, back to back: 272 s with two workers, 259 s with three). tests/parallel.py
# says which tests share one worker.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PARALLEL ?= -n $(WORKERS) --dist loadgroup

.PHONY: help install system-deps test-base-image run serve test test-fast check lint messages locale i18n-check stats export cards bench loadtest image base-image clean

help:
	@sed -n 's/^# //p' Makefile | head -2
	@echo "also: make test-fast | check | messages | locale L=xx | stats | export DIR=out | cards | bench | loadtest | image"

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(SERVE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(SERVE_STAMP)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,print]'
	touch $(STAMP) $(SERVE_STAMP)

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

run: $(SERVE_STAMP)
	$(PY) -m webapp serve --reload --host $(HOST) --port $(PORT)

serve: $(SERVE_STAMP)
	$(PY) -m webapp serve --host $(HOST) --port $(PORT)

# The whole suite under coverage (tests/conftest.py says which processes trace); fails under 100 % of webapp/.
test: install system-deps test-base-image $(JS_STAMP) check
	rm -rf .coverage-data && mkdir -p .coverage-data
	$(VENV)/bin/coverage run -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(VENV)/bin/coverage combine --quiet
	$(VENV)/bin/coverage report

# The image test's base, made from Debian's packages (deploy/base-image.sh) before the suite runs,
# as the Debian packages are installed: once per machine, and nothing where podman is missing.
test-base-image: system-deps
	@if command -v podman >/dev/null && command -v mmdebstrap >/dev/null; then \
	  $(MAKE) --no-print-directory base-image ENGINE=podman || echo "no base image: tests/deploy/test_image.py will say why"; fi

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

messages: $(SERVE_STAMP)
	$(PY) -m webapp i18n extract
	$(PY) -m webapp i18n update

locale: $(SERVE_STAMP)
	@test -n "$(L)" || { echo "usage: make locale L=xx (a code from webapp/locales.py)"; exit 2; }
	$(PY) -m webapp i18n init $(L)

stats: $(SERVE_STAMP)
	$(PY) -m webapp i18n stats

export: $(SERVE_STAMP)
	$(PY) -m webapp export $(or $(DIR),build/site)

# Printed help cards, one A6 PDF per language, and the poster of all languages (languages.pdf).
cards: install
	$(PY) -m webapp cards -o $(or $(DIR),build/cards)

bench: install system-deps
	$(PY) -m bench.bench

loadtest: install system-deps
	$(PY) -m bench.loadtest

# The OCI image (Containerfile), tagged trygg-sida:VERSION and trygg-sida:latest. Wheels are built
# here, on the host, so the build reaches no package index; the base is made from Debian's
# packages when the engine does not have it (deploy/base-image.sh).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
ENGINE ?= $(if $(shell command -v podman 2>/dev/null),podman,docker)
BASE ?= docker.io/library/debian:bookworm-slim
SOURCE_URL ?= $(or $(shell git config --get remote.origin.url 2>/dev/null),unknown)
BUILD_FLAGS ?=
ifeq ($(notdir $(ENGINE)),podman)
# What podman needs on hosts like CI's: runc (crun cannot drive their hybrid cgroups), ulimits
# within the host's (the defaults fail setrlimit) and the host's network. Empty it where podman
# runs without. --format docker: the OCI format has no HEALTHCHECK. (docker never pulls a base it
# has unless asked, and takes none of these.)
PODMAN_FLAGS ?= --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host
ENGINE_FLAGS := --pull=never --format docker $(PODMAN_FLAGS)
endif

base-image:
	ENGINE=$(ENGINE) bash deploy/base-image.sh $(BASE)

image: install base-image
	rm -rf build/wheels
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || date +%s) $(PY) -m pip wheel --quiet --disable-pip-version-check --wheel-dir build/wheels . pip
	$(ENGINE) build $(ENGINE_FLAGS) --file Containerfile \
	  --build-arg BASE=$(BASE) --build-arg VERSION=$(VERSION) --build-arg SOURCE=$(SOURCE_URL) \
	  --build-arg WHEELS=$$(cat build/wheels/*.whl | sha256sum | cut -c1-16) \
	  --tag trygg-sida:$(VERSION) --tag trygg-sida:latest $(BUILD_FLAGS) .

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .coverage-data
