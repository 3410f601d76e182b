# The two commands: `make run` (portal on http://127.0.0.1:8000, SQLite, tasks in-process)
# and `make test` (the whole suite against PostgreSQL and Redis).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(BIN)/pip --disable-pip-version-check
TEST_ENV := DJANGO_SETTINGS_MODULE=portal.settings.test

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev services lint format migrations-check deploy-check \
        messages compose-check lock clean html-checker bench bandit loadtest manifests-check

help:
	@echo "make run    install, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   run the whole test suite against PostgreSQL and Redis"
	@echo "make lint   ruff check and format check, bandit"
	@echo "make lock   re-pin requirements.lock after changing pyproject.toml"
	@echo "make bench  the main page of every role at 1x and 10x data (PostgreSQL, wrk; ~15 min)"
	@echo "make loadtest  50 people at once for 2 min on gunicorn, PostgreSQL, Redis, Celery (~6 min)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed.") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -c requirements.lock -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The W3C Nu HTML Checker the browser tests run on every page (needs npm and Java), and the
# identity providers the single sign-on tests start (oidc-provider, samlify; need Node).
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime from the
# internet; Debian's default-jre-headless is used instead.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

html-checker: $(VNU_JAR)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py serve 127.0.0.1:8000

services: install
	@$(PY) scripts/check_services.py

# The suite outside the browser in one process per core (pytest-xdist: each has its own test
# database and Celery queue), then the browser tests in one process: their HTML check
# validates every page they were served at the end of that one run. (Exit status 5: the
# PYTEST_ARGS given hold no test of that half.)
TEST_PROCESSES ?= auto

test: install-dev html-checker services
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_PROCESSES) -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(TEST_ENV) $(BIN)/pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Its own database (BENCH_DATABASE_URL, created when missing; never the one you work in),
# data from `manage.py bench_data`, gunicorn and wrk: see scripts/bench.py. The table goes
# to bench-results.md (git-ignored).
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk (Debian's package): apt-get install wrk"; exit 1; }
	$(PY) scripts/bench.py

# 50 simulated people (Locust, headless, on 127.0.0.1) for 2 minutes on gunicorn with
# PostgreSQL, Redis and a Celery worker: see scripts/loadtest.py. Its own database
# (LOADTEST_DATABASE_URL) and Redis database (LOADTEST_REDIS_URL, emptied); the table goes
# to loadtest-results.md (git-ignored). Not part of make test: it takes about 6 minutes.
loadtest: install-dev
	$(PY) scripts/loadtest.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory bandit

# No medium or high finding in our source that is not justified in place (# nosec BXXX # why).
bandit: install-dev
	$(BIN)/bandit -c pyproject.toml -q -r portal leergang intervisie coaching evaluations hr sso bench scripts -ll

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=ci-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=leerportaal.example $(PY) manage.py check --deploy --fail-level WARNING

# Translations: English message ids, Dutch in locale/nl. The compiled .mo is committed,
# so `make run` needs no gettext; run this after changing texts (needs gettext).
messages: install
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=node_modules
	$(PY) manage.py compilemessages -l nl --ignore=.venv

compose-check:
	docker-compose config -q

# The Kubernetes manifests (deploy/kubernetes): the base and every overlay rendered by
# kubectl's kustomize and validated offline against the schemas of KUBERNETES_VERSION, strict
# (an unknown field fails); then tests/test_kubernetes_manifests.py holds their properties.
# kubectl must be 1.27 or newer (kustomize v5): Debian's kubernetes-client is 1.20, whose
# kustomize v2 cannot read these files, so it is not installed for you.
KUBERNETES_VERSION ?= 1.32.0
MANIFESTS := deploy/kubernetes/base $(sort $(wildcard deploy/kubernetes/overlays/*))

manifests-check: install-dev
	@command -v kubectl >/dev/null || { echo "make manifests-check needs kubectl 1.27 or newer:" \
	  "https://kubernetes.io/docs/tasks/tools/ (Debian's kubernetes-client, 1.20, is too old)." >&2; exit 1; }
	@kubectl version --client -o json | $(PY) -c 'import json, sys; v = json.load(sys.stdin)["clientVersion"]; \
	  sys.exit(0 if int(v["minor"].rstrip("+")) >= 27 else "kubectl " + v["gitVersion"] + " is too old: 1.27 or newer.")'
	@set -e; out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; rendered=0; \
	for dir in $(MANIFESTS); do \
	  file="$$out/$$(echo $$dir | tr / _).yaml"; \
	  kubectl kustomize "$$dir" > "$$file"; \
	  count=$$(grep -c '^kind:' "$$file"); rendered=$$((rendered + count)); \
	  echo "$$dir: $$count objects rendered"; \
	done; \
	$(BIN)/kubernetes-validate --kubernetes-version $(KUBERNETES_VERSION) --strict "$$out"/*.yaml \
	  > "$$out/validation.log" 2>&1 || { grep -v ' passed ' "$$out/validation.log" >&2; exit 1; }; \
	passed=$$(grep -c ' passed ' "$$out/validation.log"); \
	echo "$$passed of $$rendered objects valid for Kubernetes $(KUBERNETES_VERSION) (strict)"; \
	[ "$$passed" -eq "$$rendered" ] || { grep -v ' passed ' "$$out/validation.log" >&2; exit 1; }
	$(TEST_ENV) $(BIN)/pytest -q -p no:cacheprovider tests/test_kubernetes_manifests.py

lock: $(BIN)/python
	$(PIP) install --quiet -e ".[dev]"
	$(PIP) freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .test-media node_modules
