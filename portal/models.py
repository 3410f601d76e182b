import secrets
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def actor_field(verbose_name) -> models.ForeignKey:
    """Who did something (recorded, started, cancelled it): the row outlives their account,
    and nobody needs the way back from a person to everything they touched."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def field_is(name: str, value) -> property:
    """A property saying whether the field ``name`` holds ``value``: what pages ask
    (``enrolment.is_waitlisted``) instead of comparing state strings."""
    return property(lambda obj: getattr(obj, name) == value)


# Sent after a save that created an appointment or changed what calendars show;
# ``before`` is the calendar state as loaded (None for a new one).
calendar_changed = Signal()


class Appointment(models.Model):
    """Something in a calendar: a bijeenkomst, an intervisie session, a slot in a poll.

    ``sequence`` is the calendar version (RFC 5545 SEQUENCE): every save that changes
    what a calendar shows (``CALENDAR_FIELDS``: the time, the place, a cancellation)
    raises it by one, whatever route saved it (a service, a staff page, the admin), so a
    calendar that gets the event again replaces its entry instead of keeping the old one.
    """

    # What a calendar entry shows; a cancellation (``is_cancelled``) counts too.
    CALENDAR_FIELDS: tuple[str, ...] = ("starts_at", "ends_at", "location", "online_url")

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    sequence = models.PositiveIntegerField(_("calendar version"), default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="%(class)s_ends_after_start"
            ),
        ]

    def save(self, *args, **kwargs):
        created = self._state.adding
        update_fields = kwargs.get("update_fields")
        # Only what this save writes can change the calendar ("status": a cancellation).
        writes_calendar = update_fields is None or not {
            *self.CALENDAR_FIELDS,
            "status",
        }.isdisjoint(update_fields)
        loaded = getattr(self, "_calendar_as_loaded", None)
        changed = writes_calendar and loaded is not None and loaded != self._calendar_state()
        if changed:
            # Raised in the database, so two saves at once give two versions.
            self.sequence = models.F("sequence") + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        if changed:
            self.refresh_from_db(fields=["sequence"])
        if writes_calendar:
            self._calendar_as_loaded = self._calendar_state()
        if created or changed:
            # portal.appointments tells the people concerned (their calendars update).
            calendar_changed.send(
                sender=type(self), appointment=self, created=created, before=loaded
            )

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end is not after the start.")})

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @classmethod
    def from_db(cls, db, field_names, values):
        appointment = super().from_db(db, field_names, values)
        # Only a fully loaded row is compared (reading a deferred field would query).
        if not appointment.get_deferred_fields():
            appointment._calendar_as_loaded = appointment._calendar_state()
        return appointment

    def _calendar_state(self) -> tuple:
        fields = tuple(getattr(self, name) for name in self.CALENDAR_FIELDS)
        return (*fields, getattr(self, "is_cancelled", False))


class StateChange(models.Model):
    """One row of an audit trail: a state change of something, who made it, when and why.

    A subclass adds the foreign key to what changed and its two state fields from
    ``StateChange.state_fields(TheModel.State)``.
    """

    by = actor_field(_("by"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display() or '–'} → {self.get_to_state_display()}"

    @staticmethod
    def state_fields(states: type[models.TextChoices]) -> tuple[models.CharField, models.CharField]:
        """``from_state`` (empty for the first row) and ``to_state``, one of ``states``."""
        return (
            models.CharField(
                max_length=20, choices=states.choices, blank=True, verbose_name=_("from")
            ),
            models.CharField(max_length=20, choices=states.choices, verbose_name=_("to")),
        )


class Role(models.TextChoices):
    DEELNEMER = "deelnemer", _("Participant")
    TRAINER = "trainer", _("Trainer")
    COACH = "coach", _("Coach")
    HR = "hr", _("HR")
    BEHEERDER = "beheerder", _("Programme office")


# These roles work for the training provider; their access comes from what they
# are assigned to, never from sharing an organisation with participants.
PROVIDER_ROLES = frozenset({Role.TRAINER, Role.COACH, Role.BEHEERDER})


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        if user.is_beheerder:
            return self.all()
        return self.filter(pk=user.organisation_id)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Municipality")
        PROVINCIE = "provincie", _("Province")
        WATERSCHAP = "waterschap", _("Water board")
        OMGEVINGSDIENST = "omgevingsdienst", _("Environmental service")
        RIJKSOVERHEID = "rijksoverheid", _("Central government")
        OPLEIDER = "opleider", _("Training provider")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.OPLEIDER


# A department (afdeling) of a person or an invitation: free text, since every
# municipality cuts its organisation differently.
DEPARTMENT_MAX_LENGTH = 120


class UserQuerySet(models.QuerySet):
    def for_user(self, user):
        """People a user may look up: beheerder all, HR their organisation, others themselves."""
        if user.is_beheerder:
            return self.all()
        if user.is_hr:
            return self.filter(organisation_id=user.organisation_id)
        return self.filter(pk=user.pk)

    def with_role(self, role):
        return self.filter(role_rows__role=role)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        user = self._create_user(email, password, **extra_fields)
        UserRole.objects.get_or_create(user=user, role=Role.BEHEERDER)
        return user


def full_name(first_name: str, last_name: str) -> str:
    """``User.get_full_name`` from the two names, for lists that read them as plain values."""
    return f"{first_name} {last_name}".strip()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    # Set by the organisation's HR (or the CSV invite) so it can read its figures per
    # department; free text, since every municipality cuts its organisation differently.
    department = models.CharField(_("department"), max_length=DEPARTMENT_MAX_LENGTH, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return full_name(self.first_name, self.last_name)

    def get_short_name(self):
        return self.first_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_rows.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return self.is_active and bool(self.roles.intersection(roles))

    @property
    def is_beheerder(self) -> bool:
        return self.has_role(Role.BEHEERDER)

    @property
    def is_hr(self) -> bool:
        return self.has_role(Role.HR)

    @property
    def is_staff(self) -> bool:
        """The Django admin is the beheerder's tool."""
        return self.is_beheerder

    def has_perm(self, perm, obj=None):
        # Refused even to a superuser: the admin never opens what DOMAIN.md keeps from the
        # programme office; the people it belongs to reach it through the portal's pages.
        if perm in CONFIDENTIAL_PERMISSIONS:
            return False
        if self.is_beheerder:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_beheerder or super().has_module_perms(app_label)

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]


# Model permissions nobody holds through the admin: those of the models DOMAIN.md keeps
# from the programme office (a leerlog, intervisie content, a coach's notes). Filled at
# start-up from each app's classification (portal/confidential.py).
CONFIDENTIAL_PERMISSIONS: set[str] = set()


class UserRole(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_rows", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.get_role_display()


def validate_roles_for_organisation(roles, organisation) -> None:
    """Trainers, coaches and beheerders work for the training provider."""
    provider_roles = PROVIDER_ROLES.intersection(roles)
    if provider_roles and (organisation is None or not organisation.is_provider):
        labels = ", ".join(str(Role(role).label) for role in sorted(provider_roles))
        raise ValidationError(
            _("The roles %(roles)s are only for people of the training provider.")
            % {"roles": labels},
            code="provider_role",
        )


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def for_user(self, user):
        if user.is_beheerder:
            return self.all()
        if user.is_hr:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def pending(self):
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    # Given to the account when the invitation is accepted (the CSV invite's fourth column).
    department = models.CharField(_("department"), max_length=DEPARTMENT_MAX_LENGTH, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    roles = models.JSONField(_("roles"), default=list)
    token = models.CharField(
        max_length=64, unique=True, default=_new_invitation_token, verbose_name=_("secret key")
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    accepted_user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address; a re-upload of the same list adds nothing.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at=None, revoked_at=None),
                name="one_open_invitation_per_email",
            ),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(days=settings.INVITATION_VALID_DAYS)
        super().save(*args, **kwargs)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_open(self) -> bool:
        """Not used nor withdrawn: it may still be sent again or withdrawn (expired too)."""
        return self.status in {self.Status.PENDING, self.Status.EXPIRED}

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]


class InvitationImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The same people who see the invitations see the imports that made them."""
        if user.is_beheerder:
            return self.all()
        if user.is_hr:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class InvitationImport(models.Model):
    """A CSV file of people to invite, worked through by a background task in batches.

    ``processed_rows`` is committed with each batch's invitations, so a task that
    dies halfway resumes after the last finished batch and invites nobody twice.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Problem(models.TextChoices):
        """Why a line was not invited; counted per kind beyond the lines reported in full."""

        EXISTING = "existing", _("already invited or has an account")
        ENCODING = "encoding", _("not UTF-8")
        UNREADABLE = "unreadable", _("could not be read")
        COLUMNS = "columns", _("wrong number of columns")
        EMAIL = "email", _("invalid e-mail address")
        NAME = "name", _("name too long")
        DEPARTMENT = "department", _("department too long")
        REPEATED = "repeated", _("appears earlier in the file")
        LIMIT = "limit", _("over the maximum per file")
        OTHER = "other", _("other problem")

    # Lines reported in full on the page; beyond this only counts per kind.
    REPORT_LINES = 100

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitation_imports",
        verbose_name=_("organisation"),
    )
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitation_imports",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    # Bounded by INVITATION_CSV_MAX_BYTES at upload; emptied once the import is finished.
    content = models.BinaryField(_("content"))
    roles = models.JSONField(_("roles"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("invitations sent"), default=0)
    existing_count = models.PositiveIntegerField(_("already invited"), default=0)
    error_count = models.PositiveIntegerField(_("lines with errors"), default=0)
    # {"lines": [[line, kind, message], ...] (the first REPORT_LINES), "kinds": {kind: count}}
    report = models.JSONField(_("report"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = InvitationImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="invitationimport_processed_within_total",
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="invitationimport_state_idx")]
        verbose_name = _("invitation import")
        verbose_name_plural = _("invitation imports")

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def has_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return self.processed_rows * 100 // self.total_rows

    def report_lines(self) -> list[tuple[int, str]]:
        return [(line, message) for line, _kind, message in self.report.get("lines", [])]

    def unreported_kinds(self) -> list[tuple[str, int]]:
        """Problems beyond the lines shown in full: (label, count), most frequent first."""
        shown: dict[str, int] = {}
        for _line, kind, _message in self.report.get("lines", []):
            shown[kind] = shown.get(kind, 0) + 1
        rest = []
        for kind, count in self.report.get("kinds", {}).items():
            count -= shown.get(kind, 0)
            if count > 0:
                label = self.Problem(kind).label if kind in self.Problem.values else kind
                rest.append((label, count))
        return sorted(rest, key=lambda item: -item[1])

    def unreported_count(self) -> int:
        return sum(count for _label, count in self.unreported_kinds())


class Notification(models.Model):
    """Outbox row: one message to one person, written in the caller's transaction."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        # Gave up after MAX_ATTEMPTS; the programme office can send it again.
        FAILED = "failed", _("Failed")
        # No longer true when its turn came (a reminder of a moved or cancelled appointment).
        DROPPED = "dropped", _("No longer needed")

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(verbose_name=_("e-mail address"))
    kind = models.CharField(max_length=80, verbose_name=_("kind"))
    about_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("about (kind)")
    )
    about_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("about (number)")
    )
    about = GenericForeignKey("about_type", "about_id")
    context = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    language = models.CharField(max_length=8, default="nl", verbose_name=_("language"))
    # Set for messages that must reach a person at most once (a reminder).
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, verbose_name=_("once-only key")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.kind} → {self.email}"

    is_queued = field_is("status", Status.QUEUED)
    has_failed = field_is("status", Status.FAILED)


class ReminderOptOut(models.Model):
    """A person does not want this kind of reminder (only kinds that are not essential)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reminder_opt_outs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind of reminder"), max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
        ]
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")

    def __str__(self):
        return f"{self.user}: {self.kind}"


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's subscribable agenda: the secret token in the URL is the key."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(
        max_length=64, unique=True, default=_new_calendar_token, verbose_name=_("secret key")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"


class AuditEvent(models.Model):
    """One thing that happened to an account or to personal data: who did what, to which
    object, when, from where, and whether it succeeded (BIO). Never a secret, never
    confidential text: an action, ids and a short label.

    Append-only for the application: on PostgreSQL a trigger refuses UPDATE, and DELETE
    but in ``portal.audit.purge``; the model refuses both as well."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        MFA_CHANGED = "mfa_changed", _("Two-factor authentication changed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        PERMISSION_DENIED = "permission_denied", _("Access refused")
        EXPORT = "export", _("Data exported")
        PERSONAL_DATA_READ = "personal_data_read", _("Personal data viewed")
        RETENTION_APPLIED = "retention_applied", _("Personal data removed after retention")
        RETENTION_POSTPONED = "retention_postponed", _("Retention postponed")
        PLANNING_CHANGED = "planning_changed", _("Planning changed")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        REFUSED = "refused", _("Refused")

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("when"))
    # No constraint: a record outlives the account it names, and is never changed for it.
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(max_length=32, choices=Action.choices, verbose_name=_("what"))
    object_type = models.CharField(max_length=100, blank=True, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("object"))
    detail = models.CharField(max_length=200, blank=True, verbose_name=_("detail"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("from"))
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS, verbose_name=_("outcome")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The audit trail cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit trail cannot be changed."))


class AuditSubject(models.Model):
    """A person whose data an ``AuditEvent`` is about: what "who looked at my data" reads."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("record")
    )
    person = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_subject_per_event")
        ]
        indexes = [models.Index(fields=["person", "event"])]
        verbose_name = _("person in an audit record")
        verbose_name_plural = _("people in audit records")

    def __str__(self):
        return f"{self.event_id}: {self.person_id}"
