import pytest
from django.core import mail
from django.db import transaction

from portal.models import Notification
from portal.notifications import muted, notification_send, notification_sweep, notify
from tests.concurrency import run_in_parallel

CONTEXT = {
    "first_name": "Sanne",
    "organisation": "Gemeente Utrecht",
    "accept_url": "http://portal.example/uitnodiging/abc/",
    "expires_at": "01-12-2026",
}


@pytest.mark.django_db
def test_notify_writes_an_outbox_row_and_sends_on_commit(
    participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(participant, "invitation", about=participant, context=CONTEXT)
    notification.refresh_from_db()
    assert notification.sent_at is not None
    (message,) = mail.outbox
    assert message.to == [participant.email]
    assert "Beste Sanne" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "http://portal.example/uitnodiging/abc/" in html


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(participant):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(participant, "invitation", context=CONTEXT)
        raise RuntimeError("the enrolment failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_notification_is_sent_once_however_often_the_task_runs(participant):
    notification = notify(participant, "invitation", context=CONTEXT)
    assert notification_send(notification_id=notification.pk) is True
    assert notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_dedupe_key_keeps_a_reminder_from_being_queued_twice(participant):
    first = notify(participant, "invitation", context=CONTEXT, dedupe_key="herinnering:1")
    second = notify(participant, "invitation", context=CONTEXT, dedupe_key="herinnering:1")
    assert first is not None and second is None
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_muted_notifications_write_no_row_and_send_nothing(
    participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), muted():
        assert notify(participant, "invitation", context=CONTEXT) is None
    assert not Notification.objects.exists()
    assert mail.outbox == []
    # Outside the block, mail flows again.
    assert notify(participant, "invitation", context=CONTEXT) is not None


@pytest.mark.django_db
def test_failed_send_is_released_for_a_retry(participant, settings, monkeypatch):
    notification = notify(participant, "invitation", context=CONTEXT)

    def broken_send(self, fail_silently=False):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with pytest.raises(OSError):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.claimed_at is None
    assert "unreachable" in notification.last_error
    monkeypatch.undo()
    assert notification_send(notification_id=notification.pk) is True


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_send_a_notification_exactly_once(participant):
    # Written directly: notify() would already send it on commit.
    notification = Notification.objects.create(
        recipient=participant, email=participant.email, kind="invitation", context=CONTEXT
    )
    results = run_in_parallel(lambda: notification_send(notification_id=notification.pk), 8)
    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_queues_rows_whose_task_was_lost(participant, monkeypatch):
    notification = notify(participant, "invitation", context=CONTEXT)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at.replace(year=2020)
    )
    assert notification_sweep() == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
