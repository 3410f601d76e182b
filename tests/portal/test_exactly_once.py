"""At-least-once delivery, exactly-once effect: a real Celery worker against the real Redis.

Each test counts the outbox rows and the mail delivered (``locmem``; the worker runs in a
thread of this process). Retries wait no time here: the pause Celery computes is recorded
(it must be exponential, bounded and jittered) and replaced by zero.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from celery import signals
from django.core import mail
from django.db import connection
from django.utils import timezone

from portal import tasks
from portal.models import Notification
from portal.notifications import MAX_ATTEMPTS, notification_sweep, notify
from portal.reminders import reminders_scan
from tests.portal.conftest import TEST_KIND
from tests.worker import celery_on, idle, wait_until, waiting_messages, workers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONTEXT = {"first_name": "Sanne", "accept_url": "http://x.example/", "expires_at": "1-1"}


@pytest.fixture
def celery_app(settings):
    with celery_on(settings.CELERY_BROKER_URL) as app:
        yield app


@pytest.fixture
def pauses(monkeypatch):
    """The retry pauses Celery computes, recorded; each retry then runs at once."""
    from celery.app import autoretry
    from celery.utils.time import get_exponential_backoff_interval

    asked = []

    def record(*, factor, retries, maximum, full_jitter):
        asked.append((factor, retries, maximum, full_jitter))
        get_exponential_backoff_interval(
            factor=factor, retries=retries, maximum=maximum, full_jitter=full_jitter
        )
        return 0

    monkeypatch.setattr(autoretry, "get_exponential_backoff_interval", record)
    return asked


def test_two_scans_at_the_same_moment_write_and_send_each_reminder_once(
    celery_app, daytime, ops_reminder, participant, trainer, coach, hr
):
    people = [participant, trainer, coach, hr]
    ops_reminder.extend(people)
    moment = timezone.now()
    barrier = threading.Barrier(2)
    results = []

    def scan():
        barrier.wait()
        try:
            results.append(reminders_scan(now=moment))
        finally:
            connection.close()

    with workers(1):
        threads = [threading.Thread(target=scan) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert wait_until(lambda: len(mail.outbox) >= len(people) and idle())
    assert [result.found for result in results] == [4, 4]
    assert sorted(result.written for result in results) in ([0, 4], [1, 3], [2, 2])
    assert sum(result.written for result in results) == 4
    assert Notification.objects.filter(kind=TEST_KIND).count() == 4
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_the_sweep_racing_the_on_commit_task_sends_once(celery_app, participant):
    # Written minutes ago; its on-commit task is on the queue but no worker has taken it,
    # so to the sweep it looks lost: two tasks for one row.
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        notification = notify(participant, "invitation", context=CONTEXT)
    assert notification_sweep() == 1
    assert waiting_messages() == 2
    with workers(2):
        assert wait_until(lambda: mail.outbox and idle())
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[participant.email]]


def test_a_send_retried_after_three_smtp_failures_delivers_once(
    celery_app, participant, failing_smtp, pauses
):
    failing_smtp.failures = 3
    with workers(1):
        notification = notify(participant, "invitation", context=CONTEXT)
        assert wait_until(lambda: mail.outbox and idle())
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 4, "")
    assert failing_smtp.attempts == 4
    assert [m.to for m in mail.outbox] == [[participant.email]]
    # Three retries, each after a pause of up to 1, 2, 4 seconds (random within), at most
    # RETRY_BACKOFF_MAX.
    assert pauses == [(1, n, tasks.RETRY_BACKOFF_MAX, True) for n in range(3)]


def test_after_max_attempts_the_row_is_failed_and_nothing_retries_it(
    celery_app, participant, failing_smtp, pauses
):
    failing_smtp.failures = 1000
    with workers(1):
        notification = notify(participant, "invitation", context=CONTEXT)
        assert wait_until(lambda: Notification.objects.filter(status="failed").exists())
        assert wait_until(idle)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert "simulated" in notification.last_error
    assert failing_smtp.attempts == MAX_ATTEMPTS
    assert len(pauses) == MAX_ATTEMPTS - 1
    assert mail.outbox == []


def test_two_workers_on_one_row_send_one_mail(celery_app, participant, failing_smtp):
    notification = Notification.objects.create(
        recipient=participant, email=participant.email, kind="invitation", context=CONTEXT
    )
    # The first worker's send waits until the other worker has finished its task: both
    # run at once, one of them while the other holds the row.
    failing_smtp.hold = threading.Event()
    finished = []

    def on_finish(sender=None, retval=None, **kwargs):
        finished.append(retval)
        if retval is False:
            failing_smtp.hold.set()

    signals.task_postrun.connect(on_finish, weak=False)
    try:
        with workers(2):
            tasks.notification_send_task.delay(notification.pk)
            tasks.notification_send_task.delay(notification.pk)
            assert wait_until(lambda: len(finished) == 2 and idle())
    finally:
        signals.task_postrun.disconnect(on_finish)
    assert sorted(finished) == [False, True]
    assert failing_smtp.hold.is_set()  # the second finished while the first was sending
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert [m.to for m in mail.outbox] == [[participant.email]]
