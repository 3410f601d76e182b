"""E-mail attachments of the leergang app: the cohort's bijeenkomsten as a calendar file."""

from leergang.calendar import bijeenkomst_event
from portal.calendar import to_ics
from portal.notifications import register_attachments


@register_attachments("enrolment_enrolled", "enrolment_promoted", "enrolment_moved")
def bijeenkomsten_ics(notification):
    enrolment = notification.about
    if enrolment is not None and notification.kind == "enrolment_moved":
        enrolment = enrolment.moved_to  # the dates of the cohort the person moved to
    if enrolment is None:
        return []
    bijeenkomsten = enrolment.cohort.bijeenkomsten.select_related("cohort__leergang")
    if not bijeenkomsten:
        return []
    ics = to_ics(
        [bijeenkomst_event(b) for b in bijeenkomsten],
        name=enrolment.cohort.leergang.title,
        method="PUBLISH",
    )
    return [("bijeenkomsten.ics", ics, "text/calendar")]


@register_attachments("make_up_approved")
def make_up_ics(notification):
    """The bijeenkomst the participant makes up a missed one at (inhalen)."""
    make_up = notification.about
    if make_up is None:
        return []
    bijeenkomst = make_up.bijeenkomst
    ics = to_ics(
        [bijeenkomst_event(bijeenkomst)], name=bijeenkomst.cohort.leergang.title, method="PUBLISH"
    )
    return [("inhalen.ics", ics, "text/calendar")]
