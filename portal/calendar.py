"""A person's agenda as an ICS feed, gathered from every app.

Apps register a function that yields the person's events; the feed and the ICS
attachments of e-mails are built from the same ``CalendarEvent`` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from portal.models import Appointment, User


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across feeds and e-mails, so calendars update instead of duplicating
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    url: str = ""
    description: str = ""
    cancelled: bool = False
    sequence: int = 0  # the appointment's calendar version: a higher one replaces the entry

    @classmethod
    def of(cls, appointment: Appointment, *, kind: str, **details) -> CalendarEvent:
        """The event of an appointment: its times, its place (or else its online link) and a
        uid made of ``kind`` and its pk; ``details`` give the title and the rest."""
        return cls(
            uid=f"{kind}-{appointment.pk}@leerportaal",
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            location=appointment.location or appointment.online_url,
            sequence=appointment.sequence,
            **details,
        )


_event_sources: list[Callable[[User], Iterable[CalendarEvent]]] = []


def register_event_source(function):
    _event_sources.append(function)
    return function


def events_for(user: User) -> list[CalendarEvent]:
    events = [event for source in _event_sources for event in source(user)]
    return sorted(events, key=lambda event: event.starts_at)


def to_ics(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    method: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """An iCalendar file (RFC 5545) of these events; ``attendee``: the address it is sent to
    (an invitation, METHOD:REQUEST, names whom it invites)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Leerportaal//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        calendar.add("method", method)
    stamp = timezone.now()
    organizer = _organizer()
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", stamp)
        event.add("organizer", organizer)
        if attendee:
            invited = vCalAddress(f"mailto:{attendee}")
            invited.params["role"] = "REQ-PARTICIPANT"
            invited.params["rsvp"] = "FALSE"
            event.add("attendee", invited)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.description:
            event.add("description", item.description)
        cancelled = item.cancelled or method == "CANCEL"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def _organizer() -> vCalAddress:
    """The portal's sender address: calendars accept updates only from the organizer."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    return organizer
