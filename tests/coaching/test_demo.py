"""What the coaching demo shows coaches, participants and HR; loaded once for the module.

The demo writes through the services, so their rules (state moves, session counting,
who may start) are proven by the services' own tests, not again here.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from coaching import selectors
from coaching.models import (
    OPEN_STATES,
    AvailabilitySlot,
    CoachingSession,
    GoalUpdate,
    PrivateNote,
    Trajectory,
    TrajectoryTransition,
)
from coaching.permissions import managed_trajectories
from leergang.models import Enrolment
from portal import access
from portal.demo import (
    COACH_EMAIL,
    HR_NIJMEGEN_EMAIL,
    HR_UTRECHT_EMAIL,
    PARTICIPANT_EMAIL,
    SECOND_COACH_EMAIL,
)
from portal.models import Notification, Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

State = Trajectory.State
Status = CoachingSession.Status
COACHES = [COACH_EMAIL, SECOND_COACH_EMAIL]


def _snapshot():
    """Every coaching row with all its fields: a second run must not add or move any."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("coaching").get_models()
    }


def _sanne_trajectory():
    return Trajectory.objects.get(participant__email=PARTICIPANT_EMAIL, coach__email=COACH_EMAIL)


def test_running_it_again_on_a_later_day_changes_nothing():
    snapshot = _snapshot()
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        call_command("demo", stdout=out)
    assert _snapshot() == snapshot
    assert "Coaching: 6 trajecten bij 2 coaches" in out.getvalue()


def test_the_demo_queues_no_coaching_mail():
    assert Trajectory.objects.exists() and CoachingSession.objects.exists()
    assert not Notification.objects.filter(kind__startswith="coaching_").exists()


def test_each_coach_has_every_stage_and_free_moments_to_book():
    assert set(Trajectory.objects.values_list("state", flat=True)) == set(State.values)
    for email in COACHES:
        coach = User.objects.get(email=email)
        assert coach.has_role(Role.COACH)
        assert coach.organisation.slug == "academie-publiek-vakmanschap"
        trajectories = Trajectory.objects.filter(coach=coach)
        assert trajectories.filter(state=State.RUNNING).exists()
        assert trajectories.filter(state=State.INTAKE).exists()
        assert trajectories.exclude(state__in=OPEN_STATES).exists()
        assert selectors.coach_trajectories(coach)
        # Free moments over the coming weeks, some in a room and some online.
        free = selectors.free_slots().filter(coach=coach)
        assert free.count() >= 4
        assert free.exclude(location="").exists()
        assert free.filter(location="", online_url__startswith="https://").exists()
        assert free.last().starts_at < timezone.now() + timedelta(days=24)
        # At least one moment is booked by a coachee.
        assert AvailabilitySlot.objects.filter(coach=coach, session__status=Status.PLANNED).exists()
    organisations = set(Trajectory.objects.values_list("participant__organisation", flat=True))
    assert len(organisations) >= 3


def test_dates_are_relative_to_today_on_workdays_in_office_hours():
    now = timezone.now()
    moments = [
        *CoachingSession.objects.values_list("starts_at", flat=True),
        *AvailabilitySlot.objects.values_list("starts_at", flat=True),
        *TrajectoryTransition.objects.values_list("at", flat=True),
    ]
    for moment in moments:
        local = timezone.localtime(moment)
        assert local.weekday() < 5 and 8 <= local.hour < 18, local
    assert all(at < now for at in TrajectoryTransition.objects.values_list("at", flat=True))
    assert not CoachingSession.objects.filter(status=Status.HELD, ends_at__gt=now).exists()
    assert CoachingSession.objects.filter(status=Status.PLANNED, starts_at__gt=now).exists()
    assert not CoachingSession.objects.filter(status=Status.PLANNED, starts_at__lt=now).exists()


def test_the_demo_participant_has_a_running_trajectory_to_book_in():
    sanne = User.objects.get(email=PARTICIPANT_EMAIL)
    trajectory = _sanne_trajectory()
    now = timezone.now()
    assert trajectory.state == State.RUNNING and trajectory.leervraag
    assert trajectory.funded_by == Trajectory.Funding.PROGRAMME
    running = Enrolment.objects.filter(
        participant=sanne,
        state=Enrolment.State.ENROLLED,
        cohort__leergang__slug="omgevingsprofessional",
    ).first()
    assert trajectory.enrolment == running is not None

    goals = list(trajectory.goals.all())
    assert 2 <= len(goals) <= 3
    updates = GoalUpdate.objects.filter(goal__trajectory=trajectory)
    authors = set(updates.values_list("by", flat=True))
    assert authors == {sanne.pk, trajectory.coach_id}

    sessions = trajectory.sessions.all()
    held = sessions.filter(status=Status.HELD)
    assert held.count() == 2
    assert all(s.summary and s.ends_at < now for s in held)
    assert held.exclude(participant_comment="").count() == 1
    assert PrivateNote.objects.filter(session__in=held).count() == 2
    cancelled = sessions.get(status=Status.CANCELLED)
    assert cancelled.cancelled_by == sanne and 0 < cancelled.hours_notice < 100
    planned = sessions.get(status=Status.PLANNED)
    assert planned.starts_at > now and planned.slot is not None and planned.preparation

    # What her page shows: sessions used out of agreed, and free moments of her coach.
    [overview] = selectors.participant_trajectories(sanne)
    assert overview.used == 3 < overview.agreed_sessions
    assert overview.coach.free_slots
    assert all(slot.coach_id == trajectory.coach_id for slot in overview.coach.free_slots)


def test_hr_lists_the_trajectories_of_its_own_organisation_and_started_one():
    for email in (HR_UTRECHT_EMAIL, HR_NIJMEGEN_EMAIL):
        hr = User.objects.get(email=email)
        listed = selectors.managed_list(hr)
        assert listed
        assert {t.participant.organisation_id for t in listed} == {hr.organisation_id}
        # HR started an intake that its organisation pays for.
        started = Trajectory.objects.get(started_by=hr)
        assert started in listed
        assert started.state == State.INTAKE
        assert started.funded_by == Trajectory.Funding.ORGANISATION
        # The frame, never the content.
        assert not access.visible(hr, PrivateNote.objects.all()).exists()
    assert len(managed_trajectories(User.objects.get(email="beheerder@demo.example"))) == 6


def test_private_notes_belong_only_to_the_trajectorys_coach():
    notes = PrivateNote.objects.select_related("session__trajectory")
    assert notes.count() >= 4
    for note in notes:
        assert note.coach_id == note.session.trajectory.coach_id
        assert note.created_at > note.session.ends_at
    sanne = User.objects.get(email=PARTICIPANT_EMAIL)
    assert not access.visible(sanne, PrivateNote.objects.all()).exists()
    jeroen, annemiek = (User.objects.get(email=email) for email in COACHES)
    assert set(access.visible(jeroen, PrivateNote.objects.all())) == set(
        notes.filter(session__trajectory__coach=jeroen)
    )
    assert not access.visible(annemiek, PrivateNote.objects.all()).filter(
        session__trajectory__coach=jeroen
    )
