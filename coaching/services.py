"""Every write of the coaching app: trajectories, goals, availability and booking.

A booking locks the coach's moment and the trajectory, so two coachees never get
the same moment and nobody books past the agreed number of sessions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from portal.models import Role, User
from portal.notifications import notify

State = Trajectory.State
COUNTED = [
    CoachingSession.Status.PLANNED,
    CoachingSession.Status.HELD,
    CoachingSession.Status.NO_SHOW,
]


@transaction.atomic
def trajectory_start(
    *, participant: User, coach: User, agreed_sessions: int, by: User, enrolment=None
) -> Trajectory:
    """Start a trajectory (the programme office, or HR of the participant's organisation)."""
    if not coach.has_role(Role.COACH):
        raise ValidationError(_("Choose a coach."), code="coach")
    if not participant.has_role(Role.DEELNEMER):
        raise ValidationError(_("Coaching is for participants."), code="participant")
    if enrolment is not None and enrolment.participant_id != participant.pk:
        raise ValidationError(_("The enrolment belongs to someone else."), code="enrolment")
    trajectory = Trajectory.objects.create(
        participant=participant,
        coach=coach,
        agreed_sessions=agreed_sessions,
        started_by=by,
        enrolment=enrolment,
    )
    TrajectoryTransition.objects.create(trajectory=trajectory, to_state=State.INTAKE, by=by)
    return trajectory


@transaction.atomic
def trajectory_transition(
    *, trajectory: Trajectory, to_state: str, by: User, reason: str = ""
) -> Trajectory:
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if to_state not in TRAJECTORY_TRANSITIONS[trajectory.state]:
        raise ValidationError(
            _('A trajectory that is "%(from)s" cannot become "%(to)s".')
            % {"from": State(trajectory.state).label, "to": State(to_state).label},
            code="invalid_transition",
        )
    TrajectoryTransition.objects.create(
        trajectory=trajectory, from_state=trajectory.state, to_state=to_state, by=by, reason=reason
    )
    trajectory.state = to_state
    trajectory.save(update_fields=["state"])
    return trajectory


@transaction.atomic
def trajectory_extend(*, trajectory: Trajectory, extra: int, by: User) -> Trajectory:
    """The coach agrees more sessions."""
    if extra < 1:
        raise ValidationError(_("Add at least one session."), code="extra")
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    trajectory.agreed_sessions += extra
    trajectory.save(update_fields=["agreed_sessions"])
    TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=trajectory.state,
        to_state=trajectory.state,
        by=by,
        reason=_("%(extra)s sessions added") % {"extra": extra},
    )
    return trajectory


@transaction.atomic
def goal_update(*, goal: Goal, progress: int, note: str, by: User) -> Goal:
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."), code="progress")
    goal.progress = progress
    goal.save(update_fields=["progress"])
    GoalUpdate.objects.create(goal=goal, progress=progress, note=note.strip()[:500], by=by)
    return goal


def slot_publish(
    *, coach: User, starts_at, ends_at, location: str = "", online_url: str = ""
) -> AvailabilitySlot:
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."), code="order")
    if starts_at <= timezone.now():
        raise ValidationError(_("A moment must be in the future."), code="past")
    return AvailabilitySlot.objects.create(
        coach=coach, starts_at=starts_at, ends_at=ends_at, location=location, online_url=online_url
    )


def _check_room(trajectory: Trajectory) -> None:
    if trajectory.state not in {State.INTAKE, State.RUNNING}:
        raise ValidationError(_("This trajectory has ended."), code="ended")
    used = trajectory.sessions.filter(status__in=COUNTED).count()
    if used >= trajectory.agreed_sessions:
        raise ValidationError(
            _(
                "All %(agreed)s agreed sessions are used or planned. Ask your coach to extend "
                "the trajectory."
            )
            % {"agreed": trajectory.agreed_sessions},
            code="limit",
        )


@transaction.atomic
def session_book(*, trajectory: Trajectory, slot: AvailabilitySlot, by: User) -> CoachingSession:
    """The participant books a moment their coach offers."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    slot = AvailabilitySlot.objects.select_for_update().get(pk=slot.pk)
    if slot.coach_id != trajectory.coach_id:
        raise ValidationError(_("This moment belongs to another coach."), code="coach")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This moment has passed."), code="past")
    if CoachingSession.objects.filter(slot=slot).exists():
        raise ValidationError(
            _("Someone else has just booked this moment. Choose another."), code="taken"
        )
    _check_room(trajectory)
    try:
        with transaction.atomic():
            session = CoachingSession.objects.create(
                trajectory=trajectory,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                location=slot.location,
                online_url=slot.online_url,
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone else has just booked this moment. Choose another."), code="taken"
        ) from None
    _invite(session)
    return session


def _invite(session: CoachingSession) -> None:
    """Both the participant and the coach get the invitation with a calendar file."""
    for person in (session.trajectory.participant, session.trajectory.coach):
        notify(person, "coaching_session_planned", about=session)


@transaction.atomic
def session_plan(
    *, trajectory: Trajectory, starts_at, ends_at, location: str = "", online_url: str = ""
) -> CoachingSession:
    """The coach plans a session directly."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."), code="order")
    _check_room(trajectory)
    session = CoachingSession.objects.create(
        trajectory=trajectory,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
    )
    _invite(session)
    return session


@transaction.atomic
def session_cancel(*, session: CoachingSession, by: User) -> CoachingSession:
    """Cancel, recording by whom and how late; a booked moment becomes free again."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CoachingSession.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be cancelled."), code="status")
    session.status = CoachingSession.Status.CANCELLED
    session.cancelled_by = by
    session.cancelled_at = timezone.now()
    session.slot = None
    session.save(update_fields=["status", "cancelled_by", "cancelled_at", "slot"])
    for person in (session.trajectory.participant, session.trajectory.coach):
        if person.pk != by.pk:
            notify(person, "coaching_session_cancelled", about=session)
    return session


@transaction.atomic
def session_mark(*, session: CoachingSession, status: str) -> CoachingSession:
    """After the moment: held, or the participant did not show up."""
    if status not in {CoachingSession.Status.HELD, CoachingSession.Status.NO_SHOW}:
        raise ValidationError(_("Choose held or did not show up."), code="status")
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CoachingSession.Status.PLANNED or not session.has_started:
        raise ValidationError(
            _("Only a planned session that has started can be marked."), code="status"
        )
    session.status = status
    session.save(update_fields=["status"])
    return session


def private_note_add(*, session: CoachingSession, coach: User, text: str) -> PrivateNote:
    if session.trajectory.coach_id != coach.pk:
        raise ValidationError(
            _("Only the coach of this trajectory keeps notes here."), code="coach"
        )
    if not text.strip():
        raise ValidationError(_("The note is empty."), code="empty")
    return PrivateNote.objects.create(session=session, coach=coach, text=text.strip())
