# Rits — the few verbs an operator or developer needs.
# `make run` and `make test` work on a fresh machine with only Python 3.11.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test check bench bench-quick install install-dev browser clean openapi

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev browser

## Debian's Chromium for the end-to-end tests; Playwright never downloads a browser.
browser:
	@test -x /usr/bin/chromium || (echo "Installing Debian's chromium for the browser tests…" && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## Set up, migrate SQLite, load the demo region and serve on http://127.0.0.1:8000
run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

## Install everything and run the whole test suite (SQLite; PostgreSQL too when DATABASE_URL is set)
test: install-dev
	$(PY) -m pytest -q

## Lint and type checks
check: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy rits bench
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ \
		RITS_PSEUDONYM_KEY=check-only-key-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=rits.example.nl \
		EMAIL_HOST=smtp.example.nl \
		$(MANAGE) check --deploy --fail-level WARNING

## Benchmarks print figures next to a baseline measured in the same run (full national scale)
# Benchmarks run as production does: DEBUG off (no query log), throwaway keys, plain HTTP on loopback.
BENCH_DB := $(CURDIR)/.bench.sqlite3
BENCH_ENV := SQLITE_PATH=$(BENCH_DB) DEBUG=0 RITS_BENCHMARKS=1 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1,localhost,testserver \
	SECRET_KEY=benchmark-only-secret-key-not-for-production-0123456789abcdef \
	RITS_PSEUDONYM_KEY=benchmark-only-pseudonym-key-0123456789
bench: install-dev
	rm -f $(BENCH_DB) $(BENCH_DB)-wal $(BENCH_DB)-shm
	$(BENCH_ENV) $(MANAGE) migrate --no-input -v0
	$(BENCH_ENV) $(MANAGE) bench_directory
	$(BENCH_ENV) $(MANAGE) bench_upkeep
	$(BENCH_ENV) $(MANAGE) bench_family_plans
	$(BENCH_ENV) $(MANAGE) bench_involvement
	$(BENCH_ENV) $(MANAGE) bench_audit
	$(BENCH_ENV) $(MANAGE) bench_dialogues --country
	$(BENCH_ENV) $(MANAGE) bench_knowledge
	$(BENCH_ENV) $(MANAGE) bench_outcomes

## The same benchmarks on small data, to see that they run (figures are not the targets' scale)
bench-quick: install-dev
	rm -f $(BENCH_DB) $(BENCH_DB)-wal $(BENCH_DB)-shm
	$(BENCH_ENV) $(MANAGE) migrate --no-input -v0
	$(BENCH_ENV) $(MANAGE) bench_directory --services 5000
	$(BENCH_ENV) $(MANAGE) bench_upkeep --services 5000 --samples 20
	$(BENCH_ENV) $(MANAGE) bench_family_plans
	$(BENCH_ENV) $(MANAGE) bench_involvement --signals 100000
	$(BENCH_ENV) $(MANAGE) bench_audit --seconds 2 --rounds 1 --plans 50
	$(BENCH_ENV) $(MANAGE) bench_dialogues --regions 3 --years 2 --tables 5
	$(BENCH_ENV) $(MANAGE) bench_knowledge --practices 1000 --reports 5000 --updates 50000 --networks 100
	$(BENCH_ENV) $(MANAGE) bench_outcomes --signals 200000 --plans 40000 --years 3 --seconds 4

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

## Refresh the committed OpenAPI snapshot after an intended API change
openapi: install-dev
	$(PY) -c "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rits.settings'); os.environ.setdefault('DEBUG', '1'); django.setup(); from rits.api import api; open('rits/tests/openapi.json', 'w').write(json.dumps(api.get_openapi_schema(path_prefix='/api/v1/'), indent=2, ensure_ascii=False, sort_keys=True) + '\n')"
