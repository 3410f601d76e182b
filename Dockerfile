# syntax=docker/dockerfile:1
#
# Production image for the portal. One image serves every role:
#   web     gunicorn portal.wsgi:application (the default CMD)
#   worker  celery -A portal worker
#   beat    celery -A portal beat --schedule /var/lib/portal/beat/celerybeat-schedule
# Configuration comes from the environment; see deploy/production.env.example.
#
# Uses no BuildKit-only syntax, so the classic builder can build it too.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------
# Stage 1: the pinned third-party dependencies, in a virtualenv.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS deps

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /build
# Only the two files that decide the dependencies: this layer stays cached
# until pyproject.toml or requirements.lock changes, not on every code edit.
# The package directories aren't copied yet, so "." builds a metadata-only
# "leerportaal" distribution. That's intended: the code runs from /app (see
# below), not from site-packages.
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock .

# ---------------------------------------------------------------------------
# Stage 2: the runtime image.
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

# The code runs from /app, not from site-packages. Settings derive BASE_DIR from
# their own location, and templates/, static/ and locale/ are next to the
# packages at the repository root. PYTHONPATH makes manage.py, gunicorn and
# celery all import the same copy.
# WEB_CONCURRENCY is gunicorn's default worker count. Roughly 2-4 per CPU core
# given to the container; override at run time.
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    WEB_CONCURRENCY=3

# Unprivileged runtime user. It gets a writable home because gunicorn puts its
# control socket in ~/.gunicorn.
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
        --shell /usr/sbin/nologin portal

COPY --from=deps /opt/venv /opt/venv

WORKDIR /app
# Application code is owned by root, so the runtime user can't modify it.
COPY . .

# Collect static files into /app/staticfiles (whitenoise serves them with
# hashed names). Production settings refuse to load without SECRET_KEY and
# ALLOWED_HOSTS. The dummy values below apply to this RUN only and aren't
# stored in the image. collectstatic doesn't connect to the database or broker.
# Then create the only directories the runtime user writes to: uploaded
# media and celery beat's schedule file.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media /var/lib/portal/beat \
 && chown portal:portal /app/media /var/lib/portal/beat

# Numeric, so Kubernetes' runAsNonRoot can verify it is no root without reading /etc/passwd.
USER 10001:10001

EXPOSE 8000

# /health/ returns 200 only if the database and broker are reachable.
# - Host header: the first ALLOWED_HOSTS entry. Otherwise a request to
#   127.0.0.1 gets a 400 (DisallowedHost) in production. A leading-dot entry
#   becomes its bare domain; "*" becomes localhost.
# - X-Forwarded-Proto: https tells Django the request is already secure, so no
#   SSL redirect can interfere (health/ is exempt from the redirect anyway).
# worker and beat containers don't serve HTTP, so docker-compose.yml gives
# them their own health checks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; q = r.Request('http://127.0.0.1:8000/health/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}); sys.exit(0 if r.urlopen(q, timeout=4).status == 200 else 1)"]

# gunicorn also reads ./gunicorn.conf.py (/app): it sums the Prometheus metrics of all its
# workers for /metrics/.
CMD ["gunicorn", "portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-"]
