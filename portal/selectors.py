"""Reads that pages need."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.utils import timezone

from portal import access
from portal.models import Invitation, InvitationImport, Notification, User

# Each app adds the part of a person's data it holds: name -> function(user) -> JSON-able.
_export_sections: dict[str, Callable[[User], object]] = {}


def register_export_section(name: str):
    def decorator(function):
        _export_sections[name] = function
        return function

    return decorator


def iso(value):
    """A date or time for the JSON export; None stays None."""
    return value.isoformat() if value else None


@register_export_section("account")
def _account(user: User):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "preferred_language": user.preferred_language,
        "organisation": user.organisation.name if user.organisation else None,
        "roles": sorted(user.roles),
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
    }


@register_export_section("invitation_received")
def _invitation_received(user: User):
    return [
        {
            "invited_at": iso(invitation.created_at),
            "accepted_at": iso(invitation.accepted_at),
            "organisation": invitation.organisation.name,
        }
        for invitation in Invitation.objects.filter(accepted_user=user).select_related(
            "organisation"
        )
    ]


@register_export_section("invitations_sent")
def _invitations_sent(user: User):
    # Addresses the person typed in themselves; no further data of the invitees.
    return [
        {
            "email": invitation.email,
            "invited_at": iso(invitation.created_at),
            "status": invitation.status,
        }
        for invitation in Invitation.objects.filter(invited_by=user)
    ]


@register_export_section("notifications")
def _notifications(user: User):
    return [
        {
            "kind": notification.kind,
            "email": notification.email,
            "created_at": iso(notification.created_at),
            "sent_at": iso(notification.sent_at),
        }
        for notification in access.visible(user, Notification)
    ]


def user_data_export(user: User) -> dict:
    """Everything the portal holds about this person (AVG inzageverzoek)."""
    return {
        "exported_at": timezone.now().isoformat(),
        **{name: section(user) for name, section in _export_sections.items()},
    }


def invitations_for_page(user: User):
    return access.visible(user, Invitation).select_related("organisation", "invited_by")


def invitation_imports_for_page(user: User):
    return (
        access.visible(user, InvitationImport)
        .select_related("organisation", "uploaded_by")
        .defer("content")
    )
