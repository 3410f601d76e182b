"""Every write of the core: invitations, accounts and roles."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit
from portal.models import (
    DEPARTMENT_MAX_LENGTH,
    CalendarFeed,
    Invitation,
    InvitationImport,
    Notification,
    Organisation,
    ReminderOptOut,
    Role,
    User,
    UserRole,
    validate_roles_for_organisation,
)
from portal.notifications import notify
from portal.queueing import enqueue

logger = logging.getLogger(__name__)


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
    department: str = "",
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
        department=department.strip(),
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
        department=invitation.department,
        organisation=invitation.organisation,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    # The roles are the inviter's choice: the audit trail names them as who gave them.
    with audit.acting(invitation.invited_by):
        user_set_roles(user=user, roles=invitation.roles)
    # The invitee proved the address by opening the link sent to it.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


CSV_HEADER_WORDS = {"email", "e-mail", "emailadres", "e-mailadres", "mail"}
# E-mail (254), two names (150 each) and a department (120) with quotes and separators fit
# well within this;
# a longer line is garbage, reported without handing it to the csv module.
CSV_MAX_LINE_CHARS = 2000


@dataclass(frozen=True)
class CsvRow:
    """One non-empty line of an uploaded file: a person to invite, or why not."""

    line: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    department: str = ""
    problem: str = ""  # an InvitationImport.Problem; empty for a good row
    message: str = ""


def _csv_cells(text: str, delimiter: str) -> list[str] | None:
    """The cells of one line, or None when the csv module cannot read it."""
    try:
        row = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:
        return None
    return [cell.strip() for cell in row]


def _csv_problem(line: int, problem: str, message: str) -> CsvRow:
    return CsvRow(line=line, problem=problem, message=message)


def invitation_csv_parse(data: bytes) -> list[CsvRow]:
    """Every non-empty line of the file, checked on its own; no database access.

    Empty lines (also lines of only separators) are skipped, a header line too.
    """
    problem = InvitationImport.Problem
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[tuple[int, str]] = []
    rows: list[CsvRow] = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            message = _(
                "This line contains characters that are not UTF-8. "
                'Save the file as "CSV UTF-8" and upload it again.'
            )
            rows.append(_csv_problem(number, problem.ENCODING, message))
    # Dutch spreadsheet programs write semicolons; others write commas.
    sample = "\n".join(text for _number, text in lines[:20])
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    seen: dict[str, int] = {}
    good = 0
    header_checked = False
    for number, text in lines:
        if len(text) > CSV_MAX_LINE_CHARS:
            message = _("This line is too long (more than %(max)s characters).") % {
                "max": CSV_MAX_LINE_CHARS
            }
            rows.append(_csv_problem(number, problem.UNREADABLE, message))
            continue
        cells = _csv_cells(text, delimiter)
        if cells is None:
            message = _("This line could not be read as CSV.")
            rows.append(_csv_problem(number, problem.UNREADABLE, message))
            continue
        if not any(cells):
            continue
        if not header_checked:
            header_checked = True
            if cells[0].lower() in CSV_HEADER_WORDS:
                continue
        if len(cells) < 3 or not cells[1] or not cells[2]:
            message = _(
                "Expected three columns: e-mail, first name, last name "
                "(and a fourth, department, if you like)."
            )
            rows.append(_csv_problem(number, problem.COLUMNS, message))
            continue
        if len(cells) > 4 and any(cells[4:]):
            message = _("Too many columns: expected e-mail, first name, last name and department.")
            rows.append(_csv_problem(number, problem.COLUMNS, message))
            continue
        email, first_name, last_name = cells[0].lower(), cells[1], cells[2]
        department = cells[3] if len(cells) > 3 else ""
        try:
            validate_email(email)
        except ValidationError:
            message = _('"%(email)s" is not a valid e-mail address.') % {"email": email[:254]}
            rows.append(_csv_problem(number, problem.EMAIL, message))
            continue
        if len(first_name) > 150 or len(last_name) > 150:
            message = _("A name is longer than 150 characters.")
            rows.append(_csv_problem(number, problem.NAME, message))
            continue
        if len(department) > DEPARTMENT_MAX_LENGTH:
            message = _("The department is longer than %(max)s characters (it has %(length)s).") % {
                "max": DEPARTMENT_MAX_LENGTH,
                "length": len(department),
            }
            rows.append(_csv_problem(number, problem.DEPARTMENT, message))
            continue
        if email in seen:
            message = _("%(email)s also appears on line %(line)s.") % {
                "email": email,
                "line": seen[email],
            }
            rows.append(_csv_problem(number, problem.REPEATED, message))
            continue
        seen[email] = number
        good += 1
        if good > settings.INVITATION_CSV_MAX_ROWS:
            message = _("At most %(max)s invitations per file.") % {
                "max": settings.INVITATION_CSV_MAX_ROWS
            }
            rows.append(_csv_problem(number, problem.LIMIT, message))
            continue
        rows.append(
            CsvRow(
                line=number,
                email=email,
                first_name=first_name,
                last_name=last_name,
                department=department,
            )
        )
    rows.sort(key=lambda row: row.line)
    return rows


def _invite_row(
    row: CsvRow, *, organisation: Organisation, roles, invited_by: User | None
) -> tuple[Invitation | None, str, str]:
    """Invite one parsed row: (invitation, "", "") or (None, problem, message)."""
    if row.problem:
        return None, row.problem, row.message
    try:
        invitation = invitation_create(
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            department=row.department,
            organisation=organisation,
            roles=roles,
            invited_by=invited_by,
        )
    except ValidationError as error:
        kind = (
            InvitationImport.Problem.EXISTING
            if error.code == "duplicate"
            else InvitationImport.Problem.OTHER
        )
        return None, kind, " ".join(error.messages)
    except DataError:  # something the checks above let through and the database refuses
        return None, InvitationImport.Problem.OTHER, _("This line could not be saved.")
    return invitation, "", ""


@dataclass
class CsvImportResult:
    created: list[Invitation] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def invitation_import_csv(
    *, data: bytes, organisation: Organisation, invited_by: User, roles=(Role.DEELNEMER,)
) -> CsvImportResult:
    """Invite every good row at once; for small lists in code (uploads run in the background)."""
    result = CsvImportResult()
    for row in invitation_csv_parse(data):
        invitation, _problem, message = _invite_row(
            row, organisation=organisation, roles=roles, invited_by=invited_by
        )
        if invitation:
            result.created.append(invitation)
        else:
            result.errors.append((row.line, message))
    return result


def invitation_import_start(
    *,
    data: bytes,
    file_name: str,
    organisation: Organisation,
    uploaded_by: User,
    roles=(Role.DEELNEMER,),
) -> InvitationImport:
    """Store an uploaded file and queue its import; ValidationError when it holds nobody."""
    if len(data) > settings.INVITATION_CSV_MAX_BYTES:  # the form says so first, in kB
        raise ValidationError(
            _("The file is too large (at most %(size)s kB).")
            % {"size": settings.INVITATION_CSV_MAX_BYTES // 1024},
            code="too_large",
        )
    rows = invitation_csv_parse(data)
    people = sum(row.problem in ("", InvitationImport.Problem.LIMIT) for row in rows)
    if people > settings.INVITATION_CSV_MAX_ROWS:
        # Refused whole, on the form: half a list invited is harder to finish than a split one.
        raise ValidationError(
            _(
                "The file holds %(count)s people; at most %(max)s per file. "
                "Split the list and upload each part."
            )
            % {"count": people, "max": settings.INVITATION_CSV_MAX_ROWS},
            code="too_many_rows",
        )
    total = len(rows)
    if not total:
        raise ValidationError(
            _("The file contains no people: every line is empty."), code="no_rows"
        )
    with transaction.atomic():
        job = InvitationImport.objects.create(
            organisation=organisation,
            uploaded_by=uploaded_by,
            file_name=file_name[:200],
            content=data,
            roles=sorted({str(role) for role in roles}),
            total_rows=total,
        )
        transaction.on_commit(lambda: enqueue("invitation_import_task", job.pk))
    return job


INVITATION_IMPORT_BATCH = 100
# A running import writes after every batch; silent this long, its worker is gone.
INVITATION_IMPORT_STALE = timedelta(minutes=10)
INVITATION_IMPORT_MAX_ATTEMPTS = 5


def _record(job: InvitationImport, row: CsvRow, problem: str, message: str) -> None:
    if problem == InvitationImport.Problem.EXISTING:
        job.existing_count += 1
    else:
        job.error_count += 1
    report = job.report
    lines = report.setdefault("lines", [])
    if len(lines) < InvitationImport.REPORT_LINES:
        lines.append([row.line, problem, message])
    kinds = report.setdefault("kinds", {})
    kinds[problem] = kinds.get(problem, 0) + 1


def _import_batch(import_id: int, rows: list[CsvRow]) -> InvitationImport:
    """Invite the next batch and move the cursor, in one transaction: all of it or none."""
    with transaction.atomic():
        job = (
            InvitationImport.objects.select_for_update(of=("self",))
            .select_related("organisation", "uploaded_by")
            .get(pk=import_id)
        )
        if job.is_finished:
            return job
        batch = rows[job.processed_rows : job.processed_rows + INVITATION_IMPORT_BATCH]
        for row in batch:
            invitation, problem, message = _invite_row(
                row, organisation=job.organisation, roles=job.roles, invited_by=job.uploaded_by
            )
            if invitation:
                job.created_count += 1
            else:
                _record(job, row, problem, message)
        job.processed_rows += len(batch)
        job.updated_at = timezone.now()
        if job.processed_rows >= job.total_rows:
            job.state = InvitationImport.State.DONE
            job.finished_at = job.updated_at
            job.content = b""  # the invitations hold what is needed; keep no copy of the list
        job.save()
        return job


def invitation_import_run(*, import_id: int) -> InvitationImport:
    """Work through the rows not yet done; harmless to run twice, resumes after a crash."""
    with transaction.atomic():
        job = InvitationImport.objects.select_for_update().get(pk=import_id)
        if job.is_finished:
            return job
        job.state = InvitationImport.State.RUNNING
        job.attempts += 1
        job.updated_at = timezone.now()
        job.save(update_fields=["state", "attempts", "updated_at"])
    language = job.uploaded_by.preferred_language if job.uploaded_by else settings.LANGUAGE_CODE
    with translation.override(language):
        rows = invitation_csv_parse(bytes(job.content))
        try:
            while not job.is_finished:
                job = _import_batch(import_id, rows)
        except Exception as error:
            InvitationImport.objects.filter(pk=import_id).update(
                last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            raise
    return job


def invitation_import_sweep() -> int:
    """Queue imports whose task was lost (broker down, worker died); the number queued."""
    now = timezone.now()
    state = InvitationImport.State
    stale = InvitationImport.objects.filter(
        Q(state=state.QUEUED, created_at__lt=now - timedelta(minutes=2))
        | Q(state=state.RUNNING, updated_at__lt=now - INVITATION_IMPORT_STALE)
    )
    # Whatever keeps failing would fail again: stop, and let the page say how far it got.
    stale.filter(attempts__gte=INVITATION_IMPORT_MAX_ATTEMPTS).update(
        state=state.FAILED, finished_at=now, content=b""
    )
    ids = list(
        stale.filter(attempts__lt=INVITATION_IMPORT_MAX_ATTEMPTS).values_list("pk", flat=True)[:100]
    )
    for import_id in ids:
        enqueue("invitation_import_task", import_id)
    return len(ids)


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


@transaction.atomic
def user_set_department(*, person: User, department: str) -> User:
    """The department HR gave one of their people; empty for none."""
    person.department = " ".join(department.split())
    person.save(update_fields=["department"])
    return person


def reminder_preferences_set(*, user: User, wanted) -> None:
    """Keep the reminders in ``wanted`` and turn off the other kinds that can be turned off."""
    from portal import reminders

    turned_off = {kind.name for kind in reminders.optional_kinds()} - set(wanted)
    ReminderOptOut.objects.filter(user=user).exclude(kind__in=turned_off).delete()
    ReminderOptOut.objects.bulk_create(
        [ReminderOptOut(user=user, kind=kind) for kind in sorted(turned_off)],
        ignore_conflicts=True,
    )


def calendar_feed_for(user: User) -> CalendarFeed:
    """The person's feed, made the first time they ask for it."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, feed: CalendarFeed) -> CalendarFeed:
    """A new secret link; the old one stops working (a leaked link is closed this way)."""
    feed.token = CalendarFeed._meta.get_field("token").default()
    feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def notification_resend(*, notification: Notification, by: User) -> Notification:
    """Put a failed message back in the outbox with fresh attempts; it is queued on commit."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if not notification.has_failed:
        raise ValidationError(
            _("Only a message that failed can be sent again; this one is: %(status)s.")
            % {"status": notification.get_status_display()}
        )
    notification.status = Notification.Status.QUEUED
    notification.attempts = 0
    notification.claimed_at = None
    notification.save(update_fields=["status", "attempts", "claimed_at"])
    logger.info("%s sends notification %s again", by.email, notification.pk)
    transaction.on_commit(lambda: enqueue("notification_send_task", notification.pk))
    return notification
