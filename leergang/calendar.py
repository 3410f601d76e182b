"""The person's bijeenkomsten in their calendar feed and in e-mail attachments."""

from django.conf import settings
from django.urls import reverse

from leergang.models import SEAT_STATES, Bijeenkomst, Cohort, Enrolment, MakeUpRequest
from portal.appointments import attendee_rows, register_appointment
from portal.calendar import CalendarEvent, register_event_source


def bijeenkomst_event(bijeenkomst: Bijeenkomst, *, cancelled=False) -> CalendarEvent:
    cohort = bijeenkomst.cohort
    return CalendarEvent.of(
        bijeenkomst,
        kind="bijeenkomst",
        title=f"{bijeenkomst.title} · {cohort.leergang.title}",
        url=bijeenkomst.online_url or settings.PORTAL_BASE_URL + reverse("leergang:my-leergang"),
        description=cohort.name,
        cancelled=cancelled,
    )


@register_event_source
def bijeenkomsten_for(user):
    """Bijeenkomsten of cohorts the person follows (with a seat) or trains."""
    followed = Bijeenkomst.objects.filter(
        cohort__enrolments__participant=user, cohort__enrolments__state__in=SEAT_STATES
    )
    trained = Bijeenkomst.objects.filter(cohort__trainers=user)
    # A bijeenkomst of another cohort the person makes up a missed one at (inhalen).
    guest = Bijeenkomst.objects.filter(
        guest_requests__state=MakeUpRequest.State.APPROVED,
        guest_requests__enrolment__participant=user,
        guest_requests__enrolment__state__in=SEAT_STATES,
    )
    bijeenkomsten = (followed | trained | guest).distinct().select_related("cohort__leergang")
    return [bijeenkomst_event(b) for b in bijeenkomsten]


def bijeenkomst_attendees(bijeenkomsten):
    """The participants holding a seat in the cohort, its trainers, and approved guests."""
    participants = Enrolment.objects.holding_seat().filter(
        cohort__bijeenkomsten__in=bijeenkomsten, participant__is_active=True
    )
    trainers = Cohort.trainers.through.objects.filter(
        cohort__bijeenkomsten__in=bijeenkomsten, user__is_active=True
    )
    guests = MakeUpRequest.objects.filter(
        state=MakeUpRequest.State.APPROVED,
        bijeenkomst__in=bijeenkomsten,
        enrolment__state__in=SEAT_STATES,
        enrolment__participant__is_active=True,
    )
    return (
        attendee_rows(participants, appointment="cohort__bijeenkomsten", person="participant")
        .union(attendee_rows(trainers, appointment="cohort__bijeenkomsten", person="user"))
        .union(attendee_rows(guests, appointment="bijeenkomst", person="enrolment__participant"))
    )


register_appointment(
    Bijeenkomst,
    event=bijeenkomst_event,
    attendees=bijeenkomst_attendees,
    related=("cohort__leergang",),
)
