"""Intervisie sessions in the members' and begeleider's calendar feed and invitations."""

from django.conf import settings
from django.urls import reverse

from intervisie.models import Session
from leergang.models import SEAT_STATES
from portal.calendar import CalendarEvent, register_event_source


def session_event(session: Session) -> CalendarEvent:
    return CalendarEvent.of(
        session,
        kind="intervisie",
        title=f"Intervisie · {session.group.name}",
        url=settings.PORTAL_BASE_URL + reverse("intervisie:session-detail", args=[session.pk]),
        description=session.group.cohort.leergang.title,
        cancelled=session.status == Session.Status.CANCELLED,
    )


@register_event_source
def sessions_for(user):
    as_member = Session.objects.filter(
        group__memberships__enrolment__participant=user,
        group__memberships__enrolment__state__in=SEAT_STATES,
    )
    as_begeleider = Session.objects.filter(group__begeleider=user)
    sessions = (as_member | as_begeleider).distinct().select_related("group__cohort__leergang")
    return [session_event(s) for s in sessions]
