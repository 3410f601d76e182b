"""`make bench` and `make loadtest`: production's settings on 127.0.0.1, plus the bench's
reference pages.

scripts/bench.py sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL for its own run. Plain
HTTP on the loopback: no redirect to HTTPS and no proxy in front; static files from the
source folders (no collectstatic before a run; the pages measured are HTML only).
"""

import warnings

from .production import *  # noqa: F403
from .production import STORAGES, env

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = None
ALLAUTH_TRUSTED_PROXY_COUNT = 0
# A cookie marked Secure is never sent back over plain http://, by a browser or by Locust
# (`make loadtest` signs in through the login form and sends forms with their CSRF token).
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# `make loadtest` runs a Celery worker that writes its mail into files (EMAIL_BACKEND
# django.core.mail.backends.filebased.EmailBackend) in this folder.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# No collectstatic before a run: WhiteNoise would warn in every worker that STATIC_ROOT is
# missing; the pages measured are HTML only.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
