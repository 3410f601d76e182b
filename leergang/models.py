import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import Appointment, StateChange, actor_field, field_is

REFLECTION_MAX_LENGTH = 10_000
MATERIAL_EXTENSIONS = [
    "pdf",
    "docx",
    "pptx",
    "xlsx",
    "odt",
    "odp",
    "ods",
    "txt",
    "png",
    "jpg",
    "jpeg",
]
# The module in which participants get their Insights profile (their colour energies).
INSIGHTS_MODULE_SLUG = "insights"


class Module(models.Model):
    """A building block reused across leergangen (Insights, Alliantiekunde, ...)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    learning_goals = models.TextField(
        _("learning goals"), blank=True, help_text=_("One learning goal per line.")
    )
    reflection_assignment = models.TextField(_("reflection assignment"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return self.title

    @property
    def is_insights(self) -> bool:
        return self.slug == INSIGHTS_MODULE_SLUG

    def learning_goal_list(self) -> list[str]:
        return [line.strip() for line in self.learning_goals.splitlines() if line.strip()]


def validate_material_size(upload):
    if upload.size > settings.MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(size)s MB).")
            % {"size": settings.MATERIAL_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )


def material_upload_to(material, filename):
    # A random folder: file names of uploads are never guessable paths.
    return f"materiaal/{secrets.token_hex(8)}/{Path(filename).name}"


class Material(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="materials", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=material_upload_to,
        blank=True,
        validators=[
            FileExtensionValidator(allowed_extensions=MATERIAL_EXTENSIONS),
            validate_material_size,
        ],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["module", "position", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("material")

    def __str__(self):
        return self.title

    is_link = field_is("kind", Kind.LINK)
    is_file = field_is("kind", Kind.FILE)

    def clean(self):
        required = {self.Kind.TEXT: "text", self.Kind.LINK: "url", self.Kind.FILE: "file"}
        name = required.get(self.kind)
        if name and not getattr(self, name):
            raise ValidationError({name: _("Fill this in for this kind of material.")})


class Leergang(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    target_group = models.TextField(_("target group"))
    duration = models.CharField(
        _("duration"), max_length=200, help_text=_("For example: six months, five meetings")
    )
    is_published = models.BooleanField(_("published"), default=True)
    modules = models.ManyToManyField(
        Module, through="LeergangModule", related_name="leergangen", verbose_name=_("modules")
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("leergang")
        verbose_name_plural = _("leergangen")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leergang:leergang-detail", args=[self.slug])


class LeergangModule(models.Model):
    leergang = models.ForeignKey(
        Leergang, on_delete=models.CASCADE, related_name="module_links", verbose_name=_("leergang")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="leergang_links", verbose_name=_("module")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["leergang", "module"], name="module_once_per_leergang"),
        ]
        verbose_name = _("module of a leergang")
        verbose_name_plural = _("modules of a leergang")

    def __str__(self):
        return f"{self.leergang}: {self.module}"


def open_to_q(user) -> Q:
    """The op-maat rule as a filter on cohorts: open cohorts for everyone, a tailored one
    only for the people of its organisation."""
    if user is not None and user.is_authenticated and user.organisation_id:
        return Q(organisation=None) | Q(organisation=user.organisation_id)
    return Q(organisation=None)


class Region(models.TextChoices):
    """Where a cohort meets, as an interest registration asks for it: the twelve
    provinces, or online."""

    GRONINGEN = "groningen", "Groningen"
    FRIESLAND = "friesland", "Friesland"
    DRENTHE = "drenthe", "Drenthe"
    OVERIJSSEL = "overijssel", "Overijssel"
    FLEVOLAND = "flevoland", "Flevoland"
    GELDERLAND = "gelderland", "Gelderland"
    UTRECHT = "utrecht", "Utrecht"
    NOORD_HOLLAND = "noord-holland", "Noord-Holland"
    ZUID_HOLLAND = "zuid-holland", "Zuid-Holland"
    ZEELAND = "zeeland", "Zeeland"
    NOORD_BRABANT = "noord-brabant", "Noord-Brabant"
    LIMBURG = "limburg", "Limburg"
    ONLINE = "online", _("Online")


class CohortQuerySet(models.QuerySet):
    def open_to(self, user):
        """Cohorts a person may see in the catalogue and enrol in (``open_to_q``)."""
        return self.filter(open_to_q(user))

    def upcoming(self):
        return self.filter(starts_on__gte=timezone.localdate())

    def with_seats_taken(self):
        """Annotate ``seats_taken``, which ``Cohort.free_seats`` then reads instead of
        counting: one query for a whole list."""
        return self.annotate(
            seats_taken=subquery_count(
                Enrolment.objects.claiming_seat().filter(cohort=OuterRef("pk"))
            )
        )

    def with_waitlist_count(self):
        return self.annotate(
            waitlist_count=subquery_count(
                Enrolment.objects.filter(cohort=OuterRef("pk"), state=Enrolment.State.WAITLISTED)
            )
        )


class Cohort(models.Model):
    """One run of a leergang (an uitvoering)."""

    leergang = models.ForeignKey(
        Leergang, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("leergang")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cohorts_trained",
        blank=True,
        verbose_name=_("trainers"),
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("tailored for"),
        help_text=_("Leave empty for a cohort open to all organisations."),
    )
    requires_approval = models.BooleanField(
        _("needs the employer's approval"),
        default=False,
        help_text=_("HR of the participant's organisation approves each enrolment."),
    )
    cancellation_deadline = models.DateField(
        _("cancellation deadline"),
        help_text=_("Participants can cancel up to and including this day."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reflections_required = models.BooleanField(_("a reflection for every module"), default=True)
    location = models.CharField(_("usual location"), max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)

    class WaitlistMode(models.TextChoices):
        AUTOMATIC = "automatic", _("A freed seat goes to the first on the waiting list at once")
        OFFER = "offer", _("A freed seat is offered to the first on the waiting list, who confirms")

    waitlist_mode = models.CharField(
        _("waiting list"),
        max_length=10,
        choices=WaitlistMode.choices,
        default=WaitlistMode.AUTOMATIC,
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm an offered seat"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    # Interest list (``Interest``): until this moment only people who registered interest
    # in the leergang may enrol; then the cohort is open to all. Empty: open at once.
    priority_until = models.DateTimeField(
        _("first access for the interest list until"), null=True, blank=True
    )
    # When the people on the interest list were told about this cohort: once per cohort.
    interest_notified_at = models.DateTimeField(
        _("interest list told at"), null=True, blank=True, editable=False
    )
    # Set once the retention period removed the cohort's personal content
    # (leergang.retention): what is left are counts, dates and certificates without a name.
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"), null=True, blank=True, editable=False
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="cohort_has_seats"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="cohort_attendance_percent"
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1, offer_hours__lte=720), name="cohort_offer_hours"
            ),
        ]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return f"{self.leergang}: {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})

    @property
    def is_tailored(self) -> bool:
        return self.organisation_id is not None

    def is_open_to(self, user) -> bool:
        """The op-maat rule for one cohort: ``open_to_q`` in Python."""
        if self.organisation_id is None:
            return True
        return bool(user and user.is_authenticated and user.organisation_id == self.organisation_id)

    def can_cancel_on(self, day) -> bool:
        return day <= self.cancellation_deadline

    def free_seats(self) -> int:
        """Seats neither held nor offered (``SEAT_CLAIMING_STATES``). Counted now, unless the
        cohort came from ``with_seats_taken()``; the services count on a freshly locked row."""
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.enrolments.claiming_seat().count()
        return max(self.seats - taken, 0)


def subquery_count(queryset) -> Coalesce:
    """A correlated COUNT(*) that is 0, not NULL, when nothing matches."""
    # COUNT without GROUP BY: one row per outer row, whatever the subquery matches.
    counted = queryset.order_by().annotate(n=models.Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class EnrolmentQuerySet(models.QuerySet):
    def live(self):
        """Not cancelled or rejected: at most one per person and cohort."""
        return self.filter(state__in=LIVE_STATES)

    def holding_seat(self):
        return self.filter(state__in=SEAT_STATES)

    def claiming_seat(self):
        """Holding a seat, or having one offered: what the seat count subtracts."""
        return self.filter(state__in=SEAT_CLAIMING_STATES)

    def with_attendance(self, *, now=None):
        """Annotate ``bijeenkomsten_planned``, ``_held`` and ``_attended``: the definition of
        attendance that every page and the completion check read (as
        ``Enrolment.attendance``)."""
        now = now or timezone.now()
        own = Bijeenkomst.objects.filter(cohort=OuterRef("cohort_id"))
        # Modules the person attended in another cohort and took along when moved here
        # (``enrolment_move``): their bijeenkomsten here count as held and attended.
        credited = (
            Attendance.objects.attended(now=now)
            .filter(enrolment=OuterRef(OuterRef("pk")), bijeenkomst__module__isnull=False)
            .exclude(bijeenkomst__cohort=OuterRef(OuterRef("cohort_id")))
        )
        credited_modules = Q(module__in=credited.values("bijeenkomst__module"))
        attended_here = Attendance.objects.attended(now=now).filter(
            enrolment=OuterRef(OuterRef("pk")), bijeenkomst=OuterRef("pk")
        )
        return self.annotate(
            bijeenkomsten_planned=subquery_count(own),
            bijeenkomsten_held=subquery_count(own.filter(Q(starts_at__lte=now) | credited_modules)),
            bijeenkomsten_attended=subquery_count(
                own.filter(Q(Exists(attended_here)) | credited_modules)
            ),
        )

    def with_waitlist_position(self):
        """Annotate ``waitlist_position``: 1 + the people of the same cohort ahead on the
        waiting list, in the order ``waitlist_promote`` hands out seats (None when not
        waiting)."""
        ahead = Enrolment.objects.filter(
            cohort=OuterRef("cohort_id"), state=Enrolment.State.WAITLISTED
        ).filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(state=Enrolment.State.WAITLISTED, then=subquery_count(ahead) + 1),
                default=None,
                output_field=IntegerField(),
            )
        )


@dataclass(frozen=True)
class AttendanceRate:
    """Attended of held bijeenkomsten: the one figure every role sees ("3 van 3").

    A bijeenkomst is *held* once it has started; a person *attended* it when they
    were recorded present at a held bijeenkomst of their own cohort. So attended
    can never exceed held.
    """

    attended: int
    held: int
    planned: int

    def __str__(self):
        return gettext("%(attended)s of %(held)s") % {"attended": self.attended, "held": self.held}

    def needed(self, min_percent: int) -> int:
        """How many bijeenkomsten completion asks: a share of all planned ones, so nobody
        completes after the first few."""
        return -(-self.planned * min_percent // 100)

    def meets(self, min_percent: int) -> bool:
        return self.planned > 0 and self.attended >= self.needed(min_percent)


# How an enrolment can end before it ran; every other state is live (``LIVE_STATES``).
ENDED_STATES = ["cancelled", "rejected"]


class Enrolment(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Not approved")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort")
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    # Queue order on the waiting list: when the person joined it.
    waitlisted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("on the waiting list since")
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    certificate_code = models.CharField(
        max_length=32, unique=True, null=True, blank=True, verbose_name=_("certificate code")
    )
    # A seat offered from the waiting list (``Cohort.WaitlistMode.OFFER``) is held until
    # this moment for the person to confirm; a reminder goes out before it lapses.
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    offer_reminded_at = models.DateTimeField(
        _("offer reminder sent at"), null=True, blank=True, editable=False
    )
    # Set when the programme office moved the person to another cohort of the same
    # leergang: this enrolment is then cancelled, and its attendance and reflections went
    # along to the new one (``enrolment_move``), which names this one as ``moved_from``.
    moved_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("moved to"),
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "participant"],
                condition=~Q(state__in=ENDED_STATES),
                name="one_live_enrolment_per_cohort",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "state"], name="enrolment_cohort_state_idx")]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.participant} in {self.cohort}"

    @property
    def attendance(self) -> AttendanceRate:
        """From ``Enrolment.objects.with_attendance()``; lists read it that way, a single
        enrolment without it costs one query."""
        if not hasattr(self, "bijeenkomsten_attended"):
            counts = (
                Enrolment.objects.filter(pk=self.pk)
                .with_attendance()
                .values("bijeenkomsten_attended", "bijeenkomsten_held", "bijeenkomsten_planned")
                .get()
            )
            self.__dict__.update(counts)
        return AttendanceRate(
            attended=self.bijeenkomsten_attended,
            held=self.bijeenkomsten_held,
            planned=self.bijeenkomsten_planned,
        )

    @property
    def status_for_participant(self) -> str:
        """The state told to the participant in a sentence: a pending request is not a
        seat, and a place on the waiting list has a number (from
        ``with_waitlist_position()``)."""
        if self.state == self.State.REQUESTED:
            return gettext("Your request is waiting for your employer's approval.")
        if self.state == self.State.WAITLISTED:
            position = getattr(self, "waitlist_position", None)
            if position is None:
                return gettext("You are on the waiting list.")
            return gettext("You are on the waiting list (position %(position)s).") % {
                "position": position
            }
        if self.state == self.State.OFFERED and self.offer_expires_at:
            return gettext(
                "A seat is free for you; confirm before %(deadline)s that you still want it."
            ) % {"deadline": date_format(timezone.localtime(self.offer_expires_at), "j F Y H:i")}
        if self.state == self.State.ENROLLED:
            return gettext("You are enrolled.")
        if self.state == self.State.COMPLETED:
            return gettext("You have completed this leergang.")
        return self.get_state_display()

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def holds_seat(self) -> bool:
        return self.state in SEAT_STATES

    @property
    def claims_seat(self) -> bool:
        """Holds a seat or has one offered: cancelling it frees a seat."""
        return self.state in SEAT_CLAIMING_STATES

    # What pages and views ask instead of comparing state strings.
    is_pending = field_is("state", State.REQUESTED)  # waiting for the employer's approval
    is_waitlisted = field_is("state", State.WAITLISTED)
    is_offered = field_is("state", State.OFFERED)  # a seat offered, to confirm in time
    is_enrolled = field_is("state", State.ENROLLED)
    is_completed = field_is("state", State.COMPLETED)

    def cancel_refusal(self, *, by, today=None) -> str | None:
        """Why ``by`` cannot cancel this enrolment now, in Dutch; None when they can. The
        participant may until the cohort's cancellation deadline, the programme office at
        any time. ``EnrolmentPolicy`` ("cancel") and ``enrolment_cancel`` both ask this."""
        if self.State.CANCELLED not in TRANSITIONS[self.state]:
            return gettext("This enrolment can no longer be cancelled.")
        if not by.is_beheerder and not self.cohort.can_cancel_on(today or timezone.localdate()):
            return gettext(
                "The cancellation deadline (%(date)s) has passed. Contact the programme office."
            ) % {"date": self.cohort.cancellation_deadline.strftime("%d-%m-%Y")}
        return None

    def excuse_refusal(self, bijeenkomst, *, now=None) -> str | None:
        """Why this participant cannot report absence (afmelden) for ``bijeenkomst`` now,
        in Dutch; None when they can: only for their own cohort, and before it starts."""
        if bijeenkomst.cohort_id != self.cohort_id or not self.holds_seat:
            return gettext("You are not a participant of this bijeenkomst.")
        if bijeenkomst.is_held(now):
            return gettext(
                "This bijeenkomst has already started; you can no longer report absence."
            )
        return None

    def apply_state(self, to_state: str, *, at, reason: str = "") -> None:
        """Set the state and the fields that go with it; the caller saves and audits."""
        self.state = to_state
        if to_state == self.State.WAITLISTED:
            self.waitlisted_at = at
        if to_state in {self.State.REJECTED, self.State.CANCELLED} and reason:
            self.decision_reason = reason
        if to_state == self.State.COMPLETED:
            self.completed_at = at
            self.certificate_code = secrets.token_hex(8)


# The order in which the waiting list gets seats; the position shown follows it.
WAITLIST_ORDER = ["waitlisted_at", "pk"]

LIVE_STATES = [state for state in Enrolment.State if state not in ENDED_STATES]

# States that hold a seat. A pending approval holds none until HR approves it.
SEAT_STATES = [Enrolment.State.ENROLLED, Enrolment.State.COMPLETED]

# States that count against the cohort's seats: the participants, and a seat offered from
# the waiting list while the offer runs (held for them, though they are no participant
# yet: no attendance, intervisie or figures; those read ``SEAT_STATES``).
SEAT_CLAIMING_STATES = [*SEAT_STATES, Enrolment.State.OFFERED]

# Every allowed move of the enrolment state machine; anything else is refused.
TRANSITIONS = {
    Enrolment.State.REQUESTED: {
        Enrolment.State.ENROLLED,
        Enrolment.State.WAITLISTED,
        Enrolment.State.REJECTED,
        Enrolment.State.CANCELLED,
    },
    Enrolment.State.WAITLISTED: {
        Enrolment.State.ENROLLED,
        Enrolment.State.OFFERED,
        Enrolment.State.CANCELLED,
    },
    # Confirmed, or declined or lapsed (cancelled, with the reason).
    Enrolment.State.OFFERED: {Enrolment.State.ENROLLED, Enrolment.State.CANCELLED},
    Enrolment.State.ENROLLED: {Enrolment.State.COMPLETED, Enrolment.State.CANCELLED},
    Enrolment.State.COMPLETED: set(),
    Enrolment.State.CANCELLED: set(),
    Enrolment.State.REJECTED: set(),
}


class EnrolmentTransition(StateChange):
    """The audit trail of an enrolment: every state change, who made it and why."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("enrolment")
    )
    from_state, to_state = StateChange.state_fields(Enrolment.State)

    class Meta(StateChange.Meta):
        verbose_name = _("enrolment change")
        verbose_name_plural = _("enrolment changes")


class BijeenkomstQuerySet(models.QuerySet):
    def held(self, *, now=None):
        """Bijeenkomsten that have started: only these count for attendance."""
        return self.filter(starts_at__lte=now or timezone.now())


class Bijeenkomst(Appointment):
    """A dated session of a cohort, usually one per module."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="bijeenkomsten", verbose_name=_("cohort")
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bijeenkomsten",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200)

    objects = BijeenkomstQuerySet.as_manager()

    class Meta(Appointment.Meta):
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y})"

    def is_held(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def attendance_statuses(self, now=None) -> list[str]:
        """What may be recorded now: before the start only an afmelding, since whether
        someone was there is known only once it has begun."""
        if self.is_held(now):
            return list(Attendance.Status.values)
        return [Attendance.Status.EXCUSED]


class AttendanceStatus(models.TextChoices):
    """Whether someone was at a bijeenkomst or an intervisie session."""

    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AttendanceQuerySet(models.QuerySet):
    def attended(self, *, now=None):
        """Present at a bijeenkomst that has started (a 'present' in advance never counts)."""
        return self.filter(
            status=Attendance.Status.PRESENT, bijeenkomst__starts_at__lte=now or timezone.now()
        )


class Attendance(models.Model):
    Status = AttendanceStatus

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("bijeenkomst"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = actor_field(_("recorded by"))
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "bijeenkomst"], name="one_attendance_per_bijeenkomst"
            ),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.enrolment.participant}: {self.get_status_display()}"


class MakeUpRequest(models.Model):
    """Inhalen: a participant asks to attend the same module's bijeenkomst of another
    cohort (the host) in place of one of their own they missed or were excused from.
    Once approved, attendance there is recorded on their own enrolment and counts toward
    their own completion rule, as a module taken along by a move does."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Cancelled")

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="make_up_requests",
        verbose_name=_("enrolment"),
    )
    missed = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="make_up_requests_for",
        verbose_name=_("missed bijeenkomst"),
    )
    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="guest_requests",
        verbose_name=_("make-up bijeenkomst"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = actor_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "missed"],
                condition=Q(state__in=["requested", "approved"]),
                name="one_live_make_up_per_missed_bijeenkomst",
            ),
        ]
        indexes = [models.Index(fields=["bijeenkomst", "state"], name="make_up_host_state_idx")]
        verbose_name = _("make-up request")
        verbose_name_plural = _("make-up requests")

    def __str__(self):
        return f"{self.enrolment.participant}: {self.bijeenkomst}"


class Interest(models.Model):
    """Someone would like to follow a leergang that has no upcoming cohort (the interest
    list): told when a fitting cohort opens, and may enrol first for a while."""

    leergang = models.ForeignKey(
        Leergang, on_delete=models.CASCADE, related_name="interests", verbose_name=_("leergang")
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("participant"),
    )
    region = models.CharField(
        _("preferred region"), max_length=20, choices=Region.choices, blank=True
    )
    earliest_start = models.DateField(_("start no earlier than"), null=True, blank=True)
    latest_start = models.DateField(_("start no later than"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leergang", "participant"], name="one_interest_per_leergang"
            ),
            models.CheckConstraint(
                condition=Q(latest_start__isnull=True)
                | Q(earliest_start__isnull=True)
                | Q(latest_start__gte=F("earliest_start")),
                name="interest_period_in_order",
            ),
        ]
        verbose_name = _("interest")
        verbose_name_plural = _("interest list")

    def __str__(self):
        return f"{self.participant}: {self.leergang}"


class Reflection(models.Model):
    """A leerlog entry: private to the participant unless they share it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("enrolment")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="reflections", verbose_name=_("module")
    )
    text = models.TextField(_("reflection"), max_length=REFLECTION_MAX_LENGTH)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    shared_with_trainer = models.BooleanField(_("share with my trainer"), default=False)
    shared_with_coach = models.BooleanField(_("share with my coach"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module"], name="one_reflection_per_module"
            ),
        ]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self):
        return f"{self.module} ({self.enrolment.participant})"


class InsightsProfile(models.Model):
    """A participant's Insights Discovery colour energies, from the Insights module.

    Optional; the trainer's group suggestion uses it to mix preferred styles.
    """

    participant = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="insights_profile",
        verbose_name=_("participant"),
    )
    red = models.PositiveSmallIntegerField(_("red (%)"), validators=[MaxValueValidator(100)])
    yellow = models.PositiveSmallIntegerField(_("yellow (%)"), validators=[MaxValueValidator(100)])
    green = models.PositiveSmallIntegerField(_("green (%)"), validators=[MaxValueValidator(100)])
    blue = models.PositiveSmallIntegerField(_("blue (%)"), validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Exact(F("red") + F("yellow") + F("green") + F("blue"), 100),
                name="insights_energies_sum_to_100",
            ),
        ]
        verbose_name = _("Insights profile")
        verbose_name_plural = _("Insights profiles")

    def __str__(self):
        return f"{self.participant}"

    def clean(self):
        values = (self.red, self.yellow, self.green, self.blue)
        if None not in values and sum(values) != 100:
            raise ValidationError(
                _("The four energies must add up to 100%% (now %(total)s%%).")
                % {"total": sum(values)}
            )

    @property
    def colours(self) -> tuple[int, int, int, int]:
        return (self.red, self.yellow, self.green, self.blue)


class RetentionPostponement(models.Model):
    """The programme office keeps a cohort's personal data longer, until a date, and why.

    The latest row of a cohort is its due date; the earlier ones stay as its history."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="retention_postponements",
        verbose_name=_("cohort"),
    )
    until = models.DateField(_("keep until"))
    reason = models.TextField(_("reason"), max_length=1000)
    by = actor_field(_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["cohort", "-at", "-pk"]
        indexes = [models.Index(fields=["cohort", "-at"], name="retention_postponement_idx")]
        verbose_name = _("postponed retention")
        verbose_name_plural = _("postponed retentions")

    def __str__(self):
        return f"{self.cohort}: {self.until:%d-%m-%Y}"
