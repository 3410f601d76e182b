"""Intervisie sessions in the members' and begeleider's calendar feed and invitations."""

from django.conf import settings
from django.urls import reverse

from intervisie.models import Session
from portal import access
from portal.calendar import CalendarEvent, register_event_source


def session_event(session: Session) -> CalendarEvent:
    return CalendarEvent.of(
        session,
        kind="intervisie",
        title=f"Intervisie · {session.group.name}",
        url=settings.PORTAL_BASE_URL + reverse("intervisie:session-detail", args=[session.pk]),
        description=session.group.cohort.leergang.title,
        cancelled=session.is_cancelled,
    )


@register_event_source
def sessions_for(user):
    """The sessions of the groups this person is a member or the begeleider of."""
    sessions = access.visible(user, Session).select_related("group__cohort__leergang")
    return [session_event(s) for s in sessions]
