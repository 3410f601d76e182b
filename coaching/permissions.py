"""Coaching is between a participant and their coach.

The coach's private notes are that coach's alone. HR sees only counts (through
selectors); the programme office sees trajectories to run the programme, never
notes or summaries (those pages check the participant or coach themselves).
"""

from django.db.models import Q

from coaching.models import (
    OPEN_STATES,
    AvailabilitySlot,
    CoachingSession,
    Goal,
    PrivateNote,
    Trajectory,
)
from leergang.permissions import register_reflection_reader
from portal import access
from portal.models import Role


def _participant_or_coach(user, prefix="trajectory__"):
    return Q(**{f"{prefix}participant": user}) | Q(**{f"{prefix}coach": user})


def _in_pair(user, trajectory: Trajectory) -> bool:
    return user.pk in {trajectory.participant_id, trajectory.coach_id}


@access.register(Trajectory)
class TrajectoryPolicy(access.Policy):
    verbs = frozenset({"book", "extend", "plan", "transition", "write"})

    def visible(self, user, queryset):
        return queryset.filter(_participant_or_coach(user, prefix=""))

    def allows(self, user, action, obj):
        if action in {"book", "write"}:
            return obj.participant_id == user.pk
        if action in {"extend", "plan", "transition"}:
            return obj.coach_id == user.pk
        return False


@access.register(Goal)
class GoalPolicy(access.Policy):
    verbs = frozenset({"update"})

    def visible(self, user, queryset):
        return queryset.filter(_participant_or_coach(user))

    def allows(self, user, action, obj):
        return action == "update" and _in_pair(user, obj.trajectory)


@access.register(CoachingSession)
class CoachingSessionPolicy(access.Policy):
    verbs = frozenset({"cancel", "mark", "note", "prepare", "summarise"})

    def visible(self, user, queryset):
        return queryset.filter(_participant_or_coach(user))

    def allows(self, user, action, obj):
        if action in {"summarise", "mark", "note"}:
            return obj.trajectory.coach_id == user.pk
        if action == "prepare":  # the preparation before, and the comment after
            return obj.trajectory.participant_id == user.pk
        return action == "cancel" and _in_pair(user, obj.trajectory)


@access.register(PrivateNote)
class PrivateNotePolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(coach=user, session__trajectory__coach=user)


@access.register(AvailabilitySlot)
class AvailabilitySlotPolicy(access.Policy):
    verbs = frozenset({"withdraw"})

    def visible(self, user, queryset):
        # A coach's own moments, and the free moments of one's own coaches.
        return queryset.filter(
            Q(coach=user) | Q(coach__coachees__participant=user, session=None)
        ).distinct()

    def allows(self, user, action, obj):
        return action == "withdraw" and obj.coach_id == user.pk


@register_reflection_reader
def coach_reads_shared_reflections(user):
    """The coach of an open trajectory reads the leerlog its participant shares with "my coach".

    Only while the trajectory runs (intake or lopend): sharing serves the coaching, so when
    the trajectory is completed or stopped the coach no longer reads along. Unticking the
    share, or the trajectory ending, takes effect on the coach's next page: nothing is copied.
    """
    if not user.has_role(Role.COACH):
        return None
    coached = Trajectory.objects.filter(coach=user, state__in=OPEN_STATES).values("participant")
    return Q(shared_with_coach=True, enrolment__participant__in=coached)


def may_start_trajectory(user, participant) -> bool:
    """The programme office for anyone; HR for the people of its own organisation."""
    if user.is_beheerder:
        return True
    return (
        user.is_hr
        and participant.organisation_id is not None
        and participant.organisation_id == user.organisation_id
    )


def managed_trajectories(user, queryset=None):
    """Trajectories whose frame (who, state, sessions used) a beheerder or HR may list.

    Never their content: the pages built on this show no leervraag, goals or notes.
    """
    queryset = Trajectory.objects.all() if queryset is None else queryset
    if user.is_beheerder:
        return queryset
    if user.is_hr and user.organisation_id:
        return queryset.filter(participant__organisation_id=user.organisation_id)
    return queryset.none()
