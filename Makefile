# Laurier: `make run` to try it, `make test` to check it. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run
UV := python3 -m uv
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_DIR ?= /tmp/laurier-test-postgres-$(shell id -u)-$$PPID
PG_PORT ?= auto
CHROMIUM ?= /usr/bin/chromium
# Python then keeps compiled modules (and pytest its rewritten tests): without them every test
# worker and every subprocess compiles the project and its libraries again.
unexport PYTHONDONTWRITEBYTECODE
INTEROP := laurier/credentials/tests/interop

.PHONY: run test test-sqlite test-postgres uv install install-dev chromium pdf-libraries qr-tools interop-verifier lint format messages bench bench-tools

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	@$(UV) sync --frozen --inexact --no-dev --quiet

install-dev: uv
	@$(UV) sync --frozen --quiet

chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; } \
	  || { echo "Chromium is missing: install Debian's 'chromium' package." >&2; exit 1; }

# WeasyPrint draws PDFs (certificates, thank-you cards) with Pango; cairosvg draws badge images
# with Cairo. The tests read QR codes back from rendered PDFs with poppler and zbar.
pdf-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libcairo.so.2 || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	  libcairo2 fonts-dejavu-core >/dev/null; } \
	  || { echo "Pango or Cairo is missing: install Debian's 'libpangoft2-1.0-0' and 'libcairo2'." >&2; exit 1; }

qr-tools:
	@command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null; } \
	  || { echo "pdftoppm or zbarimg is missing: install 'poppler-utils' and 'zbar-tools'." >&2; exit 1; }

# The tests check every credential with Digital Bazaar's verifier (Node, offline). npm writes
# node_modules/.package-lock.json on install: older than the committed lock means reinstall.
interop-verifier:
	@command -v node >/dev/null && command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } \
	  || { echo "Node.js is missing: install Debian's 'nodejs' and 'npm' packages." >&2; exit 1; }
	@[ $(INTEROP)/node_modules/.package-lock.json -nt $(INTEROP)/package-lock.json ] || \
	  (cd $(INTEROP) && npm ci --no-audit --no-fund --silent)

# The demo has no mail server: e-mails (invitations, password resets) go to data/worker.log
# and to the server's console instead.
run: export DEBUG = 1
run: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install pdf-libraries
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py load_demo
	@echo ""
	@echo "Laurier runs at http://$(HOST):$(PORT)/  (press Ctrl+C to stop)"
	@$(PY) manage.py demo_logins
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker >data/worker.log 2>&1 & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install-dev chromium pdf-libraries qr-tools interop-verifier
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "=== Test suite on SQLite ==="
	@$(PY) -m pytest -q -n auto --dist worksteal $(PYTEST_ARGS)

test-postgres:
	@echo "=== Test suite on PostgreSQL ==="
	@url=$$(scripts/throwaway-postgres start $(PG_DIR) $(PG_PORT)) && \
	  trap 'scripts/throwaway-postgres stop $(PG_DIR)' EXIT && \
	  DATABASE_URL=$$url $(PY) -m pytest -q -n auto --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: install-dev
	@$(PY) -m ruff check --fix . && $(PY) -m ruff format .

messages: install-dev
	@DEBUG=1 $(PY) manage.py makemessages -l fr_CA --no-obsolete --ignore=.venv --ignore=data -e html,txt,py,md
	@DEBUG=1 $(PY) manage.py compilemessages -l fr_CA --ignore=.venv

bench-tools: uv
	@$(UV) sync --frozen --inexact --group bench --quiet

bench: install-dev
	@$(PY) bench/run.py
