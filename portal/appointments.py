"""Appointments in people's calendars: who holds each one, and keeping their calendars right.

Apps register their kinds of appointment (bijeenkomst, intervisie session, coaching
session) with the people whose calendar holds one (``attendees``). From then on, by
whatever route an appointment is saved (a service, a staff page, the admin):

- created, moved, relocated or cancelled, everyone concerned gets an e-mail whose
  calendar file updates the same entry (same UID, a higher SEQUENCE, METHOD:REQUEST,
  or METHOD:CANCEL when it no longer takes place); deleting a future appointment
  cancels it the same way;
- reminders go before it (``REMINDER_APPOINTMENT_HOURS_BEFORE``). They are found by the
  reminder scan from the appointment's current time, so a moved appointment's
  reminders follow it, and one that was queued for the old time, or for a cancelled
  appointment, is dropped when its turn comes.

The mails carry the event as it was at the change, so a deleted appointment's
cancellation still has everything its calendar file needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from portal import reminders
from portal.calendar import CalendarEvent, to_ics
from portal.models import Appointment, Notification, User, calendar_changed
from portal.notifications import notify, register_attachments


@dataclass(frozen=True)
class AppointmentKind:
    model: type[Appointment]
    event: Callable[[Appointment], CalendarEvent]
    # appointments -> rows {"appointment", "person", "email", "language"}: the active people
    # whose calendar holds each (a values() queryset, so thousands cost one query).
    attendees: Callable[[QuerySet], QuerySet]
    # Appointments that do not (or no longer) lie ahead: no reminders for these.
    cancelled: Q | None = None
    # The foreign keys ``event`` follows, read in the same query.
    related: tuple[str, ...] = ()


_kinds: dict[type[Appointment], AppointmentKind] = {}

PLANNED, MOVED, CANCELLED = "appointment_planned", "appointment_moved", "appointment_cancelled"
REMINDER = "appointment_reminder"


def register_appointment(
    model, *, event, attendees, cancelled: Q | None = None, related: tuple[str, ...] = ()
) -> None:
    _kinds[model] = AppointmentKind(model, event, attendees, cancelled, related)
    calendar_changed.connect(_changed, sender=model, dispatch_uid=f"calendar-{model._meta.label}")
    pre_delete.connect(_deleted, sender=model, dispatch_uid=f"calendar-del-{model._meta.label}")


def attendee_rows(people: QuerySet, *, appointment: str, person: str) -> QuerySet:
    """The rows ``attendees`` returns, read from ``people`` by two paths: to the appointment's
    key and to the person (whose address and language come along). Unordered: a compound
    query refuses ordered parts on SQLite."""
    return people.order_by().values(
        appointment=F(appointment),
        person=F(person),
        email=F(f"{person}__email"),
        language=F(f"{person}__preferred_language"),
    )


def concerned(appointment: Appointment) -> list[User]:
    """The active people whose calendar holds this appointment."""
    kind = _kinds[type(appointment)]
    rows = kind.attendees(type(appointment).objects.filter(pk=appointment.pk))
    return list(User.objects.filter(pk__in={row["person"] for row in rows}))


def _changed(sender, appointment, created, before, **kwargs):
    if created:
        change = PLANNED
    elif getattr(appointment, "is_cancelled", False):
        if before is not None and before[-1]:
            return  # it was cancelled already
        change = CANCELLED
    else:
        change = MOVED
    ends_at = appointment.ends_at
    if change == MOVED and before is not None:
        ends_at = max(ends_at, before[Appointment.CALENDAR_FIELDS.index("ends_at")])
    if ends_at <= timezone.now():
        return  # a correction of the past changes nobody's plans
    event = _kinds[sender].event(appointment)
    previous = None
    if change == MOVED and before is not None:
        previous = before[Appointment.CALENDAR_FIELDS.index("starts_at")]
    _tell(appointment, event, change, previous_starts_at=previous)


def _deleted(sender, instance, **kwargs):
    if instance.ends_at <= timezone.now() or getattr(instance, "is_cancelled", False):
        return
    # The calendar's copy must be replaced by a version it has not seen.
    event = _kinds[sender].event(instance)
    event = CalendarEvent(**{**event.__dict__, "sequence": event.sequence + 1, "cancelled": True})
    _tell(instance, event, CANCELLED)


def _tell(appointment, event: CalendarEvent, change: str, *, previous_starts_at=None) -> None:
    context = {"event": event_to_context(event)}
    if previous_starts_at is not None:
        context["previous_starts_at"] = previous_starts_at.astimezone(UTC).isoformat()
    for person in concerned(appointment):
        notify(
            person,
            change,
            about=appointment if change != CANCELLED else None,
            context=context,
            dedupe_key=f"{change}:{event.uid}:{event.sequence}:{person.pk}",
        )


def event_to_context(event: CalendarEvent) -> dict:
    return {
        "uid": event.uid,
        "title": event.title,
        # In UTC: a fixed offset would reach the calendar file as a floating time.
        "starts_at": event.starts_at.astimezone(UTC).isoformat(),
        "ends_at": event.ends_at.astimezone(UTC).isoformat(),
        "location": event.location,
        "url": event.url,
        "description": event.description,
        "cancelled": event.cancelled,
        "sequence": event.sequence,
    }


def event_from_context(data: dict) -> CalendarEvent:
    return CalendarEvent(
        **{
            **data,
            "starts_at": parse_datetime(data["starts_at"]).astimezone(UTC),
            "ends_at": parse_datetime(data["ends_at"]).astimezone(UTC),
        }
    )


@register_attachments(PLANNED, MOVED, CANCELLED)
def update_ics(notification: Notification):
    """The calendar file that adds, updates or removes the entry (RFC 5546 iTIP)."""
    event = event_from_context(notification.context["event"])
    method = "CANCEL" if notification.kind == CANCELLED else "REQUEST"
    ics = to_ics([event], name=event.title, method=method, attendee=notification.email)
    return [("uitnodiging.ics", ics, f"text/calendar; method={method}")]


@register_attachments(REMINDER)
def reminder_ics(notification: Notification):
    """The first reminder carries the event once more, for whoever lost it."""
    if not notification.context.get("with_calendar"):
        return []
    event = event_from_context(notification.context["event"])
    return [("afspraak.ics", to_ics([event], name=event.title, method="PUBLISH"), "text/calendar")]


# Reminders before every kind of appointment.


def _windows() -> list[tuple[int, int]]:
    """(hours before, until hours before): each reminder is due from its moment until the next
    one's, so a scan that was away for a while sends only the one that still makes sense."""
    hours = sorted(settings.REMINDER_APPOINTMENT_HOURS_BEFORE, reverse=True)
    return list(zip(hours, [*hours[1:], 0], strict=True))


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M")


def appointment_reminders(now: datetime) -> Iterable[reminders.Due]:
    first = max(settings.REMINDER_APPOINTMENT_HOURS_BEFORE)
    for kind in _kinds.values():
        content_type = ContentType.objects.get_for_model(kind.model)
        for hours, until in _windows():
            upcoming = kind.model.objects.filter(
                starts_at__gt=now + timedelta(hours=until),
                starts_at__lte=now + timedelta(hours=hours),
            )
            if kind.cancelled is not None:
                upcoming = upcoming.exclude(kind.cancelled)
            events = {a.pk: kind.event(a) for a in upcoming.select_related(*kind.related)}
            if not events:
                continue
            rows = kind.attendees(upcoming.order_by())
            for row in rows.iterator(chunk_size=2000):
                event = events.get(row["appointment"])
                if event is None:
                    continue
                yield reminders.Due(
                    recipient_id=row["person"],
                    email=row["email"],
                    language=row["language"],
                    about_type_id=content_type.pk,
                    about_id=row["appointment"],
                    occasion=f"{hours}h-{_stamp(event.starts_at)}",
                    context={
                        "event": event_to_context(event),
                        "hours": hours,
                        "with_calendar": hours == first,
                    },
                )


def appointment_still_due(notification: Notification) -> bool:
    """Still at the time the reminder names, and still taking place."""
    appointment = reminders.about(notification)
    if appointment is None or getattr(appointment, "is_cancelled", False):
        return False
    return appointment.starts_at == parse_datetime(notification.context["event"]["starts_at"])


reminders.register_reminder(
    REMINDER,
    label=_("Reminders before bijeenkomsten, intervisie and coaching sessions"),
    still_due=appointment_still_due,
    order=10,
)(appointment_reminders)
