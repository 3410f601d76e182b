"""Settings, read from the environment.

Defaults are for a developer's laptop (`make run`): SQLite, no broker (tasks run
in-process) and e-mail printed to the console. Production tightens these in
`portal.settings.production`; the test suite uses `portal.settings.test`.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_levels
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Used to build absolute links in e-mails, which are rendered outside a request.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth's pages of security keys say "3 days ago" with it.
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_filters",
    "portal",
    "leergang",
    "intervisie",
    "coaching",
    "evaluations",
    "hr",
    "sso",
    "bench",
]

MIDDLEWARE = [
    # First and last: Prometheus counts every request and its time (portal.metrics). Only
    # the middleware; django_prometheus's database and cache wrappers are left out.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the messages: an ended session says why on the login page.
    "portal.sessions.SessionExpiryMiddleware",
    "portal.mfa.RequireTwoFactorMiddleware",
    "portal.audit.AuditMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation_menu",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Every choice field of a model iterates its queryset with .iterator(), which on PostgreSQL
# is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a list of ten
# modules, on every list page's filter. The portal's largest iterations (reminders, the
# people export) read a few thousand rows; read at once they fit in memory easily. (It is
# also what a transaction-pooling PgBouncer in front of the database would require.)
DATABASE_OPTIONS = {"ATOMIC_REQUESTS": False, "DISABLE_SERVER_SIDE_CURSORS": True}
DATABASES["default"].update(DATABASE_OPTIONS)


def postgresql_session(database: dict) -> dict:
    """PostgreSQL without its JIT compiler: a report query over a few thousand rows (the
    people export, HR's figures) is costed high enough to be compiled, and compiling took
    1.6 s of the export's 1.9 s where running it took 0.2 s. The portal's queries are short;
    none gains from JIT."""
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        # libpq waits for an unreachable database host as long as TCP does (minutes): a
        # request, or /health/, gives up after this many seconds and answers 503.
        options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    return database


postgresql_session(DATABASES["default"])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is tested (a cheap round trip) before the first query of each request and
# replaced when PostgreSQL has restarted or dropped it, so a restart of the database costs
# no request an error once it is back, and the web processes need no restart of their own.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves as Celery broker and as cache (allauth's login rate limits need a
# cache shared by all web processes). Without it, tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged when it has finished, so one a worker dies in is done by another;
# each task is harmless to run twice (the outbox row's claim, the import's cursor).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands a task that is not acknowledged after this long to another worker. It
    # must outlast the longest task (a reminder scan over 50,000 rows, a slow SMTP server:
    # minutes) and the longest retry pause (portal.tasks.RETRY_BACKOFF_MAX): a task waiting
    # for its countdown is not acknowledged either, and would otherwise run twice.
    "visibility_timeout": 60 * 60,
    # A broker that is down or unreachable must not hang a request: queuing fails within
    # a second or so and the work waits in the database for the sweep (portal.queueing).
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    # One quick retry covers a pooled connection Redis closed on a restart.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_TASK_DEFAULT_QUEUE = "portal"
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "portal.tasks.notification_sweep_task",
        "schedule": 300.0,
    },
    "reminders-scan": {
        "task": "portal.tasks.reminders_scan_task",
        "schedule": env.float("REMINDERS_SCAN_SECONDS", default=180.0),
    },
    "invitation-imports-sweep": {
        "task": "portal.tasks.invitation_import_sweep_task",
        "schedule": 300.0,
    },
    "audit-purge": {"task": "portal.tasks.audit_purge_task", "schedule": 24 * 60 * 60.0},
    "retention-apply": {
        "task": "leergang.tasks.retention_apply_task",
        "schedule": 24 * 60 * 60.0,
    },
    # Seats offered from a waiting list (leergang.offers): lapsed ones passed on, and the
    # reminder before one lapses.
    "offers-expire": {
        "task": "leergang.tasks.offers_expire_task",
        "schedule": env.float("OFFERS_SCAN_SECONDS", default=120.0),
    },
    "offer-reminders": {
        "task": "leergang.tasks.offer_reminders_task",
        "schedule": env.float("OFFERS_SCAN_SECONDS", default=120.0),
    },
}

# When Redis does not answer, the cache falls back to a table in the database
# (portal.cache), so logins and password resets keep working with their limits.
FALLBACK_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache_fallback",
    # Django's default of 300 entries would cull rate-limit counts under load.
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
REDIS_CACHE_OPTIONS = {
    "fallback": "fallback",
    "retry_after": 30,
    # Fail fast when Redis's host is unreachable or hangs instead of hanging a login.
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisWithFallbackCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "fallback": FALLBACK_CACHE,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fallback": FALLBACK_CACHE,
    }
# Sessions live in the database, never in the cache: a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Ours for its Dutch message (Django 5.2's catalogue misses it).
        "NAME": "portal.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# allauth: e-mail is the login; nobody signs up on their own (people are invited).
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Leerportaal] "
# Whole departments sign in from one address (a municipality's network, a classroom
# at 9:00), so failed logins are limited strictly per account and generously per
# address: one person's typos never lock out their colleagues.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "50/5m/ip,5/5m/key",
    "login": "200/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# A reset asked for an unknown address sends nothing: no portal-branded mail to
# whatever address a stranger types in. The page says the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# How many proxies in front of the portal append to X-Forwarded-For. 0: use the
# connection's address (nothing in front, or a client could fake its address).
# Rate limits per address count the forwarded client address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Single sign-on per organisation (sso/): allauth's social accounts, with an app per active
# sso.IdentityProvider row built by the adapter (no SocialApp rows, no secret in the
# database). The adapter decides linking and new accounts itself: by a verified address of
# the organisation's own domains only, never across organisations; so allauth's own
# linking by e-mail is off and its signup form (where one could type any address) is closed.
SOCIALACCOUNT_ADAPTER = "sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# The sign-in buttons POST (with the CSRF token); a GET shows allauth's confirmation page.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# Two factors (allauth.mfa): required for staff by portal.mfa.RequireTwoFactorMiddleware.
# Wrong codes count as failed logins (ACCOUNT_RATE_LIMITS["login_failed"]: per account
# and per address, in the shared cache); a TOTP code is accepted once.
MFA_ADAPTER = "portal.mfa.MFAAdapter"
MFA_FORMS = {
    "add_webauthn": "portal.mfa_forms.AddSecurityKeyForm",
    "edit_webauthn": "portal.mfa_forms.EditSecurityKeyForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Leerportaal"
# A code typed in the last second of its 30 reaches the server in the next: one step either
# way is accepted (RFC 6238, 5.2). A used code is still refused for the whole window.
MFA_TOTP_TOLERANCE = 1
# Security keys need https, except on the developer's own http://127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Sessions (portal.sessions): staff end after 30 minutes idle and 12 hours in all (BIO);
# a participant's after a working day without a request.
SESSION_IDLE_MINUTES_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=30)
SESSION_MAX_HOURS_STAFF = env.int("SESSION_MAX_HOURS_STAFF", default=12)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=9 * 60)
# The sessions list is kept by portal.sessions (a write a minute, not one a request).
USERSESSIONS_TRACK_ACTIVITY = False

# Reminders (portal.reminders). Hours before an appointment (a bijeenkomst, intervisie or
# coaching session) that a reminder goes; the first carries the calendar file.
REMINDER_APPOINTMENT_HOURS_BEFORE = (48, 2)
# A coaching session: a nudge to prepare, this many hours before.
REMINDER_COACHING_PREPARE_HOURS_BEFORE = 48
# A reflection still open this many days after its module's bijeenkomst, then again a
# week later, at most REMINDER_REFLECTION_MAX times.
REMINDER_REFLECTION_DAYS_AFTER = 7
REMINDER_REFLECTION_INTERVAL_DAYS = 7
REMINDER_REFLECTION_MAX = 2
# No reminder goes from 22:00 until 07:00 (TIME_ZONE); it waits for the morning.
REMINDER_QUIET_HOURS = (22, 7)
# A seat offered from a waiting list: the reminder goes when a quarter of the time to
# confirm is left, and at most this many hours before the offer lapses.
OFFER_REMINDER_HOURS = 12
# Evaluations (evaluations/). Who is invited: after a held bijeenkomst, at the end of a
# leergang or a coaching trajectory, when that happened at most this many days ago (older
# ones, from before the portal asked, are left alone). The link works this many days;
# at most EVALUATION_REMINDER_MAX reminders, EVALUATION_REMINDER_INTERVAL_DAYS apart.
EVALUATION_INVITE_WITHIN_DAYS = 14
EVALUATION_VALID_DAYS = 28
EVALUATION_REMINDER_INTERVAL_DAYS = 7
EVALUATION_REMINDER_MAX = 2
# How many must have answered before results are shown: to the trainer (with the
# comments), to HR (averages of its own people), and to a coach (over their trajectories).
EVALUATION_TRAINER_MIN = 3
EVALUATION_HR_MIN = 5
EVALUATION_COACH_MIN = 5
# Uploads: an invitation list (CSV) and a module's material file. Larger files, and a list
# of more people, are refused with a message on the form.
INVITATION_CSV_MAX_BYTES = env.int("INVITATION_CSV_MAX_BYTES", default=512 * 1024)
INVITATION_CSV_MAX_ROWS = env.int("INVITATION_CSV_MAX_ROWS", default=1000)
MATERIAL_MAX_BYTES = env.int("MATERIAL_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Leerportaal <noreply@leerportaal.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy: only our own origin; no inline script or style.
# Bootstrap draws a few icons (select arrow, menu button) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page of the portal uses, switched off for every page (and anything
# that might get injected into one). portal.middleware.SecurityHeadersMiddleware.
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # The audit trail as one JSON object a line, for a log collector to index.
        "audit_json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": {"class": "logging.StreamHandler", "formatter": "audit_json"},
    },
    "loggers": {"portal.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# Prometheus metrics at /metrics/ (portal.metrics) for a scraper sending this token as
# "Authorization: Bearer <token>". Empty: the path answers 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# How long the audit trail keeps a record (portal.audit.purge, daily).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=2 * 365)
# Retention (leergang/retention.py): a cohort's personal content goes this many months after
# it ends; the programme office may postpone one, at most this many months further.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=12)
RETENTION_POSTPONE_MAX_MONTHS = env.int("RETENTION_POSTPONE_MAX_MONTHS", default=12)
# The interest list (leergang/interest.py): a cohort that opens is kept this many days for
# the people who registered interest in its leergang before everyone may enrol.
INTEREST_PRIORITY_DAYS = env.int("INTEREST_PRIORITY_DAYS", default=14)

# Bootstrap's alert classes for Django's message levels (base.html shows ``message.tags``).
MESSAGE_TAGS = {
    message_levels.DEBUG: "alert-secondary",
    message_levels.INFO: "alert-info",
    message_levels.SUCCESS: "alert-success",
    message_levels.WARNING: "alert-warning",
    message_levels.ERROR: "alert-danger",
}
