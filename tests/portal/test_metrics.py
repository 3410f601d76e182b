"""/metrics/: served to the scraper with the token, refused to anyone else, and counting
requests of every gunicorn worker in one sum; /health/ as the kubelet's probe asks it."""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from portal.models import Notification
from tests.worker import free_port, wait_until

REPOSITORY = Path(__file__).resolve().parents[2]
HEALTH_200 = ("django_http_responses_total_by_status_view_method", {"status": "200"})


def sample(text: str, family: str, **labels) -> float:
    """The value of the sample of ``family`` with these labels (0 when there is none)."""
    for metric in text_string_to_metric_families(text):
        if metric.name == family:
            for found in metric.samples:
                if all(found.labels.get(k) == v for k, v in labels.items()):
                    return found.value
    return 0.0


def scrape(client, token=None):
    headers = {"Authorization": f"Bearer {token or django_settings.METRICS_TOKEN}"}
    return client.get(reverse("metrics"), headers=headers)


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_in_the_settings(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer verkeerd",
        "Basic dGVzdDp0ZXN0",
        "Bearer \ud800",
        "Bearer " + "x" * 10_000,
    ],
)
def test_metrics_are_refused_without_the_right_token(client, authorization, caplog):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get(reverse("metrics"), headers=headers)
    assert response.status_code == 403
    assert b"django_http" not in response.content
    assert "refused a request without the right token" in caplog.text


@pytest.mark.django_db
def test_a_signed_in_programme_office_still_needs_the_token(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("metrics")).status_code == 403


@pytest.mark.django_db
def test_metrics_count_requests_per_view_and_status(client):
    before = scrape(client)
    assert before.status_code == 200
    assert before["Content-Type"].startswith("text/plain; version=")
    for _ in range(3):
        assert client.get(reverse("health")).status_code == 200
    after = scrape(client).content.decode()
    family, labels = HEALTH_200
    counted = sample(after, family, view="health", method="GET", **labels)
    assert counted - sample(before.content.decode(), family, view="health", **labels) == 3


@pytest.mark.django_db
def test_outbox_backlog_is_counted_at_scrape_time(client):
    now = timezone.now()
    for minutes in (5, 90):
        Notification.objects.create(
            email="jan.jansen@utrecht.example",
            kind="enrolment_enrolled",
            created_at=now - timedelta(minutes=minutes),
        )
    Notification.objects.create(email="a@utrecht.example", kind="x", status="failed")
    Notification.objects.create(email="b@utrecht.example", kind="x", status="sent")
    text = scrape(client).content.decode()
    assert sample(text, "portal_outbox_messages", status="queued") == 2
    assert sample(text, "portal_outbox_messages", status="failed") == 1
    assert 90 * 60 <= sample(text, "portal_outbox_oldest_waiting_seconds") < 91 * 60
    Notification.objects.all().delete()
    text = scrape(client).content.decode()
    assert sample(text, "portal_outbox_messages", status="queued") == 0
    assert sample(text, "portal_outbox_oldest_waiting_seconds") == 0


@pytest.mark.django_db
def test_metrics_show_no_person_and_no_id_from_a_path(client, participant):
    Notification.objects.create(email=participant.email, kind="enrolment_enrolled")
    client.force_login(participant)
    client.get(reverse("portal:invitation-import-detail", args=[987654]))
    client.logout()
    text = scrape(client).content.decode()
    assert participant.email not in text
    assert "987654" not in text
    assert 'view="portal:invitation-import-detail"' in text


# --- Under gunicorn, with the production settings, as Kubernetes asks -------------------------


def _database_url() -> str:
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


@pytest.fixture
def gunicorn_pod(tmp_path):
    """The web container of deploy/kubernetes: gunicorn with gunicorn.conf.py and two
    workers, production settings, POD_IP from the downward API, its metrics directory."""
    port = free_port()
    metrics_dir = tmp_path / "prometheus"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "gunicorn-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "leerportaal.example.nl",
        "POD_IP": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "METRICS_TOKEN": "scrape-token-of-this-test",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
        + ["--config", str(REPOSITORY / "gunicorn.conf.py"), "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--no-control-socket", "--timeout", "20"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return http_get(base + "/health/")[0] == 200
        except OSError:
            return False

    try:
        if not wait_until(answers, timeout=30):
            process.terminate()
            pytest.fail(f"gunicorn did not answer: {process.communicate(timeout=10)[1][-3000:]}")
        yield base, metrics_dir, environment["METRICS_TOKEN"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def http_get(url, headers=None):
    """GET as the kubelet and Prometheus do: plain http to the pod's address, no proxy."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


@pytest.mark.django_db(transaction=True)
def test_probe_and_scrape_pass_under_production_settings_and_count_every_worker(gunicorn_pod):
    base, metrics_dir, token = gunicorn_pod
    # The kubelet's probe: Host is the pod's address and port, http, no X-Forwarded-Proto.
    # Neither ALLOWED_HOSTS (400) nor the https redirect (301) may stand in its way.
    healthy = '{"status": "ok", "database": "up", "broker": "up"}'
    assert http_get(base + "/health/") == (200, healthy)
    assert http_get(base + "/health/?live") == (200, '{"status": "ok"}')
    bearer = {"Authorization": f"Bearer {token}"}
    assert http_get(base + "/metrics/")[0] == 403
    status, before = http_get(base + "/metrics/", bearer)
    assert status == 200
    family, labels = HEALTH_200
    counted_before = sample(before, family, view="health", **labels)

    # A sync worker serves one connection at a time: a request whose headers have not ended
    # holds the worker that took it, so the five after it go to the other one.
    held = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10)
    held.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    for _ in range(5):
        assert http_get(base + "/health/")[0] == 200
    held.sendall(b"Connection: close\r\n\r\n")
    assert held.makefile("rb").readline().startswith(b"HTTP/1.1 200")
    held.close()

    # Both workers counted, and whichever answers the scrape adds up both.
    assert len({path.name.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}) >= 2
    for _ in range(4):
        status, after = http_get(base + "/metrics/", bearer)
        assert status == 200
        assert sample(after, family, view="health", **labels) - counted_before == 6
