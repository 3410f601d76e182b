"""/metrics/: Prometheus metrics, for a scraper that holds METRICS_TOKEN.

Why a path and not a port of its own: every gunicorn worker can answer a scrape with the sum
of all workers (multiprocess mode, see gunicorn.conf.py), and the portal's own figures below
are read from the database at scrape time, which needs Django in the process that answers.
The path is closed unless the settings name a token (404), and refused without it (403);
the token is compared in constant time. What it shows are counts per view name, status and
method (django_prometheus's middleware) and the outbox's backlog: no person, no address,
no path with an id in it.
"""

import hmac
import logging
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from portal.models import Notification

logger = logging.getLogger(__name__)

# The outbox's states that can need an operator: waiting (mail is not going out when this
# grows) and failed (gave up; the programme office can send it again).
OUTBOX_WATCHED = (Notification.Status.QUEUED, Notification.Status.FAILED)


def outbox_metrics():
    """The outbox's backlog, counted at scrape time in one query on its status index."""
    rows = {
        row["status"]: row
        for row in Notification.objects.filter(status__in=OUTBOX_WATCHED)
        .order_by()
        .values("status")
        .annotate(count=Count("id"), oldest=Min("created_at"))
    }
    messages = GaugeMetricFamily(
        "portal_outbox_messages", "Outbox messages per status.", labels=["status"]
    )
    for status in OUTBOX_WATCHED:
        messages.add_metric([status], rows.get(status, {}).get("count", 0))
    yield messages
    oldest = rows.get(Notification.Status.QUEUED, {}).get("oldest")
    yield GaugeMetricFamily(
        "portal_outbox_oldest_waiting_seconds",
        "Age of the oldest message waiting to be sent (0: none waits).",
        value=(timezone.now() - oldest).total_seconds() if oldest else 0,
    )


class _Scrape:
    """What one scrape shows: every process's counts, then the portal's own figures."""

    def collect(self):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            yield from MultiProcessCollector(None).collect()
        else:
            yield from REGISTRY.collect()  # one process: manage.py serve, the tests
        yield from outbox_metrics()


def _bearer_token(request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


@require_GET
@never_cache
def metrics(request):
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404  # metrics are switched off
    given = _bearer_token(request)
    # backslashreplace: a header no encoding can carry (a lone surrogate) is refused, not a 500.
    if not hmac.compare_digest(given.encode(errors="backslashreplace"), expected.encode()):
        logger.warning("Metrics: refused a request without the right token.")
        return HttpResponseForbidden("", content_type="text/plain")
    return HttpResponse(generate_latest(_Scrape()), content_type=CONTENT_TYPE_LATEST)
