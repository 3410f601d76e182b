"""/health/: can this process reach its database and its broker?"""

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection


def _database() -> tuple[bool, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return False, type(error).__name__
    return True, "ok"


def _broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        return True, "in-process"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return False, type(error).__name__
    return True, "ok"


@never_cache
def health(request):
    database_ok, database_detail = _database()
    broker_ok, broker_detail = _broker()
    healthy = database_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": database_detail,
            "broker": broker_detail,
        },
        status=200 if healthy else 503,
    )
