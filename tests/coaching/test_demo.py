"""`python manage.py demo` fills the coaching app: consistent, idempotent and without e-mail."""

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

import coaching.demo
from coaching import selectors
from coaching.models import (
    TRAJECTORY_TRANSITIONS,
    AvailabilitySlot,
    CoachingSession,
    Goal,
    GoalUpdate,
    PrivateNote,
    Trajectory,
    TrajectoryTransition,
)
from coaching.permissions import may_start_trajectory
from coaching.services import COUNTED, OPEN_STATES
from leergang.models import Enrolment
from portal import access
from portal.models import Notification, Role, User

pytestmark = pytest.mark.django_db

State = Trajectory.State
Status = CoachingSession.Status
PARTICIPANT = "deelnemer@demo.example"
COACHES = ["coach@demo.example", "coach2@demo.example"]


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _coaching_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("coaching").get_models()
    }


def _snapshot():
    """What a second run must not move: dates, states, progress and bookings."""
    return {
        "trajectories": list(
            Trajectory.objects.order_by("pk").values_list(
                "pk", "participant_id", "coach_id", "state", "agreed_sessions", "created_at"
            )
        ),
        "transitions": list(
            TrajectoryTransition.objects.order_by("pk").values_list(
                "trajectory_id", "from_state", "to_state", "by_id", "at"
            )
        ),
        "sessions": list(
            CoachingSession.objects.order_by("pk").values_list(
                "pk", "trajectory_id", "slot_id", "starts_at", "ends_at", "status", "cancelled_at"
            )
        ),
        "slots": list(
            AvailabilitySlot.objects.order_by("pk").values_list(
                "pk", "coach_id", "starts_at", "ends_at"
            )
        ),
        "goals": list(Goal.objects.order_by("pk").values_list("pk", "progress")),
        "updates": list(
            GoalUpdate.objects.order_by("pk").values_list("goal_id", "progress", "by_id", "at")
        ),
        "notes": list(
            PrivateNote.objects.order_by("pk").values_list("session_id", "coach_id", "created_at")
        ),
    }


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _sanne_trajectory():
    return Trajectory.objects.get(participant__email=PARTICIPANT, coach__email=COACHES[0])


def test_running_demo_twice_changes_nothing(demo):
    first, snapshot = _counts(), _snapshot()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == first
    assert _snapshot() == snapshot
    assert "Coaching: 6 trajecten bij 2 coaches" in demo


def test_running_it_again_on_a_later_day_adds_nothing(demo, monkeypatch):
    first, snapshot = _coaching_counts(), _snapshot()
    later = timezone.now() + timedelta(days=9)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("demo", stdout=io.StringIO())
    assert _coaching_counts() == first
    assert _snapshot() == snapshot


def test_each_state_at_both_coaches_for_several_organisations(demo):
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
    # Nobody has more than one trajectory that has not ended.
    open_ones = list(
        Trajectory.objects.filter(state__in=OPEN_STATES).values_list("participant", flat=True)
    )
    assert len(open_ones) == len(set(open_ones))


def test_the_demo_participant_has_a_running_trajectory_to_book_in(demo):
    sanne = User.objects.get(email=PARTICIPANT)
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


def test_no_trajectory_uses_more_sessions_than_agreed(demo):
    for trajectory in Trajectory.objects.all():
        used = trajectory.sessions.filter(status__in=COUNTED).count()
        assert used <= trajectory.agreed_sessions, trajectory
        if trajectory.state == State.COMPLETED:
            assert used == trajectory.agreed_sessions


def test_history_follows_the_state_machine_and_who_may_start(demo):
    now = timezone.now()
    for trajectory in Trajectory.objects.select_related("started_by", "participant"):
        steps = list(trajectory.transitions.all())
        assert (steps[0].from_state, steps[0].to_state) == ("", State.INTAKE)
        assert steps[0].by == trajectory.started_by and steps[0].at == trajectory.created_at
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_state == before.to_state
            assert after.to_state in TRAJECTORY_TRANSITIONS[State(after.from_state)]
            assert after.by_id is not None and after.at > before.at
        assert steps[-1].to_state == trajectory.state
        assert all(step.at < now for step in steps)
        if trajectory.state == State.STOPPED:
            assert steps[-1].reason
        # The programme office pays through the programme; HR for its own people.
        started_by = trajectory.started_by
        assert may_start_trajectory(started_by, trajectory.participant)
        expected = "programme" if started_by.is_beheerder else "organisation"
        assert trajectory.funded_by == expected
    hr_started = Trajectory.objects.filter(started_by__email="hr@demo.example").get()
    assert hr_started.participant.organisation.slug == "gemeente-utrecht"
    assert hr_started.state == State.INTAKE


def test_sessions_follow_the_services_rules(demo):
    now = timezone.now()
    for session in CoachingSession.objects.select_related("trajectory", "slot"):
        trajectory = session.trajectory
        local = timezone.localtime(session.starts_at)
        assert local.weekday() < 5 and 8 <= local.hour < 18
        assert session.ends_at > session.starts_at
        if session.slot is not None:
            slot = session.slot
            assert slot.coach_id == trajectory.coach_id
            assert (slot.starts_at, slot.ends_at, slot.location, slot.online_url) == (
                session.starts_at,
                session.ends_at,
                session.location,
                session.online_url,
            )
        assert bool(session.location) != bool(session.online_url)
        if session.status in {Status.HELD, Status.NO_SHOW}:
            assert session.ends_at < now
        if session.status == Status.PLANNED:
            assert session.starts_at > now and trajectory.state in OPEN_STATES
        if session.status == Status.CANCELLED:
            assert session.slot is None
            assert session.cancelled_by_id in {trajectory.participant_id, trajectory.coach_id}
            assert session.cancelled_at < session.starts_at
        else:
            assert session.cancelled_by is None and session.cancelled_at is None
        if session.summary or session.participant_comment:
            assert session.status == Status.HELD
    # A held intake made the trajectory running; an intake has held nothing yet.
    assert not CoachingSession.objects.filter(
        trajectory__state=State.INTAKE, status__in=[Status.HELD, Status.NO_SHOW]
    ).exists()
    for trajectory in Trajectory.objects.exclude(state=State.INTAKE):
        first = trajectory.sessions.order_by("starts_at").first()
        running = trajectory.transitions.get(to_state=State.RUNNING)
        assert first.status == Status.HELD and running.at > first.ends_at
    # An ended trajectory has nothing planned.
    assert not CoachingSession.objects.filter(
        ~Q(trajectory__state__in=OPEN_STATES), status=Status.PLANNED
    ).exists()
    # No coach is double-booked.
    planned = list(
        CoachingSession.objects.filter(status=Status.PLANNED).select_related("trajectory")
    )
    for a in planned:
        for b in planned:
            if a.pk < b.pk and a.trajectory.coach_id == b.trajectory.coach_id:
                assert a.ends_at <= b.starts_at or b.ends_at <= a.starts_at


def test_published_moments_are_free_on_workdays(demo):
    now = timezone.now()
    free = set(selectors.free_slots().values_list("pk", flat=True))
    for slot in AvailabilitySlot.objects.filter(starts_at__gt=now):
        slot.full_clean()
        local = timezone.localtime(slot.starts_at)
        assert local.weekday() < 5 and 8 <= local.hour < 18
        assert slot.pk in free or hasattr(slot, "session")


def test_goals_are_updated_by_participant_or_coach_while_open(demo):
    for goal in Goal.objects.select_related("trajectory"):
        trajectory = goal.trajectory
        updates = list(goal.updates.all())
        assert goal.progress == (updates[-1].progress if updates else 0)
        ended = trajectory.transitions.exclude(to_state__in=OPEN_STATES).first()
        for update in updates:
            assert update.by_id in {trajectory.participant_id, trajectory.coach_id}
            assert trajectory.created_at < update.at < timezone.now()
            if ended is not None:
                assert update.at < ended.at


def test_private_notes_belong_only_to_the_trajectorys_coach(demo):
    notes = PrivateNote.objects.select_related("session__trajectory")
    assert notes.count() >= 4
    for note in notes:
        assert note.coach_id == note.session.trajectory.coach_id
        assert note.created_at > note.session.ends_at
    sanne = User.objects.get(email=PARTICIPANT)
    assert not access.visible(sanne, PrivateNote.objects.all()).exists()
    jeroen, annemiek = (User.objects.get(email=email) for email in COACHES)
    assert set(access.visible(jeroen, PrivateNote.objects.all())) == set(
        notes.filter(session__trajectory__coach=jeroen)
    )
    assert not access.visible(annemiek, PrivateNote.objects.all()).filter(
        session__trajectory__coach=jeroen
    )


def test_the_coaching_demo_queues_no_mail(monkeypatch):
    load = coaching.demo.load
    monkeypatch.setattr(coaching.demo, "load", lambda *, command: None)
    call_command("demo", stdout=io.StringIO())
    assert not Trajectory.objects.exists()
    before = Notification.objects.count()
    command = type("Command", (), {"stdout": io.StringIO()})()
    load(command=command)
    assert Trajectory.objects.exists() and CoachingSession.objects.exists()
    assert Notification.objects.count() == before
    assert not Notification.objects.filter(kind__startswith="coaching_").exists()
