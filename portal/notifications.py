"""Telling people things: an outbox row now, an e-mail once the transaction commits.

Every app calls ``notify``. The row is written in the caller's transaction, so a
rolled-back enrolment sends nothing; the send task is queued on commit and claims
the row with a conditional UPDATE, so two workers (or a retried task) never send
the same message twice. A beat task sweeps rows whose task was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from portal.models import Notification, User
from portal.queueing import enqueue

logger = logging.getLogger(__name__)

# A worker that claimed a row and then died leaves it claimed; after this long
# the sweep may hand it to another worker.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 8

# Set by ``muted()``: the demo replays months of history through the services, and
# nobody should get mail about it.
_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Within this block ``notify`` writes no outbox row, so nothing is ever sent."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify(
    recipient: User | str,
    kind: str,
    *,
    about=None,
    context: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Queue the e-mail ``kind`` for a person (or an address); None when already queued
    or when notifications are ``muted()``."""
    if _muted.get():
        return None
    if isinstance(recipient, User):
        user, email, language = recipient, recipient.email, recipient.preferred_language
    else:
        user, email, language = None, recipient, settings.LANGUAGE_CODE
    notification = Notification(
        recipient=user,
        email=email,
        kind=kind,
        context=context or {},
        language=language,
        dedupe_key=dedupe_key,
    )
    if about is not None:
        notification.about_type = ContentType.objects.get_for_model(about)
        notification.about_id = about.pk
    if dedupe_key:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    transaction.on_commit(lambda: enqueue("notification_send_task", notification.pk))
    return notification


# kind -> function(notification) -> [(filename, content, mimetype)], e.g. an ICS file
_attachment_builders: dict[str, Callable[[Notification], list[tuple[str, bytes, str]]]] = {}


def register_attachments(*kinds: str):
    def decorator(function):
        for kind in kinds:
            _attachment_builders[kind] = function
        return function

    return decorator


def render_notification(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for an outbox row, in the recipient's language."""
    context = {
        **notification.context,
        "recipient": notification.recipient,
        "email": notification.email,
        "about": notification.about,
        "notification_kind": notification.kind,
        "portal_url": settings.PORTAL_BASE_URL,
    }
    prefix = f"emails/{notification.kind}"
    with translation.override(notification.language):
        # A subject is plain text: "Aanspreken & afspreken" must not arrive as "&amp;".
        subject = get_template(f"{prefix}_subject.txt").template.render(
            Context(context, autoescape=False)
        )
        text = render_to_string(f"{prefix}_body.txt", context)
        html = render_to_string(f"{prefix}_body.html", context)
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.email]
    )
    message.attach_alternative(html, "text/html")
    builder = _attachment_builders.get(notification.kind)
    if builder is not None:
        for filename, content, mimetype in builder(notification):
            message.attach(filename, content, mimetype)
    return message


def notification_send(*, notification_id: int) -> bool:
    """Send one outbox row if nobody else has; True when this call sent it.

    A reminder waits while it is quiet (``reminders.is_quiet``) and is dropped when it is no
    longer true (its appointment moved or was cancelled). After ``MAX_ATTEMPTS`` failed
    sends the row is marked failed, for the programme office to look at and send again.
    """
    from portal import reminders  # reminders builds on this module

    now = timezone.now()
    kind = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.QUEUED)
        .values_list("kind", flat=True)
        .first()
    )
    if kind is None or (reminders.is_reminder(kind) and reminders.is_quiet(now)):
        return False  # sent, failed or dropped already; or a reminder that waits for the morning
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.QUEUED)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # another worker has it
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not reminders.still_due(notification):
        Notification.objects.filter(pk=notification_id).update(
            status=Notification.Status.DROPPED, claimed_at=None
        )
        return False
    try:
        render_notification(notification).send()
    except Exception as error:
        gave_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            status=Notification.Status.FAILED if gave_up else Notification.Status.QUEUED,
        )
        if gave_up:  # no retry: the programme office sends it again from the outbox page
            logger.error(
                "Gave up on notification %s after %s attempts", notification_id, MAX_ATTEMPTS
            )
            return False
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def notification_send_each(notification_ids: list[int]) -> int:
    """Send a batch (the reminder scan's); a row that fails is queued on its own, with retries."""
    sent = 0
    for notification_id in notification_ids:
        try:
            sent += notification_send(notification_id=notification_id)
        except Exception:
            logger.warning("Sending notification %s failed; retrying it alone", notification_id)
            enqueue("notification_send_task", notification_id)
    return sent


def notification_sweep() -> int:
    """Queue rows that were never sent (lost task, broker down); the number queued."""
    from portal import reminders

    now = timezone.now()
    stale = (
        Notification.objects.filter(status=Notification.Status.QUEUED)
        .filter(created_at__lt=now - timedelta(minutes=2))
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    )
    if reminders.is_quiet(now):
        stale = stale.exclude(kind__in=reminders.kind_names())
    ids = list(stale.values_list("pk", flat=True)[:500])
    for notification_id in ids:
        enqueue("notification_send_task", notification_id)
    return len(ids)
