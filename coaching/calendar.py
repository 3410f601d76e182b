"""Coaching sessions in the participant's and the coach's calendar feed and invitations."""

from django.conf import settings
from django.urls import reverse

from coaching.models import CoachingSession
from portal import access
from portal.calendar import CalendarEvent, register_event_source


def session_event(session: CoachingSession) -> CalendarEvent:
    trajectory = session.trajectory
    return CalendarEvent.of(
        session,
        kind="coaching",
        title=f"Coaching · {trajectory.participant.get_full_name()} & "
        f"{trajectory.coach.get_full_name()}",
        url=settings.PORTAL_BASE_URL + reverse("portal:calendar"),
        cancelled=session.is_cancelled,
    )


@register_event_source
def sessions_for(user):
    sessions = (
        access.visible(user, CoachingSession)
        .exclude(status=CoachingSession.Status.CANCELLED)
        .select_related("trajectory__participant", "trajectory__coach")
    )
    return [session_event(s) for s in sessions]
