"""Coaching is between a participant and their coach.

The coach's private notes are that coach's alone. HR sees only counts (through
selectors); the programme office sees trajectories to run the programme, never
notes or summaries (those pages check the participant or coach themselves).
"""

from django.db.models import Q

from coaching.models import AvailabilitySlot, CoachingSession, PrivateNote, Trajectory
from portal import access


@access.register(Trajectory)
class TrajectoryPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(Q(participant=user) | Q(coach=user))

    def allows(self, user, action, obj):
        if action in {"book", "comment", "prepare"}:
            return obj.participant_id == user.pk
        if action in {"coach", "extend", "plan"}:
            return obj.coach_id == user.pk
        if action == "update_goals":
            return user.pk in {obj.participant_id, obj.coach_id}
        return False


@access.register(CoachingSession)
class CoachingSessionPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(Q(trajectory__participant=user) | Q(trajectory__coach=user))

    def allows(self, user, action, obj):
        if action in {"summarise", "mark", "note"}:
            return obj.trajectory.coach_id == user.pk
        if action in {"comment", "prepare"}:
            return obj.trajectory.participant_id == user.pk
        if action == "cancel":
            return user.pk in {obj.trajectory.participant_id, obj.trajectory.coach_id}
        return False


@access.register(PrivateNote)
class PrivateNotePolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(coach=user, session__trajectory__coach=user)


@access.register(AvailabilitySlot)
class AvailabilitySlotPolicy(access.Policy):
    def visible(self, user, queryset):
        # A coach's own moments, and the free moments of one's own coaches.
        return queryset.filter(
            Q(coach=user) | Q(coach__coachees__participant=user, session=None)
        ).distinct()
