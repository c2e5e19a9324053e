# Clusters Cord CMS. Two commands for a newcomer: `make run` and `make test`.
# Everything installs into .venv from PyPI; nothing but Python 3.11, pip and make is assumed
# (`make test` adds curl, jq and GNU gettext from Debian when missing: see test-tools).
# `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install messages migrate demo run worker test lint format check ci eval-search bench-search bench-api bench-api-ab opensearch-start opensearch-stop clean package-check

## The virtualenv .venv with the project and its dev tools (again when pyproject.toml changes).
install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

## Compile locale/*/LC_MESSAGES/django.po into .mo files, then locale/_wagtail/*/ (Wagtail
## admin strings Wagtail leaves untranslated; see its README). Babel compiles: no GNU gettext
## needed here (`make test` needs it, for makemessages: see test-tools).
messages: install
	$(BIN)/pybabel compile --domain django --directory locale --statistics
	$(BIN)/pybabel compile --domain django --directory locale/_wagtail --statistics
	$(BIN)/pybabel compile --domain djangojs --directory locale/_wagtail --statistics

## Create or update the database (SQLite in var/ unless DATABASE_URL says otherwise).
migrate: install
	mkdir -p var
	$(MANAGE) migrate --noinput

# The admin URL demo_admin prints (and the webhooks' fallback root) on the port `make run`
# serves, unless WAGTAILADMIN_BASE_URL is set.
demo run: export WAGTAILADMIN_BASE_URL ?= http://localhost:$(PORT)

## Sites, groups and the demo content for all seven countries; idempotent.
demo: migrate messages
	$(MANAGE) load_demo_content
	$(MANAGE) demo_admin

## Bring up the demo on http://localhost:$(PORT)/ (SQLite, database search); HOST and PORT
## choose the address (make run PORT=8101), and the printed admin URL follows PORT.
run: demo
	$(MANAGE) sync_sites --port $(PORT)  # links from one site to another carry PORT
	@echo "Country sites: http://cz.localhost:$(PORT)/ (also it, de, pl, at, sk, si); hub: http://localhost:$(PORT)/"
	$(MANAGE) runserver $(HOST):$(PORT)

## The background-task worker (django-tasks-db), as in production; the server must enqueue
## into the database too: TASKS_BACKEND=database make run (README: Running in production).
worker: migrate
	TASKS_BACKEND=database $(MANAGE) db_worker

## The test suite (SQLite unless DATABASE_URL points elsewhere). pytest exits non-zero on zero tests.
## TEST_WORKERS processes share it out (pytest-xdist; default one per core, 0 = this process only),
## in the order a one-process run has (pytest-django's: tests that commit, and flush, come last).
## Not --dist loadfile: it runs a file's committing tests before other files' tests.
TEST_WORKERS ?= auto
test: messages test-tools
	$(BIN)/pytest -n $(TEST_WORKERS)

## curl and jq, which the API guide's examples use (tests/api/test_guide.py runs them), and
## GNU gettext (msguniq, xgettext, msgfmt), which tests/test_translations.py's makemessages
## needs: installed from Debian when missing.
.PHONY: test-tools
test-tools:
	@command -v curl >/dev/null && command -v jq >/dev/null && command -v msguniq >/dev/null \
	  || bash -c 'source .ci/engines.sh && apt_install curl jq gettext'

## The editorial flow and the visitor sites (axe-core from npm) in real headless Chromium (Debian's
## chromium, Playwright); its own pytest session. Screenshots: test-artifacts/browser/ and
## test-artifacts/visitor/. Installs chromium (and npm) with apt when missing.
.PHONY: test-browser
test-browser: messages
	bash .ci/browser $(PYTEST_ARGS)

## Lighthouse 12 (npm, .ci/visitor) with Debian's Chromium, mobile profile, on a country home,
## a news item, a listing and the search page, served by gunicorn with the production settings
## (scratch SQLite + demo). Prints the scores; fails below 95 (accessibility, best practices,
## SEO) or 90 (performance). Reports: test-artifacts/lighthouse/.
.PHONY: lighthouse
lighthouse: messages
	bash .ci/lighthouse

## Search relevance (MRR@10, recall@10 per language) on SQLite, PostgreSQL and OpenSearch.
eval-search: install
	bash .ci/eval-search

## Indexing throughput and query latency (100,000 generated items) on SQLite, PostgreSQL and
## OpenSearch; not a test, takes about an hour on 2 cores. E.g. BENCH_ARGS="--items 10000".
bench-search: install
	bash .ci/bench-search $(BENCH_ARGS)

## Delivery API req/s and p50/p99 (gunicorn + wrk; cold, cached, bare Django) -> docs/api-benchmarks.md.
bench-api: install
	bash .ci/bench-api

## CPU per API request of this checkout against BASE (a revision), in lockstep on one database:
## for changes smaller than the machine's noise. E.g. make bench-api-ab BASE=main~3 ROUNDS=40.
bench-api-ab: install
	bash .ci/bench-api-ab $(BASE) $(or $(ROUNDS),40)

## A production-like stack on this machine (issue 13): PostgreSQL, Redis, a three-node
## OpenSearch cluster, two gunicorn app servers behind a load balancer on 127.0.0.1, the
## task worker. `make stop-prod` ends it; `make chaos` runs load and faults against it
## (CHAOS_ARGS="--short" for the CI form).
.PHONY: serve-prod stop-prod chaos
serve-prod: messages
	bash .ci/prod/serve

## End the stack serve-prod started.
stop-prod:
	bash .ci/prod/stop

## Load and faults against serve-prod's stack; CHAOS_ARGS="--short" for the CI form.
chaos: install
	bash .ci/prod/chaos $(CHAOS_ARGS)

## Clients generated from the Delivery API's OpenAPI document (openapi-typescript,
## openapi-python-client; pinned in clients/), each with a consumer type-checked by
## tsc --strict and mypy --strict. LIVE=1: then run both against gunicorn with the demo.
.PHONY: clients-check
clients-check: install
	bash .ci/clients $(if $(LIVE),--live)

## The embedded OpenSearch node for development: then SEARCH_URL=opensearch2://127.0.0.1:9200.
opensearch-start:
	.ci/opensearch/opensearch.sh start

## Stop the node opensearch-start started.
opensearch-stop:
	.ci/opensearch/opensearch.sh stop

## Build the wheel, install it into a throwaway virtualenv, then with the production settings:
## check --deploy, migrate + load the demo into a scratch SQLite, collectstatic, and fetch
## /ready/, /admin/login/ and a Czech visitor page from gunicorn with cms/gunicorn_conf.py.
PKG_TMP ?= /tmp/cms-package-check
package-check: messages
	rm -rf $(PKG_TMP) && mkdir -p $(PKG_TMP)
	$(BIN)/pip wheel . --no-deps --quiet --wheel-dir $(PKG_TMP)/dist
	$(PYTHON) -m venv $(PKG_TMP)/venv
	$(PKG_TMP)/venv/bin/pip install --quiet $(PKG_TMP)/dist/*.whl
	set -e; cd $(PKG_TMP); export DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=package-check-$$$$-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  ALLOWED_HOSTS=.localhost,localhost,127.0.0.1 DATABASE_URL=sqlite:///$(PKG_TMP)/db.sqlite3 \
	  MEDIA_ROOT=$(PKG_TMP)/media STATIC_ROOT=$(PKG_TMP)/static TASKS_BACKEND=database \
	  WAGTAILADMIN_BASE_URL=https://admin.example.org TRUSTED_PROXIES=127.0.0.1; \
	  venv/bin/django-admin check --deploy --fail-level WARNING; \
	  venv/bin/django-admin migrate --noinput >/dev/null; venv/bin/django-admin load_demo_content >/dev/null; \
	  venv/bin/django-admin collectstatic --noinput >/dev/null; \
	  SECURE_SSL_REDIRECT=false venv/bin/gunicorn -c python:cms.gunicorn_conf --bind 127.0.0.1:18999 --workers 1 cms.wsgi \
	    > access.log 2> error.log & echo $$! > gunicorn.pid; \
	  for i in $$(seq 60); do curl -fs -o /dev/null http://127.0.0.1:18999/health/ && break; sleep 1; done; \
	  status=0; for url in /ready/ /admin/login/ /cs/ /static/wagtailadmin/css/core.css; do \
	    code=$$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: cz.localhost' http://127.0.0.1:18999$$url); \
	    echo "$$url $$code"; [ "$$code" = 200 ] || status=1; done; \
	  curl -s -H 'Host: cz.localhost' -H 'Accept-Language: cs' http://127.0.0.1:18999/admin/login/ | grep -q 'Přihlásit' || { echo 'no Czech admin: locale missing'; status=1; }; \
	  grep -q '"request_id"' access.log || { echo 'access log is not JSON with request ids'; status=1; }; \
	  kill $$(cat gunicorn.pid); exit $$status

## ruff: the format and the lint rules, changing nothing.
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

## ruff: format the code and fix what its rules can fix.
format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Django's system checks, and no model change without its migration.
check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

## What CI runs (.ci/run): every check and test suite, on every engine; long.
ci:
	bash .ci/run

## Remove .venv, var/ (the database, media), caches and compiled catalogues.
clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
	find locale -name '*.mo' -delete

## This list: each documented target and the first sentence of its comment.
.PHONY: help
help:
	@awk '/^## /{d = d (d ? " " : "") substr($$0, 4); next} /^(\.PHONY|[A-Z_]+ *\?=)/{next} \
	  /^[a-z][a-z-]*:/{if (d) {sub(/\. .*/, ".", d); printf "  %-18s %s\n", substr($$1, 1, index($$1, ":") - 1), d}} \
	  {d = ""}' $(firstword $(MAKEFILE_LIST))
