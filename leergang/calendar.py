"""The person's bijeenkomsten in their calendar feed and in e-mail attachments."""

from django.conf import settings
from django.urls import reverse

from leergang.models import SEAT_STATES, Bijeenkomst
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
    bijeenkomsten = (followed | trained).distinct().select_related("cohort__leergang")
    return [bijeenkomst_event(b) for b in bijeenkomsten]
