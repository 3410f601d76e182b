"""The invitation to a planned intervisie session carries it as a calendar file."""

from intervisie.calendar import session_event
from portal.calendar import to_ics
from portal.notifications import register_attachments


@register_attachments("intervisie_session_planned")
def session_ics(notification):
    session = notification.about
    if session is None:
        return []
    ics = to_ics([session_event(session)], name=session.group.name, method="PUBLISH")
    return [("intervisie.ics", ics, "text/calendar")]
