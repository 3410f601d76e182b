"""Appointments carry a calendar version (SEQUENCE) that every change a calendar shows
raises, whatever route saved it; the ICS files carry it with a stable UID and an ORGANIZER."""

from datetime import timedelta

import pytest
from django.forms import modelform_factory
from icalendar import Calendar

from coaching import services as coaching_services
from leergang.calendar import bijeenkomst_event
from leergang.models import Bijeenkomst
from portal.calendar import events_for, to_ics
from tests.factories import (
    BijeenkomstFactory,
    CoachingSessionFactory,
    EnrolmentFactory,
    IntervisieSessionFactory,
)

pytestmark = pytest.mark.django_db


def _parsed(ics: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(ics)
    return calendar, list(calendar.walk("VEVENT"))


def _fresh(appointment):
    return type(appointment).objects.get(pk=appointment.pk)


def test_a_new_appointment_starts_at_version_zero():
    assert BijeenkomstFactory().sequence == 0


def test_moving_or_changing_the_place_raises_the_version_once_per_save():
    bijeenkomst = _fresh(BijeenkomstFactory())
    bijeenkomst.starts_at += timedelta(days=7)
    bijeenkomst.ends_at += timedelta(days=7)
    bijeenkomst.save()
    assert bijeenkomst.sequence == 1
    bijeenkomst.location = "Nijmegen, Huis van de Stad"
    bijeenkomst.save()
    assert _fresh(bijeenkomst).sequence == 2


def test_a_change_no_calendar_shows_keeps_the_version():
    bijeenkomst = _fresh(BijeenkomstFactory())
    bijeenkomst.title = "Een andere titel"
    bijeenkomst.save()
    bijeenkomst.save()
    assert _fresh(bijeenkomst).sequence == 0


def test_a_save_of_other_fields_leaves_an_unsaved_move_out_of_the_version():
    bijeenkomst = _fresh(BijeenkomstFactory())
    bijeenkomst.location = "Nog niet bevestigd"
    bijeenkomst.title = "Nieuwe titel"
    bijeenkomst.save(update_fields=["title"])
    assert _fresh(bijeenkomst).sequence == 0
    bijeenkomst.save()  # now the move is written, and counted
    assert _fresh(bijeenkomst).sequence == 1


def test_an_object_moved_right_after_it_was_created_counts_too():
    bijeenkomst = BijeenkomstFactory()
    bijeenkomst.location = "Online"
    bijeenkomst.save()
    assert _fresh(bijeenkomst).sequence == 1


def test_the_admin_route_a_model_form_raises_the_version():
    bijeenkomst = BijeenkomstFactory()
    form_class = modelform_factory(
        Bijeenkomst, fields=["title", "starts_at", "ends_at", "location"]
    )
    moved = bijeenkomst.starts_at + timedelta(hours=1)
    form = form_class(
        {
            "title": bijeenkomst.title,
            "starts_at": moved,
            "ends_at": moved + timedelta(hours=3),
            "location": bijeenkomst.location,
        },
        instance=_fresh(bijeenkomst),
    )
    assert form.is_valid(), form.errors
    form.save()
    assert _fresh(bijeenkomst).sequence == 1


def test_the_service_route_a_cancelled_coaching_session_raises_the_version():
    session = CoachingSessionFactory(in_days=5)
    coaching_services.session_cancel(session=session, by=session.trajectory.coach)
    assert _fresh(session).sequence == 1


def test_an_intervisie_session_cancelled_raises_the_version_and_held_does_not_matter():
    session = _fresh(IntervisieSessionFactory())
    session.status = session.Status.HELD
    session.save(update_fields=["status"])
    assert _fresh(session).sequence == 0
    session.status = session.Status.CANCELLED
    session.save(update_fields=["status"])
    assert _fresh(session).sequence == 1


def test_two_stale_copies_saved_one_after_the_other_give_two_versions():
    """The version is raised in the database, not from the copy in memory."""
    bijeenkomst = BijeenkomstFactory()
    first, second = _fresh(bijeenkomst), _fresh(bijeenkomst)
    first.location = "Zaal 1"
    first.save()
    second.location = "Zaal 2"
    second.save()
    assert _fresh(bijeenkomst).sequence == 2


def test_the_feed_keeps_the_uid_and_carries_the_rising_sequence_and_organizer(settings):
    settings.DEFAULT_FROM_EMAIL = "Leerportaal <noreply@leerportaal.example>"
    enrolment = EnrolmentFactory()
    bijeenkomst = _fresh(BijeenkomstFactory(cohort=enrolment.cohort))

    def feed_event():
        (event,) = _parsed(to_ics(events_for(enrolment.participant), name="Agenda"))[1]
        return event

    before = feed_event()
    bijeenkomst.starts_at += timedelta(days=1)
    bijeenkomst.ends_at += timedelta(days=1)
    bijeenkomst.save()
    after = feed_event()

    assert str(after["uid"]) == str(before["uid"]) == f"bijeenkomst-{bijeenkomst.pk}@leerportaal"
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1)
    assert after.decoded("dtstart") == bijeenkomst.starts_at.replace(microsecond=0)
    assert str(after["organizer"]) == "mailto:noreply@leerportaal.example"
    assert after["organizer"].params["cn"] == "Leerportaal"


@pytest.mark.parametrize(("method", "status"), [("REQUEST", "CONFIRMED"), ("CANCEL", "CANCELLED")])
def test_a_request_or_cancel_file_says_its_method_and_status(method, status, settings):
    settings.DEFAULT_FROM_EMAIL = "Leerportaal <noreply@leerportaal.example>"
    bijeenkomst = BijeenkomstFactory()
    calendar, (event,) = _parsed(
        to_ics([bijeenkomst_event(bijeenkomst)], name="Leergang", method=method)
    )
    assert str(calendar["method"]) == method
    assert str(event["status"]) == status
    assert int(event["sequence"]) == 0
