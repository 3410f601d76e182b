"""Intervisie: peer consultation groups of a cohort, their date polls and sessions.

What is said in intervisie stays in the group: case text, notes and agreements
are read only by the group's members and its begeleider (see permissions.py).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.models import AttendanceStatus, Cohort, Enrolment
from portal.models import Appointment, actor_field, field_is

MIN_GROUP_SIZE, MAX_GROUP_SIZE = 4, 8
# A date poll offers this many candidate slots.
MIN_POLL_SLOTS, MAX_POLL_SLOTS = 2, 10


class Method(models.Model):
    """A way of working on a case (incidentmethode, Balintmethode, ...)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    steps = models.TextField(_("steps"), help_text=_("One step per line."))
    created_by = actor_field(_("added by"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("method")
        verbose_name_plural = _("methods")

    def __str__(self):
        return self.name

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class Group(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="intervisie_groups", verbose_name=_("cohort")
    )
    name = models.CharField(_("name"), max_length=120)
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intervisie_groups_led",
        verbose_name=_("facilitator"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="group_name_per_cohort"),
        ]
        verbose_name = _("intervisie group")
        verbose_name_plural = _("intervisie groups")

    def __str__(self):
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("intervisie group"),
    )
    # Through the enrolment: a person is in at most one group per cohort.
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="intervisie_membership",
        verbose_name=_("enrolment"),
    )
    joined_at = models.DateTimeField(default=timezone.now, verbose_name=_("member since"))

    class Meta:
        ordering = ["enrolment__participant__last_name", "enrolment__participant__first_name"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        return f"{self.enrolment.participant} in {self.group}"

    def clean(self):
        if self.group_id and self.enrolment_id and self.group.cohort_id != self.enrolment.cohort_id:
            raise ValidationError(_("A member must be a participant of the group's cohort."))


class Poll(models.Model):
    """A date poll for a group's next session."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="polls", verbose_name=_("intervisie group")
    )
    title = models.CharField(_("title"), max_length=200)
    closes_at = models.DateTimeField(_("answers until"))
    # When members who have not answered get a reminder (sent by the reminders task).
    remind_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminder at"))
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    chosen_slot = models.OneToOneField(
        "Slot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen option"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.remind_at is None and self.closes_at:
            self.remind_at = self.closes_at - timedelta(days=1)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > timezone.now()


class Slot(Appointment):
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="slots", verbose_name=_("date poll")
    )

    class Meta(Appointment.Meta):
        verbose_name = _("slot")
        verbose_name_plural = _("slots")

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"


class Vote(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("If need be")
        NO = "no", _("No")

    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("slot")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intervisie_votes",
        verbose_name=_("member"),
    )
    answer = models.CharField(max_length=5, choices=Answer.choices, verbose_name=_("answer"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "voter"], name="one_vote_per_slot"),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.voter}: {self.get_answer_display()}"


class Session(Appointment):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("intervisie group")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    method = models.ForeignKey(
        Method,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("method"),
    )
    case_bringer = actor_field(_("case bringer"))
    # Confidential: the group and its begeleider only.
    case_title = models.CharField(_("case in a few words"), max_length=200, blank=True)
    case_text = models.TextField(_("the case"), max_length=5000, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    agreements = models.TextField(_("agreements"), max_length=5000, blank=True)
    from_poll = models.OneToOneField(
        Poll,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
        verbose_name=_("date poll"),
    )

    class Meta(Appointment.Meta):
        verbose_name = _("intervisie session")
        verbose_name_plural = _("intervisie sessions")

    def __str__(self):
        return f"{self.group}: {timezone.localtime(self.starts_at):%d-%m-%Y}"

    is_cancelled = field_is("status", Status.CANCELLED)


class SessionAttendance(models.Model):
    Status = AttendanceStatus

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("intervisie session"),
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intervisie_attendances",
        verbose_name=_("participant"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, verbose_name=_("status"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="one_intervisie_attendance"
            ),
        ]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")

    def __str__(self):
        return f"{self.participant}: {self.get_status_display()}"
