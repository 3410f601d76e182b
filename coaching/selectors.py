"""Reads that the coaching pages need, in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from coaching.models import AvailabilitySlot, CoachingSession, Trajectory
from coaching.services import COUNTED


def participant_trajectories(user):
    """The person's trajectories with sessions, goals and their coach's free moments."""
    now = timezone.now()
    return list(
        Trajectory.objects.filter(participant=user)
        .select_related("coach")
        .annotate(used=Count("sessions", filter=Q(sessions__status__in=COUNTED)))
        .prefetch_related(
            "goals",
            Prefetch("sessions", queryset=CoachingSession.objects.order_by("starts_at")),
            Prefetch(
                "coach__coaching_slots",
                queryset=AvailabilitySlot.objects.filter(session=None, starts_at__gt=now).order_by(
                    "starts_at"
                ),
                to_attr="free_slots",
            ),
        )
    )


def coach_trajectories(user):
    """A coach's coachees with sessions used out of agreed and the next session."""
    now = timezone.now()
    return list(
        Trajectory.objects.filter(coach=user)
        .select_related("participant__organisation")
        .annotate(used=Count("sessions", filter=Q(sessions__status__in=COUNTED)))
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.filter(
                    status=CoachingSession.Status.PLANNED, ends_at__gte=now
                ).order_by("starts_at"),
                to_attr="upcoming",
            ),
        )
        .order_by("state", "participant__last_name")
    )


def coach_slots(user):
    return (
        AvailabilitySlot.objects.filter(coach=user, ends_at__gte=timezone.now())
        .select_related("session__trajectory__participant")
        .order_by("starts_at")
    )
