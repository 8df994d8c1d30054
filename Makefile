# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test install install-dev static messages test-tools test-sqlite test-postgres bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY)
	$(PIP) install --quiet -e .

install-dev: $(PY)
	$(PIP) install --quiet -e '.[dev,server,mpxj]'

# HTMX from the npm registry, copied into a git-ignored static folder (never committed).
static: jalon/static/vendor/htmx.min.js

jalon/static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent vendor

# Only when .po files change; the compiled .mo files are committed.
messages: install
	cd jalon && ../$(PY) ../manage.py compilemessages

# Debian's Chromium for the browser tests (Playwright never downloads a browser here) and
# poppler-utils, whose pdftotext/pdftoppm read the generated PDFs back in the tests.
test-tools:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  [ -z "$$missing" ] || { \
	  echo "Installing$$missing for the tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

run: install static
	$(VENV)/bin/jalon migrate --no-input
	$(VENV)/bin/jalon demo --if-empty
	$(VENV)/bin/jalon serve

test: install-dev static test-tools
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	env -u DATABASE_URL $(PY) -m pytest -n 2 --dist loadgroup

# The same database tests on PostgreSQL; fails loudly if the server cannot be reached.
test-postgres:
	$(PY) -c "import psycopg; psycopg.connect('$(PG_URL)').close()" \
	  || { echo "PostgreSQL unreachable at $(PG_URL)"; exit 1; }
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 --dist loadgroup tests/integration tests/e2e

bench: install
	$(PIP) install --quiet -e '.[bench]'
	$(PY) benchmarks/psplib_bench.py --help

clean:
	rm -rf $(VENV) build *.egg-info
