"""Every write of the coaching app: trajectories, goals, availability and booking.

A booking locks the coach's moment and the trajectory, so two coachees never get
the same moment and nobody books past the agreed number of sessions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coaching.models import (
    COUNTED,
    OPEN_STATES,
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
from portal.models import Role, User
from portal.notifications import notify

State = Trajectory.State
MAX_AGREED_SESSIONS = 50


@transaction.atomic
def trajectory_start(
    *,
    participant: User,
    coach: User,
    agreed_sessions: int,
    by: User,
    enrolment=None,
    funded_by: str = Trajectory.Funding.PROGRAMME,
) -> Trajectory:
    """Start a trajectory: the programme office for anyone, HR for its own people.

    HR starts only what its organisation pays for, so the trajectory records that.
    """
    if not may_start_trajectory(by, participant):
        raise ValidationError(
            _("You cannot start a coaching trajectory for this person."), code="by"
        )
    if not by.is_beheerder:
        funded_by = Trajectory.Funding.ORGANISATION
    if not coach.has_role(Role.COACH):
        raise ValidationError(_("Choose a coach."), code="coach")
    if coach.pk == participant.pk:
        raise ValidationError(_("Nobody coaches themselves."), code="coach")
    if not participant.has_role(Role.DEELNEMER):
        raise ValidationError(_("Coaching is for participants."), code="participant")
    if enrolment is not None and enrolment.participant_id != participant.pk:
        raise ValidationError(_("The enrolment belongs to someone else."), code="enrolment")
    if not 1 <= agreed_sessions <= MAX_AGREED_SESSIONS:
        raise ValidationError(
            _("Agree between 1 and %(max)s sessions.") % {"max": MAX_AGREED_SESSIONS},
            code="agreed_sessions",
        )
    # One open trajectory per person: the row lock makes a double submit start one, not two.
    User.objects.select_for_update().get(pk=participant.pk)
    if participant.coaching_trajectories.filter(state__in=OPEN_STATES).exists():
        raise ValidationError(
            _("%(name)s already has a coaching trajectory that has not ended.")
            % {"name": participant.get_full_name()},
            code="open",
        )
    trajectory = Trajectory.objects.create(
        participant=participant,
        coach=coach,
        agreed_sessions=agreed_sessions,
        started_by=by,
        enrolment=enrolment,
        funded_by=funded_by,
    )
    TrajectoryTransition.objects.create(trajectory=trajectory, to_state=State.INTAKE, by=by)
    for person in (participant, coach):
        notify(person, "coaching_trajectory_started", about=trajectory)
    return trajectory


def leervraag_set(*, trajectory: Trajectory, text: str, by: User) -> Trajectory:
    """The participant words what they want to learn."""
    if by.pk != trajectory.participant_id:
        raise ValidationError(_("Only the participant writes the learning question."), code="by")
    trajectory.leervraag = text.strip()
    trajectory.save(update_fields=["leervraag"])
    return trajectory


def goal_add(*, trajectory: Trajectory, description: str, by: User) -> Goal:
    if by.pk != trajectory.participant_id:
        raise ValidationError(_("Only the participant adds goals."), code="by")
    if not trajectory.is_open:
        raise ValidationError(_("This trajectory has ended."), code="ended")
    description = description.strip()
    if not description:
        raise ValidationError(_("Describe the goal."), code="empty")
    position = trajectory.goals.count()
    return Goal.objects.create(trajectory=trajectory, description=description, position=position)


@transaction.atomic
def trajectory_transition(
    *, trajectory: Trajectory, to_state: str, by: User, reason: str = ""
) -> Trajectory:
    """Move along intake → lopend → afgerond, or stop; an ending cancels what is still planned."""
    trajectory = (
        Trajectory.objects.select_for_update()
        .select_related("participant", "coach")
        .get(pk=trajectory.pk)
    )
    if to_state not in TRAJECTORY_TRANSITIONS[trajectory.state]:
        raise ValidationError(
            _('A trajectory that is "%(from)s" cannot become "%(to)s".')
            % {"from": State(trajectory.state).label, "to": State(to_state).label},
            code="invalid_transition",
        )
    if to_state == State.STOPPED and not reason.strip():
        raise ValidationError(_("Say why the trajectory stops."), code="reason")
    TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=trajectory.state,
        to_state=to_state,
        by=by,
        reason=reason.strip(),
    )
    trajectory.state = to_state
    trajectory.save(update_fields=["state"])
    if to_state not in OPEN_STATES:
        upcoming = trajectory.sessions.filter(
            status=CoachingSession.Status.PLANNED, starts_at__gt=timezone.now()
        )
        for session in upcoming:
            session_cancel(session=session, by=by)
    return trajectory


@transaction.atomic
def trajectory_extend(*, trajectory: Trajectory, extra: int, by: User) -> Trajectory:
    """The coach agrees more sessions."""
    if extra < 1:
        raise ValidationError(_("Add at least one session."), code="extra")
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if not trajectory.is_open:
        raise ValidationError(_("This trajectory has ended."), code="ended")
    if trajectory.agreed_sessions + extra > MAX_AGREED_SESSIONS:
        raise ValidationError(
            _("A trajectory has at most %(max)s sessions.") % {"max": MAX_AGREED_SESSIONS},
            code="extra",
        )
    trajectory.agreed_sessions += extra
    trajectory.save(update_fields=["agreed_sessions"])
    TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=trajectory.state,
        to_state=trajectory.state,
        by=by,
        reason=ngettext("%(extra)s session added", "%(extra)s sessions added", extra)
        % {"extra": extra},
    )
    return trajectory


@transaction.atomic
def goal_update(*, goal: Goal, progress: int, note: str, by: User) -> Goal:
    """Participant or coach says how far a goal is; every update is kept."""
    trajectory = goal.trajectory
    if by.pk not in {trajectory.participant_id, trajectory.coach_id}:
        raise ValidationError(_("Only the participant and the coach update goals."), code="by")
    if not trajectory.is_open:
        raise ValidationError(_("This trajectory has ended."), code="ended")
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."), code="progress")
    goal.progress = progress
    goal.save(update_fields=["progress"])
    GoalUpdate.objects.create(goal=goal, progress=progress, note=note.strip()[:500], by=by)
    return goal


@transaction.atomic
def slot_publish(
    *, coach: User, starts_at, ends_at, location: str = "", online_url: str = ""
) -> AvailabilitySlot:
    """The coach offers a free moment; one overlapping their moments or sessions is refused."""
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."), code="order")
    if starts_at <= timezone.now():
        raise ValidationError(_("A moment must be in the future."), code="past")
    # This locks the coach's row first: two parallel publishes take turns, so they
    # cannot both find the time free.
    _refuse_coach_clash(coach.pk, starts_at, ends_at)
    offered = (
        AvailabilitySlot.objects.filter(coach=coach, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if offered is not None:
        raise ValidationError(
            _("This overlaps the moment you already offer on %(time)s–%(end)s.")
            % {
                "time": date_format(timezone.localtime(offered.starts_at), "j F H:i"),
                "end": date_format(timezone.localtime(offered.ends_at), "H:i"),
            },
            code="overlap",
        )
    return AvailabilitySlot.objects.create(
        coach=coach, starts_at=starts_at, ends_at=ends_at, location=location, online_url=online_url
    )


@transaction.atomic
def slot_withdraw(*, slot: AvailabilitySlot, by: User) -> None:
    """The coach takes back a free moment; a booked one stays until its session is cancelled."""
    slot = AvailabilitySlot.objects.select_for_update().filter(pk=slot.pk).first()
    if slot is None:
        return  # already withdrawn: a second click changes nothing
    if slot.coach_id != by.pk:
        raise ValidationError(_("This moment belongs to another coach."), code="coach")
    if CoachingSession.objects.filter(slot=slot).exists():
        raise ValidationError(
            _("This moment is booked. Cancel the session instead; the participant is told."),
            code="booked",
        )
    slot.delete()


def _coach_clash(coach_id: int, starts_at, ends_at) -> CoachingSession | None:
    """A planned session of this coach that overlaps the moment.

    Locks the coach's row first, so booking and planning for one coach take turns.
    """
    User.objects.select_for_update().get(pk=coach_id)
    return (
        CoachingSession.objects.filter(
            trajectory__coach_id=coach_id,
            status=CoachingSession.Status.PLANNED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .select_related("trajectory__participant")
        .first()
    )


def _refuse_coach_clash(coach_id: int, starts_at, ends_at) -> None:
    """Refuse a moment over one of the coach's planned sessions, naming that session."""
    clash = _coach_clash(coach_id, starts_at, ends_at)
    if clash is not None:
        raise ValidationError(
            _("You already have a session with %(name)s at %(time)s.")
            % {
                "name": clash.trajectory.participant.get_full_name(),
                "time": date_format(timezone.localtime(clash.starts_at), "j F H:i"),
            },
            code="clash",
        )


def _check_room(trajectory: Trajectory) -> None:
    if not trajectory.is_open:
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
    slot = AvailabilitySlot.objects.select_for_update().filter(pk=slot.pk).first()
    if slot is None:  # the coach withdrew it meanwhile
        raise ValidationError(
            _("Your coach no longer offers this moment. Choose another."), code="withdrawn"
        )
    if slot.coach_id != trajectory.coach_id:
        raise ValidationError(_("This moment belongs to another coach."), code="coach")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This moment has passed."), code="past")
    _check_room(trajectory)
    if CoachingSession.objects.filter(slot=slot).exists():
        raise ValidationError(
            _("Someone else has just booked this moment. Choose another."), code="taken"
        )
    if _coach_clash(slot.coach_id, slot.starts_at, slot.ends_at):
        raise ValidationError(
            _("Your coach is no longer free at this moment. Choose another."), code="taken"
        )
    try:
        with transaction.atomic():
            return _session_create(
                trajectory,
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


def _session_create(trajectory: Trajectory, **moment) -> CoachingSession:
    """The session; the participant and the coach get the invitation with a calendar file
    (portal.appointments)."""
    return CoachingSession.objects.create(trajectory=trajectory, **moment)


@transaction.atomic
def session_plan(
    *, trajectory: Trajectory, starts_at, ends_at, location: str = "", online_url: str = ""
) -> CoachingSession:
    """The coach plans a session directly, at a moment they have nothing else planned."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if ends_at <= starts_at:
        raise ValidationError(_("The end is not after the start."), code="order")
    if starts_at <= timezone.now():
        raise ValidationError(_("A session must be planned in the future."), code="past")
    _check_room(trajectory)
    _refuse_coach_clash(trajectory.coach_id, starts_at, ends_at)
    return _session_create(
        trajectory, starts_at=starts_at, ends_at=ends_at, location=location, online_url=online_url
    )


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
    # Both calendars drop it: the cancellation goes to both (portal.appointments).
    session.save(update_fields=["status", "cancelled_by", "cancelled_at", "slot"])
    return session


@transaction.atomic
def session_mark(
    *, session: CoachingSession, status: str, by: User | None = None
) -> CoachingSession:
    """After the moment: held, or the participant did not show up.

    A held intake starts the trajectory proper: intake becomes lopend.
    """
    if status not in {CoachingSession.Status.HELD, CoachingSession.Status.NO_SHOW}:
        raise ValidationError(_("Choose held or did not show up."), code="status")
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CoachingSession.Status.PLANNED or not session.has_started:
        raise ValidationError(
            _("Only a planned session that has started can be marked."), code="status"
        )
    session.status = status
    session.save(update_fields=["status"])
    trajectory = session.trajectory
    if status == CoachingSession.Status.HELD and trajectory.state == State.INTAKE:
        trajectory_transition(
            trajectory=trajectory, to_state=State.RUNNING, by=by, reason=_("Intake held")
        )
    return session


def private_note_add(*, session: CoachingSession, coach: User, text: str) -> PrivateNote:
    if session.trajectory.coach_id != coach.pk:
        raise ValidationError(
            _("Only the coach of this trajectory keeps notes here."), code="coach"
        )
    if not text.strip():
        raise ValidationError(_("The note is empty."), code="empty")
    return PrivateNote.objects.create(session=session, coach=coach, text=text.strip())


def session_summary_set(*, session: CoachingSession, summary: str, by: User) -> CoachingSession:
    """The coach's summary, shared with the participant."""
    if session.trajectory.coach_id != by.pk:
        raise ValidationError(_("Only the coach writes the summary."))
    session.summary = summary
    session.save(update_fields=["summary"])
    return session


def session_participant_text_set(
    *, session: CoachingSession, preparation: str, participant_comment: str, by: User
) -> CoachingSession:
    """What the participant prepares before and says after a session."""
    if session.trajectory.participant_id != by.pk:
        raise ValidationError(_("Only the participant writes the preparation."))
    session.preparation = preparation
    session.participant_comment = participant_comment
    session.save(update_fields=["preparation", "participant_comment"])
    return session
