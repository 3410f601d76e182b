"""Intervisie sessions in the members' and begeleider's calendar feed and invitations."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from intervisie.models import Session
from leergang.models import Enrolment
from portal import access
from portal.appointments import attendee_rows, register_appointment
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


def session_attendees(sessions):
    """The group's members who hold a seat in the cohort, and its begeleider."""
    members = Enrolment.objects.holding_seat().filter(
        intervisie_membership__group__sessions__in=sessions, participant__is_active=True
    )
    begeleiders = Session.objects.filter(pk__in=sessions, group__begeleider__is_active=True)
    return attendee_rows(
        members, appointment="intervisie_membership__group__sessions", person="participant"
    ).union(attendee_rows(begeleiders, appointment="pk", person="group__begeleider"))


register_appointment(
    Session,
    event=session_event,
    attendees=session_attendees,
    cancelled=~Q(status=Session.Status.PLANNED),
    related=("group__cohort__leergang",),
)
