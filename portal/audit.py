"""The audit trail: who signed in or failed to, who changed a role or a second factor, who
was refused, who exported or read a named person's data.

Every record goes to the database (``AuditEvent``, append-only) and to the log as one JSON
object (logger ``portal.audit``). Neither holds a secret or confidential text: an action,
ids, a short label and the address the request came from. ``purge`` removes what is older
than ``AUDIT_RETENTION_DAYS``; nothing else may.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.models import AuditEvent, AuditSubject, Role, User

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
    event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail[:200],
        ip_address=client_address(request),
        outcome=outcome,
    )
    people = sorted({int(pk) for pk in subjects})
    _insert(event, people)
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


# The columns the statement of ``_insert`` writes, in its order.
_COLUMNS = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "detail",
    "ip_address",
    "outcome",
)


def _insert(event: AuditEvent, people: list[int]) -> None:
    """Save ``event`` with a subject row per person. On PostgreSQL in one statement: atomic
    without a savepoint, and one round trip whatever the number of people, so a page that
    records what it showed costs one query more, not three."""
    if not people:
        event.save()
        return
    if connection.vendor != "postgresql":
        with transaction.atomic():
            event.save()
            AuditSubject.objects.bulk_create(
                [AuditSubject(event=event, person_id=pk) for pk in people]
            )
        return
    values = [getattr(event, column) for column in _COLUMNS]
    with connection.cursor() as cursor:
        # Only identifiers are formatted in (the models' tables, the constant _COLUMNS);
        # every value is a parameter (B608).
        cursor.execute(
            f"""
            WITH event AS (
                INSERT INTO {AuditEvent._meta.db_table} ({", ".join(_COLUMNS)})
                VALUES (%s, %s, %s, %s, %s, %s, %s::inet, %s)
                RETURNING id
            ), subject AS (
                INSERT INTO {AuditSubject._meta.db_table} (event_id, person_id)
                SELECT event.id, person FROM event, unnest(%s::bigint[]) AS person
            )
            SELECT id FROM event
            """,  # nosec B608 # identifiers only, values are parameters
            [*values, people],
        )
        (event.pk,) = cursor.fetchone()
    event._state.adding = False
    event._state.db = connection.alias


# --- records of a request: what a page showed, exported or refused ---------------------


def page_name(request) -> str:
    """The URL name of the page (``hr:people``): never the path or the query, which may hold
    a token or what was searched for."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _list_of(model) -> tuple[str, str]:
    # A page's object: one object, or the list of a model (its label, no id).
    return (model._meta.label, "") if model is not None else ("", "")


def reads_personal_data(user) -> bool:
    """Whether ``user``'s pages of named people are recorded: HR and the programme office.
    A trainer's cohort or a coach's trajectories are theirs to run, not a look at people."""
    return bool(user and user.is_authenticated and user.has_role(Role.HR, Role.BEHEERDER))


def read(request, people: Iterable[int], *, obj=None, model=None) -> AuditEvent | None:
    """Record that HR or the programme office saw the data of ``people`` (ids) on the page
    of ``request``: one record per page view, a subject per person shown; ``obj`` is the
    page's object, or ``model`` the kind of rows a list showed. Nothing for other roles."""
    if not reads_personal_data(request.user):
        return None
    return _page_record(Action.PERSONAL_DATA_READ, request, people, obj=obj, model=model)


def exported(request, people: Iterable[int], *, obj=None, model=None) -> AuditEvent:
    """Record a file of data handed out on the page of ``request`` (by anyone), with the
    people in it (ids)."""
    return _page_record(Action.EXPORT, request, people, obj=obj, model=model)


def _page_record(action, request, people, *, obj, model) -> AuditEvent:
    object_type, object_id = _list_of(model)
    return record(
        action,
        actor=request.user,
        request=request,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        detail=page_name(request),
        subjects=people,
    )


def denied(request) -> AuditEvent:
    """Record a 403: who was refused which page (and the object's id when the address holds
    one)."""
    match = getattr(request, "resolver_match", None)
    pk = match.kwargs.get("pk") if match is not None else None
    return record(
        Action.PERMISSION_DENIED,
        actor=getattr(request, "user", None),
        request=request,
        object_id=pk if isinstance(pk, int) else "",
        detail=page_name(request),
        outcome=Outcome.REFUSED,
    )


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


# --- who is acting: for what signals record ------------------------------------------------


@dataclass(frozen=True)
class _Acting:
    actor: object  # None: the signed-in person of ``request``
    request: object


_current: ContextVar[_Acting | None] = ContextVar("audit_acting", default=None)


class AuditMiddleware:
    """Lets what is recorded by signal (a role change in the admin or by a service) name who
    made it and from where: the signed-in person of the request being served. Last in
    ``MIDDLEWARE``, where ``request.user`` is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_Acting(actor=None, request=request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


@contextlib.contextmanager
def acting(actor):
    """Inside this block, what signals record was done by ``actor``: a service that carries
    out someone's decision outside their request (the roles of an accepted invitation are
    the inviter's choice). No address: the request, if any, is not theirs."""
    token = _current.set(_Acting(actor=actor, request=None))
    try:
        yield
    finally:
        _current.reset(token)


def current_actor():
    """Who is acting now, for a record made by signal; None in the shell or a task."""
    current = _current.get()
    if current is None:
        return None
    if current.actor is not None:
        return current.actor
    return getattr(current.request, "user", None)


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
    # change comes from the request being served or a service's ``acting`` block (none in
    # the shell).
    current = _current.get()
    record(
        Action.ROLE_CHANGED,
        actor=current_actor(),
        request=current.request if current else None,
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
