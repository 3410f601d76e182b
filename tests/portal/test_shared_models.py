"""The pieces the apps share instead of writing them twice: the attendance status, the actor
field, the state-change audit row and its admin inline, and the calendar event of an
appointment."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.utils import translation

from coaching.models import CoachingSession, GoalUpdate, Trajectory, TrajectoryTransition
from intervisie.models import Method, Poll, Session, SessionAttendance
from leergang.models import Attendance, AttendanceStatus, Enrolment, EnrolmentTransition
from portal.admin import StateChangeInline
from portal.calendar import CalendarEvent
from portal.models import StateChange, User
from tests.factories import (
    BijeenkomstFactory,
    EnrolmentFactory,
    TrajectoryFactory,
)


def test_both_attendance_models_record_the_same_status():
    assert Attendance.Status is AttendanceStatus
    assert SessionAttendance.Status is AttendanceStatus
    assert AttendanceStatus.values == ["present", "absent", "excused"]
    for model in (Attendance, SessionAttendance):
        assert model._meta.get_field("status").choices == AttendanceStatus.choices


ACTOR_FIELDS = [
    (Attendance, "recorded_by"),
    (EnrolmentTransition, "by"),
    (Method, "created_by"),
    (Poll, "created_by"),
    (Session, "case_bringer"),
    (Trajectory, "started_by"),
    (TrajectoryTransition, "by"),
    (GoalUpdate, "by"),
    (CoachingSession, "cancelled_by"),
]


@pytest.mark.parametrize(("model", "name"), ACTOR_FIELDS)
def test_who_did_it_is_kept_as_empty_when_the_account_goes(model, name):
    field = model._meta.get_field(name)
    assert field.related_model is User
    assert field.remote_field.on_delete is models.SET_NULL
    assert field.null and field.blank
    # No reverse accessor: a person does not collect everything they touched.
    assert field.remote_field.related_name == "+"


@pytest.mark.parametrize(
    ("model", "states"),
    [(EnrolmentTransition, Enrolment.State), (TrajectoryTransition, Trajectory.State)],
)
def test_each_audit_trail_is_a_state_change_of_its_own_states(model, states):
    assert issubclass(model, StateChange)
    assert model._meta.ordering == ["at", "pk"]
    assert model._meta.get_field("from_state").choices == states.choices
    assert model._meta.get_field("from_state").blank
    assert model._meta.get_field("to_state").choices == states.choices
    assert not model._meta.get_field("to_state").blank
    assert {field.name for field in model._meta.fields} >= {"by", "at", "reason"}


@pytest.mark.django_db
def test_a_state_change_reads_from_to_and_survives_its_author(beheerder):
    enrolment = EnrolmentFactory(state=Enrolment.State.REQUESTED)
    first = enrolment.transitions.get()
    moved = EnrolmentTransition.objects.create(
        enrolment=enrolment,
        from_state=Enrolment.State.REQUESTED,
        to_state=Enrolment.State.ENROLLED,
        by=beheerder,
    )
    trajectory = TrajectoryFactory()
    stopped = TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=Trajectory.State.INTAKE,
        to_state=Trajectory.State.STOPPED,
        by=beheerder,
    )
    with translation.override("en"):
        assert str(first) == "– → Awaiting approval"
        assert str(moved) == "Awaiting approval → Enrolled"
        assert str(stopped) == "Intake → Stopped"
    assert list(enrolment.transitions.all()) == [first, moved]

    beheerder.delete()
    moved.refresh_from_db()
    stopped.refresh_from_db()
    assert moved.by is None and stopped.by is None


@pytest.mark.django_db
def test_both_audit_inlines_are_read_only(beheerder):
    request = RequestFactory().get("/")
    request.user = beheerder
    for model, audit in ((Enrolment, EnrolmentTransition), (Trajectory, TrajectoryTransition)):
        inlines = admin.site._registry[model].get_inline_instances(request)
        [inline] = [inline for inline in inlines if inline.model is audit]
        assert isinstance(inline, StateChangeInline)
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)
        assert set(inline.get_readonly_fields(request)) == {
            "at",
            "from_state",
            "to_state",
            "by",
            "reason",
        }


@pytest.mark.django_db
def test_the_calendar_event_of_an_appointment_takes_its_times_and_place():
    bijeenkomst = BijeenkomstFactory(location="Utrecht, Stadskantoor")
    event = CalendarEvent.of(bijeenkomst, kind="bijeenkomst", title="Start", description="x")
    assert event.uid == f"bijeenkomst-{bijeenkomst.pk}@leerportaal"
    assert (event.starts_at, event.ends_at) == (bijeenkomst.starts_at, bijeenkomst.ends_at)
    assert event.location == "Utrecht, Stadskantoor"
    assert (event.title, event.description, event.cancelled) == ("Start", "x", False)

    online = BijeenkomstFactory(location="", online_url="https://meet.example/abc")
    assert CalendarEvent.of(online, kind="k", title="t").location == "https://meet.example/abc"


def test_the_calendar_event_of_an_unsaved_appointment_needs_no_database():
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    slot = Session(pk=7, starts_at=start, ends_at=start + dt.timedelta(hours=2), location="")
    event = CalendarEvent.of(slot, kind="intervisie", title="Intervisie", cancelled=True)
    assert event.uid == "intervisie-7@leerportaal"
    assert event.location == "" and event.cancelled
