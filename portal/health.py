"""/health/: can this process reach its database and its broker?

Anyone may ask, so the answer is up or down per component and nothing more; what
went wrong goes to the log, where only the operators read it.
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

logger = logging.getLogger(__name__)


def _database_up() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return False
    return True


def _broker_up() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        return True  # no broker: tasks run in-process
    # Without socket timeouts a Redis that takes the connection and never answers (hung, or
    # a network that drops packets) would hold this request, and the worker serving it, for
    # ever: every probe would take a web worker until none were left.
    timeouts = {"socket_connect_timeout": 1, "socket_timeout": 1}
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, **timeouts}
    try:
        with Connection(
            settings.CELERY_BROKER_URL, connect_timeout=1, transport_options=options
        ) as connection:
            connection.ensure_connection(max_retries=0, timeout=2)
    except Exception:
        logger.warning("Health check: the broker does not answer.", exc_info=True)
        return False
    return True


@never_cache
def health(request):
    if "live" in request.GET:
        # Kubernetes' liveness probe: does this process still answer? A database or broker
        # outage must not make the kubelet restart every web pod (the readiness probe, the
        # full check, takes them out of the Service meanwhile); they recover on their own.
        return JsonResponse({"status": "ok"})
    database_up = _database_up()
    broker_up = _broker_up()
    healthy = database_up and broker_up
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": "up" if database_up else "down",
            "broker": "up" if broker_up else "down",
        },
        status=200 if healthy else 503,
    )
