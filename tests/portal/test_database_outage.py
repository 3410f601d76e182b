"""PostgreSQL goes away and comes back: /health/ and the pages answer 503 at once in between
(a Dutch page, no traceback), and the same gunicorn processes serve again afterwards.

The outage test runs the portal as production does (gunicorn, persistent connections:
CONN_MAX_AGE > 0, CONN_HEALTH_CHECKS at its default) against a PostgreSQL cluster of its
own, which it stops and starts; the shared server is never touched."""

import re
import threading
import time

import psycopg
import pytest
import requests
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

import portal.errors
from tests.factories import PASSWORD, PERSONAS
from tests.servers import (
    Gunicorn,
    PostgresCluster,
    manage,
    portal_environment,
    seconds_of,
)
from tests.worker import RedisServer, wait_until

DUTCH_503 = "Het portaal is even niet bereikbaar"
# The bound of one answer while the database is away: refused at once, not a hang.
ANSWER_WITHIN = 2.0
# A signed-in page: the session, the person and their data are read from the database.
PAGE = "/profiel/"

# --- In the test process: which error gets which page ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_page_while_the_database_is_away_is_a_dutch_503_with_retry_after(
    participant, monkeypatch
):
    client = Client(raise_request_exception=False)
    client.force_login(participant)
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # nobody listens there
    try:
        response = client.get(reverse("portal:home"))
    finally:
        connection.close()
    assert response.status_code == 503
    assert response["Retry-After"] == str(portal.errors.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert DUTCH_503 in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_any_other_error_is_still_the_500_page(rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = portal.errors.server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert not response.has_header("Retry-After")


def test_a_lost_connection_counts_as_the_database_away(rf):
    request = rf.get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = portal.errors.server_error(request)
    assert response.status_code == 503


def test_persistent_connections_are_checked_before_they_are_used():
    """Production's default: a connection kept from before a restart is replaced, not used."""
    import importlib

    base = importlib.import_module("portal.settings.base")
    assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert (
        base.postgresql_session({"ENGINE": "django.db.backends.postgresql"})["OPTIONS"][
            "connect_timeout"
        ]
        == 5
    )


# --- A real PostgreSQL, stopped and started under a running gunicorn -------------------


class Browser:
    """A signed-in visitor over HTTP. The cookies are kept by hand: production marks them
    Secure, and requests sends no Secure cookie over the loopback's plain HTTP."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method,
            self.base + path,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=15,
            **kwargs,
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def sign_in(self, email: str, password: str) -> None:
        form = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = self.request(
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302, answer.text[:500]


@pytest.fixture
def cluster():
    server = PostgresCluster()
    try:
        server.create()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _at_once(call, count: int) -> list:
    """``count`` calls at the same moment: each gunicorn worker takes some."""
    results = [None] * count

    def run(index):
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.worker
def test_the_portal_recovers_from_a_postgresql_restart_without_a_restart_of_its_own(
    cluster, own_redis, tmp_path
):
    with psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True
    ) as admin:
        admin.execute("CREATE DATABASE leerportaal")
    environment = portal_environment(
        DATABASE_URL=cluster.url("leerportaal"),
        REDIS_URL=own_redis.url,
        CONN_MAX_AGE="60",  # as deploy/production.env.example
    )
    manage(environment, "migrate", "--noinput")
    participant = PERSONAS["participant"]
    manage(
        environment,
        "shell",
        "-c",
        "from tests.factories import make_persona; make_persona('participant')",
    )
    web = Gunicorn(environment, tmp_path, workers=2)
    web.start()
    try:
        master, workers = web.process.pid, web.worker_pids()
        visitor = Browser(web.base)

        def probe():  # as a load balancer asks: no cookies
            return requests.get(f"{web.base}/health/", timeout=15)

        visitor.sign_in(participant.email, PASSWORD)
        assert visitor.request("GET", PAGE).status_code == 200
        # Every worker holds a connection to the database now.
        assert {r.status_code for r in _at_once(lambda: visitor.request("GET", PAGE), 8)} == {200}
        health, seconds_up = seconds_of(probe)
        assert health.status_code == 200

        cluster.stop()
        health, seconds_to_503 = seconds_of(probe)
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": "down", "broker": "up"}
        page, seconds_page_down = seconds_of(lambda: visitor.request("GET", PAGE))
        assert page.status_code == 503, page.text[:500]
        assert page.headers["Retry-After"] == "30"
        assert DUTCH_503 in page.text
        assert "Traceback" not in page.text and "Error" not in page.text
        # Every worker answers so, not only the one that was asked first.
        down = _at_once(lambda: visitor.request("GET", PAGE), 8)
        assert {r.status_code for r in down} == {503}
        # What went wrong is for the operators, in the log.
        assert wait_until(lambda: "OperationalError" in web.log(), 5)

        stopped_at = time.monotonic()
        cluster.start()
        assert wait_until(lambda: probe().status_code == 200, 30)
        seconds_to_recover = time.monotonic() - stopped_at
        # The session was in the database all along: still signed in, same processes.
        page = visitor.request("GET", PAGE)
        assert page.status_code == 200 and 'action="/accounts/logout/"' in page.text

        # A restart that no request noticed: every worker's kept connection is stale, and
        # the health check on it replaces it before the first query. No request fails.
        assert {r.status_code for r in _at_once(lambda: visitor.request("GET", PAGE), 8)} == {200}
        cluster.stop()
        cluster.start()
        after = [visitor.request("GET", PAGE) for _ in range(8)]
        after += _at_once(lambda: visitor.request("GET", PAGE), 8)
        assert [r.status_code for r in after] == [200] * 16

        assert (web.process.pid, web.worker_pids()) == (master, workers)
        print(
            f"\n/health/ {seconds_up:.3f} s up; with PostgreSQL stopped: /health/ 503 in "
            f"{seconds_to_503:.3f} s, a signed-in page 503 in {seconds_page_down:.3f} s; "
            f"/health/ 200 again {seconds_to_recover:.2f} s after PostgreSQL was started"
        )
        assert seconds_to_503 < ANSWER_WITHIN
        assert seconds_page_down < ANSWER_WITHIN
    except BaseException:
        print(web.log())
        raise
    finally:
        web.stop()
