"""Two web processes, one portal: two gunicorn processes on two ports with production's
settings (portal.settings.bench: production on plain HTTP), one test database and one Redis
of this module's own, as two replicas behind a load balancer would run.

A session signed in on one works on the other (even half-way through the second factor),
failed logins on both count toward one limit, a mail a request queues on one is sent once by
a Celery worker, and reminders swept by two processes at the same moment go out once.
"""

import os
import re
import secrets
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.db import connection
from django.utils import timezone

from bench import harness
from leergang.models import Enrolment
from portal import appointments
from portal.celery import app
from portal.models import Notification, Role
from portal.tasks import notification_send_task
from tests.factories import (
    PASSWORD,
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    UserFactory,
    totp_code,
)
from tests.worker import RedisServer, free_port, point_celery_at, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOO_MANY = "Te veel inlogpogingen"
HOST = "leerportaal.example"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def environment(django_db_setup, redis_server):
    """What both processes (and the scans) run with: the test database, our Redis."""
    db = connection.settings_dict
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": "two-processes-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        # No connection kept between requests: the test database is emptied between tests.
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_server.url,
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def portals(environment):
    """The addresses of the two gunicorn processes (one sync worker each)."""
    servers, addresses = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(harness.gunicorn_start(port=port, workers=1, environment=environment))
            addresses.append(f"http://127.0.0.1:{port}")
        yield addresses
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _person(*roles):
    """A person whose password the processes accept: production's PBKDF2 (the test settings
    hash with MD5, which production does not read), with few iterations so that a wrong
    password costs no half second; a right one is re-hashed with the full count."""
    user = UserFactory(roles=list(roles))
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def _token(session, url) -> str:
    return CSRF_TOKEN.search(session.get(url).text).group(1)


def _sign_in(session, base, email, password=PASSWORD):
    return session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": _token(session, f"{base}/accounts/login/"),
            "login": email,
            "password": password,
        },
        allow_redirects=False,
    )


@contextmanager
def portal_worker(url: str):
    """A Celery worker in this process on the processes' Redis, taking the queue they publish
    to (two tasks at a time); mail goes to ``mail.outbox``."""
    app.conf.task_always_eager = False
    app.conf.result_backend = None
    point_celery_at(url)
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            shutdown_timeout=10,
            queues=[settings.CELERY_TASK_DEFAULT_QUEUE],
        ):
            yield
    finally:
        app.conf.task_always_eager = True
        point_celery_at(settings.CELERY_BROKER_URL)


def test_a_session_signed_in_on_one_process_works_on_the_other(portals):
    a, b = portals
    participant = _person(Role.DEELNEMER)
    browser = requests.Session()
    assert _sign_in(browser, a, participant.email).status_code == 302
    home = browser.get(f"{b}/", allow_redirects=False)
    assert home.status_code == 200 and participant.first_name in home.text
    # Signed out on B is signed out on A.
    browser.post(f"{b}/accounts/logout/", data={"csrfmiddlewaretoken": _token(browser, f"{b}/")})
    assert browser.get(f"{a}/", allow_redirects=False).status_code == 302

    # Staff: the password on A, the code on B (allauth keeps the half-done sign-in in the
    # session).
    trainer = _person(Role.TRAINER)
    staff = requests.Session()
    asked = _sign_in(staff, a, trainer.email)
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/2fa/authenticate/")
    code_page = f"{b}{asked.headers['Location']}"
    signed_in = staff.post(
        code_page,
        data={"csrfmiddlewaretoken": _token(staff, code_page), "code": totp_code()},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302
    assert staff.get(f"{a}/", allow_redirects=False).status_code == 200


def _behind_the_balancer() -> requests.Session:
    """A browser that reaches both processes by the portal's one name, as through the load
    balancer (allauth counts failed logins per site and address: the host is part of it)."""
    browser = requests.Session()
    browser.headers["Host"] = HOST
    return browser


def test_failed_logins_on_both_processes_count_toward_one_limit(portals):
    a, b = portals
    participant = _person(Role.DEELNEMER)
    attacker = _behind_the_balancer()
    # Five wrong passwords (the limit per account), three on A and two on B: each process
    # alone has seen fewer than five.
    for base in (a, b, a, b, a):
        refused = _sign_in(attacker, base, participant.email, "fout-wachtwoord")
        assert refused.status_code == 200 and TOO_MANY not in refused.text
    # Now even the right password is refused, on either.
    for base in (b, a):
        blocked = _sign_in(_behind_the_balancer(), base, participant.email)
        assert blocked.status_code == 200 and TOO_MANY in blocked.text


def test_a_mail_queued_by_a_request_on_one_process_is_sent_once(portals, redis_server, daytime):
    a, b = portals
    cohort = CohortFactory(seats=5)
    participant = _person(Role.DEELNEMER)
    mail.outbox.clear()
    browser = requests.Session()
    _sign_in(browser, a, participant.email)
    enrol = f"{a}/uitvoeringen/{cohort.pk}/inschrijven/"
    with portal_worker(redis_server.url):
        sent = browser.post(enrol, data={"csrfmiddlewaretoken": _token(browser, enrol)})
        assert sent.status_code == 200 and sent.url.startswith(f"{a}/inschrijvingen/")
        enrolment = Enrolment.objects.get(cohort=cohort, participant=participant)
        assert enrolment.state == Enrolment.State.ENROLLED
        row = Notification.objects.get(recipient=participant, kind="enrolment_enrolled")
        assert wait_until(lambda: len(mail.outbox) == 1)
        # The task again, as a retry or the sweep on another machine would: nothing more.
        notification_send_task.delay(row.pk)
        notification_send_task.delay(row.pk)
        assert wait_until(lambda: _idle(redis_server))
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.attempts == 1
    assert [m.to for m in mail.outbox] == [[participant.email]]
    # B shows the enrolment that A made (one database behind both).
    assert f"/inschrijvingen/{enrolment.pk}/" in browser.get(f"{b}/mijn-leergang/").text


def _idle(redis_server) -> bool:
    """No task waits in the queue and the worker holds none."""
    import redis

    client = redis.Redis(port=redis_server.port)
    try:
        waiting = client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    finally:
        client.close()
    return not waiting and not worker_state.active_requests and not worker_state.reserved_requests


SCAN = """
import sys
from datetime import datetime

import django

django.setup()
from django.db import connection

from portal.reminders import reminders_scan

connection.ensure_connection()
print("ready", flush=True)
sys.stdin.readline()
print(reminders_scan(now=datetime.fromisoformat(sys.argv[1])).written, flush=True)
"""


def test_reminders_swept_by_two_processes_at_the_same_moment_go_out_once(
    environment, redis_server, daytime
):
    moment = timezone.now()
    trainer = UserFactory(roles=[Role.TRAINER])
    cohort = CohortFactory(trainers=[trainer])
    participant = EnrolmentFactory(cohort=cohort).participant
    BijeenkomstFactory(
        cohort=cohort,
        starts_at=moment + timedelta(hours=47),
        ends_at=moment + timedelta(hours=50),
    )
    Notification.objects.all().delete()  # the invitations when it was planned
    mail.outbox.clear()
    scans = [
        subprocess.Popen(
            [sys.executable, "-c", SCAN, moment.isoformat()],
            cwd=ROOT,
            env={**os.environ, **environment},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    with portal_worker(redis_server.url):
        for scan in scans:
            assert scan.stdout.readline().strip() == "ready"
        for scan in scans:  # both waiting: released together
            scan.stdin.write("go\n")
            scan.stdin.flush()
        written = [int(scan.communicate(timeout=30)[0].strip()) for scan in scans]
        assert wait_until(lambda: len(mail.outbox) >= 2 and _idle(redis_server))
    assert sum(written) == 2, written
    rows = Notification.objects.filter(kind=appointments.REMINDER)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [participant.pk, trainer.pk]
    )
    assert set(rows.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, trainer.email])
