"""The test suite: PostgreSQL and Redis, as in production."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": postgresql_session(  # noqa: F405
        {
            **env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/leerportaal"),
            **DATABASE_OPTIONS,  # noqa: F405
        }
    ),
}
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/14")
CELERY_BROKER_URL = REDIS_URL
# Most tests run tasks inline; the worker tests switch this off and start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fallback": FALLBACK_CACHE,  # noqa: F405
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# /metrics/ is on in the tests (tests/portal/test_metrics.py sends this token).
METRICS_TOKEN = "test-metrics-token-not-for-production"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Serve static files from the source folders: no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
