"""The evaluation e-mails, sent by the portal's reminder scan (``portal.reminders``).

``evaluation_invitation`` is essential (it always goes): each scan first invites, in bulk,
everyone who has something new to evaluate, then hands the scan the fresh invitations.
``evaluation_reminder`` can be turned off: a week after the invitation, and a week later
again, as long as the link is neither used nor expired. Both read a fixed number of
queries per scan, however many people are asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from evaluations.models import Invitation
from evaluations.services import invitations_create
from portal.reminders import Due, register_reminder

# An invitation's e-mail is handed to the scan for this long after it was made: the scan
# that made it writes it, and a scan that died in between is caught by the next one.
INVITATION_HANDOVER = timedelta(days=2)

_FIELDS = ("pk", "recipient_id", "recipient__email", "recipient__preferred_language", "created_at")


def _still_open(notification) -> bool:
    """Nothing to ask once the evaluation was answered or its link expired."""
    return Invitation.objects.open().filter(pk=notification.about_id).exists()


def _due(row: dict, occasion: str) -> Due:
    return Due(
        recipient_id=row["recipient_id"],
        email=row["recipient__email"],
        language=row["recipient__preferred_language"],
        about_type_id=ContentType.objects.get_for_model(Invitation).pk,
        about_id=row["pk"],
        occasion=occasion,
    )


def _open_rows(now: datetime, **created_at):
    """The open invitations (one query), as plain values."""
    return (
        Invitation.objects.open(now=now)
        .filter(recipient__is_active=True, **created_at)
        .order_by("pk")
        .values(*_FIELDS)
    )


@register_reminder(
    "evaluation_invitation",
    label=_("Evaluation invitations"),
    still_due=_still_open,
    essential=True,
    order=80,
)
def evaluation_invitations(now: datetime):
    invitations_create(now=now)
    for row in _open_rows(now, created_at__gt=now - INVITATION_HANDOVER):
        yield _due(row, "invitation")


@register_reminder(
    "evaluation_reminder",
    label=_("Reminders to fill in an evaluation"),
    still_due=_still_open,
    order=81,
)
def evaluation_reminders(now: datetime):
    """The latest reminder that has come due (1 after a week, 2 after two), never more than
    ``EVALUATION_REMINDER_MAX``: a scan that was away for a while sends one, not two."""
    interval = timedelta(days=settings.EVALUATION_REMINDER_INTERVAL_DAYS)
    for row in _open_rows(now, created_at__lte=now - interval):
        number = min((now - row["created_at"]) // interval, settings.EVALUATION_REMINDER_MAX)
        if number >= 1:
            yield _due(row, str(number))
