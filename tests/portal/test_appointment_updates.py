"""A new, moved or cancelled appointment reaches the calendars of everyone concerned, by
whatever route it changed: the same UID, a higher SEQUENCE, METHOD:REQUEST or CANCEL."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coaching import services as coaching_services
from intervisie import services as intervisie_services
from leergang.calendar import bijeenkomst_event
from leergang.models import Bijeenkomst, Enrolment
from portal.appointments import MOVED, _tell
from portal.calendar import events_for
from portal.models import Notification
from tests.factories import (
    BijeenkomstFactory,
    CoachingSessionFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    PollFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _invitation(message) -> tuple[str, object]:
    """(METHOD, the VEVENT) of the calendar file in an e-mail, parsed back."""
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    calendar = Calendar.from_ical(attachment[1])
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def _mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def cohort_with_people(trainer):
    cohort = CohortFactory(trainers=[trainer])
    enrolled = EnrolmentFactory(cohort=cohort).participant
    waiting = EnrolmentFactory(cohort=cohort, state=Enrolment.State.WAITLISTED).participant
    return cohort, enrolled, waiting


def test_create_move_and_cancel_update_one_calendar_entry(
    cohort_with_people, trainer, django_capture_on_commit_callbacks
):
    """The issue's proof: every ICS parsed back, across a create, a move and a cancel."""
    cohort, enrolled, waiting = cohort_with_people
    with django_capture_on_commit_callbacks(execute=True):
        bijeenkomst = BijeenkomstFactory(cohort=cohort, location="Utrecht, Stadskantoor")
    uid = f"bijeenkomst-{bijeenkomst.pk}@leerportaal"
    # Those with a seat and the trainer; not who is on the waiting list.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([enrolled.email, trainer.email])
    assert not _mails_to(waiting.email)
    (created,) = _mails_to(enrolled.email)
    method, event = _invitation(created)
    assert (method, str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", uid, 0)
    assert str(event["ORGANIZER"]) == "mailto:noreply@leerportaal.example"
    assert str(event["ATTENDEE"]) == f"mailto:{enrolled.email}"
    assert "Nieuw in je agenda" in created.subject

    mail.outbox.clear()
    bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    old_start = bijeenkomst.starts_at
    bijeenkomst.starts_at += timedelta(days=7)
    bijeenkomst.ends_at += timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        bijeenkomst.save()
    (moved,) = _mails_to(enrolled.email)
    method, event = _invitation(moved)
    assert (method, str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", uid, 1)
    assert event.decoded("DTSTART") == bijeenkomst.starts_at.replace(microsecond=0)
    assert "Gewijzigd" in moved.subject
    assert timezone.localtime(old_start).strftime("%H:%M") in moved.body  # was planned for
    # The personal feed carries the same entry and version.
    (in_feed,) = [e for e in events_for(enrolled) if e.uid == uid]
    assert in_feed.sequence == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Bijeenkomst.objects.get(pk=bijeenkomst.pk).delete()
    (cancelled,) = _mails_to(enrolled.email)
    method, event = _invitation(cancelled)
    assert (method, str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", uid, 2)
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Vervallen" in cancelled.subject and "gaat niet door" in cancelled.body
    assert len(_mails_to(trainer.email)) == 1


def test_a_move_in_the_django_admin_reaches_the_calendars(
    client, beheerder, cohort_with_people, django_capture_on_commit_callbacks
):
    """The programme office moves a bijeenkomst on the cohort's admin page."""
    cohort, enrolled, _ = cohort_with_people
    bijeenkomst = BijeenkomstFactory(cohort=cohort)
    mail.outbox.clear()
    client.force_login(beheerder)
    # At ten in the morning: moved at the hour the test runs, it could end past midnight.
    later = timezone.localtime(bijeenkomst.starts_at + timedelta(days=1)).replace(hour=10, minute=0)
    data = {
        "leergang": cohort.leergang_id,
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "seats": cohort.seats,
        "cancellation_deadline": cohort.cancellation_deadline.isoformat(),
        "min_attendance_percent": 80,
        "reflections_required": "on",
        "waitlist_mode": cohort.waitlist_mode,
        "offer_hours": cohort.offer_hours,
        "trainers": [t.pk for t in cohort.trainers.all()],
        "bijeenkomsten-TOTAL_FORMS": "1",
        "bijeenkomsten-INITIAL_FORMS": "1",
        "bijeenkomsten-0-id": bijeenkomst.pk,
        "bijeenkomsten-0-cohort": cohort.pk,
        "bijeenkomsten-0-title": bijeenkomst.title,
        "bijeenkomsten-0-starts_at_0": later.strftime("%Y-%m-%d"),
        "bijeenkomsten-0-starts_at_1": later.strftime("%H:%M"),
        "bijeenkomsten-0-ends_at_0": later.strftime("%Y-%m-%d"),
        "bijeenkomsten-0-ends_at_1": (later + timedelta(hours=3)).strftime("%H:%M"),
    }
    url = reverse("admin:leergang_cohort_change", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    (moved,) = _mails_to(enrolled.email)
    method, event = _invitation(moved)
    assert (method, event["SEQUENCE"]) == ("REQUEST", 1)
    assert event.decoded("DTSTART") == later.replace(second=0, microsecond=0)


def test_saving_without_a_change_sends_nothing_and_a_replay_of_one_version_is_sent_once(
    cohort_with_people, django_capture_on_commit_callbacks
):
    cohort, enrolled, _ = cohort_with_people
    bijeenkomst = BijeenkomstFactory(cohort=cohort)
    mail.outbox.clear()
    fresh = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    fresh.title = "Andere titel"
    with django_capture_on_commit_callbacks(execute=True):
        fresh.save()
        fresh.save()
    assert mail.outbox == []
    # The outbox key is per version and person: the same change told twice queues one row.
    moved = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    moved.location = "Elders"
    moved.save()
    _tell(moved, bijeenkomst_event(moved), MOVED)  # as a retried save would
    assert Notification.objects.filter(kind=MOVED, recipient=enrolled).count() == 1


def test_a_correction_of_a_past_appointment_mails_nobody(cohort_with_people):
    cohort, _, _ = cohort_with_people
    past = timezone.now() - timedelta(days=30)
    bijeenkomst = BijeenkomstFactory(
        cohort=cohort, starts_at=past, ends_at=past + timedelta(hours=3)
    )
    Notification.objects.all().delete()
    fresh = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    fresh.location = "Toch ergens anders"
    fresh.save()
    fresh.delete()
    assert not Notification.objects.exists()


def test_the_begeleider_is_invited_when_a_poll_date_is_picked(
    trainer, django_capture_on_commit_callbacks
):
    group = GroupFactory(begeleider=trainer, member_count=2)
    poll = PollFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        session = intervisie_services.poll_pick(poll=poll, slot=poll.slots.first(), by=trainer)
    (invitation,) = _mails_to(trainer.email)
    method, event = _invitation(invitation)
    assert (method, str(event["UID"])) == ("REQUEST", f"intervisie-{session.pk}@leerportaal")
    assert len(mail.outbox) == 3


def test_a_cancelled_coaching_session_is_cancelled_in_both_calendars_once(
    django_capture_on_commit_callbacks,
):
    session = CoachingSessionFactory()
    participant, coach = session.trajectory.participant, session.trajectory.coach
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coaching_services.session_cancel(session=session, by=participant)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, coach.email])
    for message in mail.outbox:
        method, event = _invitation(message)
        assert (method, event["SEQUENCE"], str(event["STATUS"])) == ("CANCEL", 1, "CANCELLED")


def test_an_inactive_person_gets_nothing(trainer, django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    gone = EnrolmentFactory(cohort=cohort, participant=UserFactory(is_active=False))
    with django_capture_on_commit_callbacks(execute=True):
        BijeenkomstFactory(cohort=cohort)
    assert not _mails_to(gone.participant.email)
