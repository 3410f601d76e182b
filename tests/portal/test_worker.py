"""The real thing: a Celery worker consuming from Redis sends the outbox row."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from portal.celery import app
from portal.models import Notification
from portal.notifications import notify
from tests.worker import QUEUE

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker(settings):
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.result_backend = None
    app.conf.task_default_queue = QUEUE
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        shutdown_timeout=10,
        queues=[QUEUE],
    ) as worker:
        yield worker
    app.conf.task_always_eager = True


def test_worker_sends_the_notification_after_commit(celery_worker, participant):
    notification = notify(
        participant,
        "invitation",
        context={
            "first_name": "Sanne",
            "organisation": "Gemeente Utrecht",
            "accept_url": "http://x.example/",
            "expires_at": "01-12-2026",
        },
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.sent_at:
            break
        time.sleep(0.1)
    assert notification.sent_at is not None
    assert Notification.objects.get().attempts == 1
    assert [m.to for m in mail.outbox] == [[participant.email]]


def test_worker_runs_an_uploaded_import_to_the_end(celery_worker, hr):
    from portal.models import Invitation, InvitationImport
    from portal.services import invitation_import_start

    data = "".join(f"p{n}@utrecht.example;Piet{n};Jansen\r\n" for n in range(150)).encode()
    job = invitation_import_start(
        data=data, file_name="lijst.csv", organisation=hr.organisation, uploaded_by=hr
    )
    deadline = time.monotonic() + 60
    # Until the e-mails are out too, so no queued message outlives the test.
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished and not Notification.objects.filter(sent_at=None).exists():
            break
        time.sleep(0.1)
    assert (job.state, job.processed_rows, job.created_count) == ("done", 150, 150)
    assert job.attempts == 1
    assert Invitation.objects.filter(organisation=hr.organisation).count() == 150
    assert InvitationImport.objects.get().content == b""
    assert len(mail.outbox) == 150
