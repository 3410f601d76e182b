"""Every write of the core: invitations, accounts and roles."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import (
    CalendarFeed,
    Invitation,
    Organisation,
    Role,
    User,
    UserRole,
    validate_roles_for_organisation,
)
from portal.notifications import notify


def user_set_roles(*, user: User, roles) -> None:
    """Give a person exactly these roles."""
    roles = set(roles)
    validate_roles_for_organisation(roles, user.organisation)
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)


def _invitation_problem(email: str) -> str | None:
    if User.objects.filter(email__iexact=email).exists():
        return _("%(email)s already has an account.") % {"email": email}
    if Invitation.objects.filter(email__iexact=email, accepted_at=None, revoked_at=None).exists():
        return _("%(email)s has already been invited.") % {"email": email}
    return None


def _send_invitation(invitation: Invitation) -> None:
    notify(
        invitation.email,
        "invitation",
        about=invitation,
        context={
            "first_name": invitation.first_name,
            "organisation": invitation.organisation.name,
            "invited_by": str(invitation.invited_by) if invitation.invited_by else "",
            "accept_url": settings.PORTAL_BASE_URL
            + reverse("portal:invitation-accept", args=[invitation.token]),
            "expires_at": timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y"),
        },
    )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    roles,
    invited_by: User,
) -> Invitation:
    """Invite a person by e-mail; raises ValidationError for a known address or a wrong role."""
    email = email.strip().lower()
    roles = sorted(set(roles)) or [Role.DEELNEMER.value]
    validate_roles_for_organisation(roles, organisation)
    problem = _invitation_problem(email)
    if problem:
        raise ValidationError(problem, code="duplicate")
    invitation = Invitation(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
        roles=roles,
        invited_by=invited_by,
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # a parallel request invited the same address
        raise ValidationError(
            _("%(email)s has already been invited.") % {"email": email}, code="duplicate"
        ) from None
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A fresh link and a fresh expiry date; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.token = Invitation._meta.get_field("token").default()
    invitation.created_at = timezone.now()
    invitation.expires_at = None
    invitation.save()
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(Exception):
    """The link was used, revoked or has expired; ``message`` says which, in Dutch."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invitation_check(invitation: Invitation) -> None:
    """Raise InvitationUnusable with a clear message when the link cannot be used."""
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise InvitationUnusable(
            _(
                "This invitation has already been used. "
                "Sign in with your e-mail address and password."
            )
        )
    if status == Invitation.Status.REVOKED:
        raise InvitationUnusable(_("This invitation has been withdrawn."))
    if status == Invitation.Status.EXPIRED:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the person who invited you for a new one.")
        )


@transaction.atomic
def invitation_accept(*, token: str, password: str, first_name: str, last_name: str) -> User:
    """Create the account of an invitee; the link works once."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(token=token)
    )
    invitation_check(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationUnusable(
            _("An account with this e-mail address already exists. Sign in instead.")
        )
    user = User(
        email=invitation.email,
        first_name=first_name.strip() or invitation.first_name,
        last_name=last_name.strip() or invitation.last_name,
        organisation=invitation.organisation,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    user_set_roles(user=user, roles=invitation.roles)
    # The invitee proved the address by opening the link sent to it.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


@dataclass
class CsvImportResult:
    created: list[Invitation] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


CSV_HEADER_WORDS = {"email", "e-mail", "emailadres", "e-mailadres", "mail"}
# E-mail (254) and two names (150 each) with quotes and separators fit well within this;
# a longer line is garbage, reported without handing it to the csv module (which
# gives up past 131,072 characters in a field).
CSV_MAX_LINE_CHARS = 2000


def _csv_lines(data: bytes, result: CsvImportResult) -> list[tuple[int, str]]:
    """Decode line by line, so one badly encoded line does not sink the file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = []
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            result.errors.append(
                (
                    number,
                    _(
                        "This line contains characters that are not UTF-8. "
                        'Save the file as "CSV UTF-8" and upload it again.'
                    ),
                )
            )
    return lines


def _delimiter(lines: list[tuple[int, str]]) -> str:
    # Dutch spreadsheet programs write semicolons; others write commas.
    sample = "\n".join(text for _number, text in lines[:20])
    return ";" if sample.count(";") > sample.count(",") else ","


def invitation_import_csv(
    *, data: bytes, organisation: Organisation, invited_by: User, roles=(Role.DEELNEMER,)
) -> CsvImportResult:
    """Invite every good row (e-mail, first name, last name); report bad rows by line."""
    result = CsvImportResult()
    lines = _csv_lines(data, result)
    delimiter = _delimiter(lines)
    seen: dict[str, int] = {}
    for number, text in lines:
        if len(text) > CSV_MAX_LINE_CHARS:
            result.errors.append(
                (
                    number,
                    _("This line is too long (more than %(max)s characters).")
                    % {"max": CSV_MAX_LINE_CHARS},
                )
            )
            continue
        try:
            row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        except csv.Error:
            result.errors.append((number, _("This line could not be read as CSV.")))
            continue
        cells = [cell.strip() for cell in row]
        if not any(cells):
            result.errors.append((number, _("Empty line.")))
            continue
        if number == lines[0][0] and cells[0].lower() in CSV_HEADER_WORDS:
            continue  # header row
        if len(cells) < 3 or not cells[1] or not cells[2]:
            result.errors.append(
                (number, _("Expected three columns: e-mail, first name, last name."))
            )
            continue
        if len(cells) > 3 and any(cells[3:]):
            result.errors.append(
                (number, _("Too many columns: expected e-mail, first name, last name."))
            )
            continue
        email, first_name, last_name = cells[0].lower(), cells[1], cells[2]
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                (number, _('"%(email)s" is not a valid e-mail address.') % {"email": email})
            )
            continue
        if len(first_name) > 150 or len(last_name) > 150:
            result.errors.append((number, _("A name is longer than 150 characters.")))
            continue
        if email in seen:
            result.errors.append(
                (
                    number,
                    _("%(email)s also appears on line %(line)s.")
                    % {"email": email, "line": seen[email]},
                )
            )
            continue
        seen[email] = number
        if len(result.created) >= settings.INVITATION_CSV_MAX_ROWS:
            result.errors.append(
                (
                    number,
                    _("At most %(max)s invitations per file.")
                    % {"max": settings.INVITATION_CSV_MAX_ROWS},
                )
            )
            continue
        try:
            invitation = invitation_create(
                email=email,
                first_name=first_name,
                last_name=last_name,
                organisation=organisation,
                roles=roles,
                invited_by=invited_by,
            )
        except ValidationError as error:
            result.errors.append((number, " ".join(error.messages)))
            continue
        result.created.append(invitation)
    result.errors.sort()
    return result


@transaction.atomic
def profile_update(
    *, user: User, first_name: str, last_name: str, job_title: str, preferred_language: str
) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.job_title = job_title.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["first_name", "last_name", "job_title", "preferred_language"])
    return user


def calendar_feed_reset(*, feed: CalendarFeed) -> CalendarFeed:
    """A new secret link; the old one stops working (a leaked link is closed this way)."""
    feed.token = CalendarFeed._meta.get_field("token").default()
    feed.save(update_fields=["token"])
    return feed
