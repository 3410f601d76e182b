"""The audit trail: who signed in or failed to, who changed a role or a second factor, who
was refused, who exported or read a named person's data.

Every record goes to the database (``AuditEvent``, append-only) and to the log as one JSON
object (logger ``portal.audit``). Neither holds a secret or confidential text: an action,
ids, a short label and the address the request came from. ``purge`` removes what is older
than ``AUDIT_RETENTION_DAYS``; nothing else may.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.models import AuditEvent, AuditSubject, User

logger = logging.getLogger("portal.audit")

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome


def client_address(request) -> str | None:
    """The address the request came from, as the rate limits count it; None when there
    is no request or no valid address (a record is never refused for want of one)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # allauth's answer to a request without an address
        address = request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(
    action: str,
    *,
    actor=None,
    request=None,
    obj=None,
    object_type: str = "",
    object_id="",
    detail: str = "",
    subjects: Iterable[int] = (),
    outcome: str = Outcome.SUCCESS,
) -> AuditEvent:
    """Write one record. ``obj`` names the object (its model label and pk); ``subjects``
    are the ids of the people whose data it is about."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type, object_id = obj._meta.label, obj.pk
    event = AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail[:200],
        ip_address=client_address(request),
        outcome=outcome,
    )
    people = sorted({int(pk) for pk in subjects})
    if people:
        AuditSubject.objects.bulk_create([AuditSubject(event=event, person_id=pk) for pk in people])
    logger.info(
        "audit %s",
        action,
        extra={
            "audit": {
                "id": event.pk,
                "at": event.at.isoformat(),
                "actor": event.actor_id,
                "action": action,
                "object_type": object_type,
                "object_id": event.object_id,
                "detail": event.detail,
                "ip": event.ip_address,
                "outcome": outcome,
                "subjects": len(people),
            }
        },
    )
    return event


def about(person) -> QuerySet[AuditEvent]:
    """What is recorded about ``person``: their own sign-ins and changes, and who read
    their data. Newest first."""
    read = AuditSubject.objects.filter(event=OuterRef("pk"), person=person)
    return AuditEvent.objects.filter(Q(actor=person) | Q(Exists(read)))


def purge(*, now=None) -> int:
    """Remove the records older than ``AUDIT_RETENTION_DAYS``; the number removed. The
    only delete the database allows (``portal.audit_purge``, for this transaction only)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        try:
            old = AuditEvent.objects.filter(at__lt=cutoff)
            AuditSubject.objects.filter(event__in=old).delete()
            # A raw delete: AuditEvent.delete() refuses, as it should for anything else.
            removed = old._raw_delete(old.db)
        finally:
            # Switched off again at once: called inside a longer transaction, SET LOCAL
            # would otherwise allow deletes until that one ends.
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL portal.audit_purge = 'off'")
    if removed:
        logger.info("audit purge", extra={"audit": {"action": "purge", "removed": removed}})
    return removed


# --- what is recorded by signal ------------------------------------------------------------


def signed_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, actor=user, request=request)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        # Why, when the portal ended the session itself (idle, too long).
        reason = getattr(request, "sign_out_reason", "")
        record(Action.SIGN_OUT, actor=user, request=request, detail=reason)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # The account tried, when there is one; never what was typed: a password typed into
    # the e-mail field would otherwise be kept.
    email = credentials.get("email") or credentials.get("username") or ""
    account = User.objects.filter(email__iexact=email).first() if email else None
    record(
        Action.SIGN_IN_FAILED,
        request=request,
        object_type=User._meta.label if account else "",
        object_id=account.pk if account else "",
        subjects=[account.pk] if account else [],
        outcome=Outcome.REFUSED,
    )


def role_granted(sender, instance, **kwargs):
    _role_changed(instance, "+")


def role_taken_away(sender, instance, **kwargs):
    _role_changed(instance, "-")


def _role_changed(role, sign: str) -> None:
    # From a signal, so the admin, the services and the shell all count; who made the
    # change is not known here.
    record(
        Action.ROLE_CHANGED,
        object_type=User._meta.label,
        object_id=role.user_id,
        detail=f"{sign}{role.role}",
        subjects=[role.user_id],
    )


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from django.contrib.auth.signals import user_logged_out, user_login_failed
    from django.db.models.signals import post_delete, post_save

    from portal.models import UserRole

    user_logged_in.connect(signed_in, dispatch_uid="audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit.sign_in_failed")
    post_save.connect(role_granted, sender=UserRole, dispatch_uid="audit.role_saved")
    post_delete.connect(role_taken_away, sender=UserRole, dispatch_uid="audit.role_deleted")
