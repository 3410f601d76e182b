"""Reads that pages need."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.utils import timezone

from portal import access
from portal.models import (
    CalendarFeed,
    Invitation,
    InvitationImport,
    Notification,
    ReminderOptOut,
    User,
)

# Each app adds the part of a person's data it holds: name -> function(user) -> JSON-able.
_export_sections: dict[str, Callable[[User], object]] = {}
# Every link from a model to the person ("app_label.Model.field") is either exported by a
# section or left out on purpose, with the reason; a test holds the two lists complete.
_export_covers: dict[str, str] = {}  # link -> the section that exports it
_export_excluded: dict[str, str] = {}  # link -> why it is not in the export


def register_export_section(name: str, *, covers: tuple[str, ...] = ()):
    """Add a section; ``covers`` names the links to the person it exports."""

    def decorator(function):
        _export_sections[name] = function
        for link in covers:
            _export_covers[link] = name
        return function

    return decorator


def exclude_from_export(link: str, *, reason: str) -> None:
    """Leave a link to the person out of the export on purpose, and say why."""
    if not reason.strip():
        raise ValueError(f"Say why {link} is not exported.")
    _export_excluded[link] = reason


def export_coverage() -> tuple[dict[str, str], dict[str, str]]:
    """(link -> section, link -> reason): what the export holds and what it leaves out."""
    return dict(_export_covers), dict(_export_excluded)


exclude_from_export(
    "admin.LogEntry.user",
    reason="The admin's audit trail of changes the programme office made to records, most "
    "of them other people's; kept for accountability and given on request, not self-service.",
)

for link in ("portal.AuditEvent.actor", "portal.AuditSubject.person"):
    exclude_from_export(
        link,
        reason="The audit trail (portal.audit): who signed in, changed or read what. Kept "
        "for security and shown to the person on their profile, not part of the export of "
        "what they themselves entered.",
    )


def iso(value):
    """A date or time for the JSON export; None stays None."""
    return value.isoformat() if value else None


def export_rows(objects, **columns: str) -> list[dict]:
    """One dict per object: each column reads the (dotted) attribute named, a date or time
    as ISO text."""

    def read(obj, path):
        for name in path.split("."):
            obj = getattr(obj, name)
        return iso(obj) if isinstance(obj, date) else obj

    return [{column: read(obj, path) for column, path in columns.items()} for obj in objects]


@register_export_section(
    "account",
    covers=("account.EmailAddress.user", "portal.UserRole.user", "portal.CalendarFeed.user"),
)
def _account(user: User):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "department": user.department,
        "preferred_language": user.preferred_language,
        "organisation": user.organisation.name if user.organisation else None,
        "roles": sorted(user.roles),
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        # When the agenda link was made, not its secret key: a key in a file can leak.
        "calendar_feed_since": iso(
            CalendarFeed.objects.filter(user=user).values_list("created_at", flat=True).first()
        ),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
    }


@register_export_section("second_factors", covers=("mfa.Authenticator.user",))
def _second_factors(user: User):
    # What kind and when, never the secret or the key material.
    return export_rows(
        Authenticator.objects.filter(user=user).order_by("created_at"),
        type="type",
        created_at="created_at",
        last_used_at="last_used_at",
    )


@register_export_section("sessions", covers=("usersessions.UserSession.user",))
def _sessions(user: User):
    # The signed-in sessions as the sessions page lists them; not their keys.
    return export_rows(
        UserSession.objects.filter(user=user).order_by("created_at"),
        ip_address="ip",
        browser="user_agent",
        signed_in_at="created_at",
        last_seen_at="last_seen_at",
    )


@register_export_section("linked_accounts", covers=("socialaccount.SocialAccount.user",))
def _linked_accounts(user: User):
    # The accounts of an organisation's identity provider linked to this one: which
    # provider and its id for the person, not the claims it sent.
    return export_rows(
        SocialAccount.objects.filter(user=user).order_by("date_joined"),
        provider="provider",
        id_at_provider="uid",
        linked_at="date_joined",
        last_sign_in="last_login",
    )


@register_export_section("invitation_received", covers=("portal.Invitation.accepted_user",))
def _invitation_received(user: User):
    return export_rows(
        Invitation.objects.filter(accepted_user=user).select_related("organisation"),
        invited_at="created_at",
        accepted_at="accepted_at",
        organisation="organisation.name",
    )


@register_export_section("invitations_sent", covers=("portal.Invitation.invited_by",))
def _invitations_sent(user: User):
    # Addresses the person typed in themselves; no further data of the invitees.
    return export_rows(
        Invitation.objects.filter(invited_by=user),
        email="email",
        invited_at="created_at",
        status="status",
    )


@register_export_section("invitation_imports", covers=("portal.InvitationImport.uploaded_by",))
def _invitation_imports(user: User):
    # The person's own act of uploading; the file's rows are the invitees' data.
    return export_rows(
        InvitationImport.objects.filter(uploaded_by=user),
        file_name="file_name",
        uploaded_at="created_at",
        state="state",
        invitations_sent="created_count",
    )


@register_export_section("reminders_turned_off", covers=("portal.ReminderOptOut.user",))
def _reminders_turned_off(user: User):
    return sorted(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


@register_export_section("notifications", covers=("portal.Notification.recipient",))
def _notifications(user: User):
    # What was sent to the person themselves, whoever asks (the programme office sees more).
    return export_rows(
        Notification.objects.filter(recipient=user),
        kind="kind",
        email="email",
        created_at="created_at",
        sent_at="sent_at",
        status="status",
    )


def user_data_export(user: User) -> dict:
    """Everything the portal holds about this person (AVG inzageverzoek)."""
    return {
        "exported_at": timezone.now().isoformat(),
        **{name: section(user) for name, section in _export_sections.items()},
    }


def invitations_for_page(user: User):
    return (
        access.visible(user, Invitation)
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_imports_for_page(user: User):
    return (
        access.visible(user, InvitationImport)
        .select_related("organisation", "uploaded_by")
        .defer("content")
    )


# What the outbox page shows of a message: never its context, which may carry confidential text.
# The recipient (an id) for the audit trail's record of whom the page named.
OUTBOX_COLUMNS = (
    "kind",
    "email",
    "recipient",
    "status",
    "created_at",
    "sent_at",
    "attempts",
    "last_error",
)


def outbox_for_page(user: User):
    """The outbox as this user may see it, newest first."""
    return access.visible(user, Notification).only(*OUTBOX_COLUMNS).order_by("-created_at", "-pk")


def outbox_kinds(user: User) -> list[str]:
    """The kinds of message in the outbox this user may see, for the filter."""
    kinds = access.visible(user, Notification).order_by("kind").values_list("kind", flat=True)
    return list(kinds.distinct())
