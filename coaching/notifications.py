"""A planned or cancelled coaching session travels as a calendar file."""

from coaching.calendar import session_event
from portal.calendar import to_ics
from portal.notifications import register_attachments


@register_attachments("coaching_session_planned", "coaching_session_cancelled")
def session_ics(notification):
    session = notification.about
    if session is None:
        return []
    cancelled = notification.kind == "coaching_session_cancelled"
    ics = to_ics(
        [session_event(session)], name="Coaching", method="CANCEL" if cancelled else "PUBLISH"
    )
    return [("coaching.ics", ics, "text/calendar")]
