"""Evaluation e-mails by the scan: the invitation once, at most two reminders a week apart,
none after answering or after the link expired; the invitation always goes, the reminders
can be turned off."""

from datetime import timedelta

import pytest
from django.core import mail

from evaluations.models import Invitation
from portal.models import Notification, ReminderOptOut
from portal.notifications import notification_send
from portal.reminders import reminders_scan
from tests.evaluations.conftest import answer, held_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    def scan():
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_scan()

    return scan


def kinds_sent(person):
    return [m.subject for m in mail.outbox if m.to == [person.email]]


def sent(kind):
    return list(
        Notification.objects.filter(kind=kind, status=Notification.Status.SENT)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def test_at_most_two_reminders_a_week_apart(morning, scan):
    held_cohort(participants=1)
    started = None
    for day in range(0, 36):
        scan()
        if day == 0:
            started = sent("evaluation_invitation")[0]
        morning.shift(timedelta(days=1))
    assert len(sent("evaluation_invitation")) == 1
    reminders = sent("evaluation_reminder")
    assert len(reminders) == 2
    assert reminders[0] - started == timedelta(days=7)
    assert reminders[1] - reminders[0] == timedelta(days=7)
    # Three evaluation mails (the reflection's own reminders go too, as they should).
    about_evaluation = [m for m in mail.outbox if "/evaluatie/" in m.body]
    assert len(about_evaluation) == 3
    assert "Herinnering" in about_evaluation[1].subject


def test_no_reminder_after_answering(morning, scan):
    cohort, bijeenkomst, (first, second) = held_cohort(participants=2)
    scan()
    answer(Invitation.objects.get(recipient=first))
    for _day in range(20):
        morning.shift(timedelta(days=1))
        scan()
    reminded = Notification.objects.filter(kind="evaluation_reminder")
    assert set(reminded.values_list("recipient_id", flat=True)) == {second.pk}
    assert reminded.count() == 2


def test_a_reminder_queued_before_the_answer_is_dropped(morning, scan):
    held_cohort(participants=1)
    scan()
    morning.shift(timedelta(days=7))
    # Written, but not sent yet (the worker was away), when the participant answers.
    reminders_scan()
    queued = Notification.objects.get(kind="evaluation_reminder")
    answer(Invitation.objects.get())
    assert notification_send(notification_id=queued.pk) is False
    queued.refresh_from_db()
    assert queued.status == Notification.Status.DROPPED


def test_a_scan_that_was_away_sends_one_reminder_not_two(morning, scan):
    held_cohort(participants=1)
    scan()
    morning.shift(timedelta(days=15))
    scan()
    scan()
    assert list(
        Notification.objects.filter(kind="evaluation_reminder").values_list("dedupe_key", flat=True)
    ) == [Notification.objects.get(kind="evaluation_reminder").dedupe_key]
    assert Notification.objects.get(kind="evaluation_reminder").dedupe_key.endswith(":2")


def test_no_reminder_after_the_link_expired(morning, scan, settings):
    settings.EVALUATION_VALID_DAYS = 10
    held_cohort(participants=1)
    scan()
    morning.shift(timedelta(days=7))
    scan()
    morning.shift(timedelta(days=7))
    scan()
    assert len(sent("evaluation_reminder")) == 1


def test_reminders_can_be_turned_off_the_invitation_not(morning, scan):
    cohort, bijeenkomst, (person,) = held_cohort(participants=1)
    for kind in ("evaluation_invitation", "evaluation_reminder"):
        ReminderOptOut.objects.create(user=person, kind=kind)
    scan()
    morning.shift(timedelta(days=8))
    scan()
    assert len(sent("evaluation_invitation")) == 1
    assert sent("evaluation_reminder") == []


def test_nothing_goes_at_night(morning, scan):
    held_cohort(participants=1)
    morning.shift(timedelta(hours=13))  # 23:00
    scan()
    assert not Invitation.objects.exists() and mail.outbox == []
    morning.shift(timedelta(hours=9))  # 08:00
    scan()
    assert len(mail.outbox) == 1
