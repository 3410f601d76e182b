"""Coaching: individual trajectories of a participant with a coach.

A coach's private notes are that coach's alone: not the participant's, not HR's,
not the programme office's, and not in the admin.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.models import Enrolment
from portal.models import Appointment, StateChange, actor_field, field_is


class Trajectory(models.Model):
    class Funding(models.TextChoices):
        PROGRAMME = "programme", _("Through the programme")
        ORGANISATION = "organisation", _("By the participant's organisation")

    class State(models.TextChoices):
        INTAKE = "intake", _("Intake")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coaching_trajectories",
        verbose_name=_("participant"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coachees",
        verbose_name=_("coach"),
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_trajectories",
        verbose_name=_("part of enrolment"),
    )
    agreed_sessions = models.PositiveSmallIntegerField(
        _("agreed sessions"),
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Including the intake, for example 6 for an intake and five sessions."),
    )
    funded_by = models.CharField(
        _("paid"), max_length=12, choices=Funding.choices, default=Funding.PROGRAMME
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.INTAKE)
    leervraag = models.TextField(_("learning question"), max_length=2000, blank=True)
    started_by = actor_field(_("started by"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coaching trajectory")
        verbose_name_plural = _("coaching trajectories")

    def __str__(self):
        return f"{self.participant} · {self.coach}"

    @property
    def is_open(self) -> bool:
        """Intake or lopend: sessions, goals and extensions are still possible."""
        return self.state in OPEN_STATES


# The states in which a trajectory still runs.
OPEN_STATES = frozenset({Trajectory.State.INTAKE, Trajectory.State.RUNNING})


TRAJECTORY_TRANSITIONS = {
    Trajectory.State.INTAKE: {Trajectory.State.RUNNING, Trajectory.State.STOPPED},
    Trajectory.State.RUNNING: {Trajectory.State.COMPLETED, Trajectory.State.STOPPED},
    Trajectory.State.COMPLETED: set(),
    Trajectory.State.STOPPED: set(),
}


class TrajectoryTransition(StateChange):
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("coaching trajectory"),
    )
    from_state, to_state = StateChange.state_fields(Trajectory.State)

    class Meta(StateChange.Meta):
        verbose_name = _("trajectory change")
        verbose_name_plural = _("trajectory changes")


class Goal(models.Model):
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("coaching trajectory"),
    )
    description = models.CharField(_("goal"), max_length=300)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.description


class GoalUpdate(models.Model):
    """Progress over time: who said how far a goal is, and why."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="updates", verbose_name=_("goal")
    )
    progress = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)], verbose_name=_("progress (%)")
    )
    note = models.CharField(max_length=500, blank=True, verbose_name=_("note"))
    by = actor_field(_("by"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("goal update")
        verbose_name_plural = _("goal updates")

    def __str__(self):
        return f"{self.goal}: {self.progress}%"


class AvailabilitySlot(Appointment):
    """A moment a coach offers; one coachee can book it."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coaching_slots",
        verbose_name=_("coach"),
    )

    class Meta(Appointment.Meta):
        verbose_name = _("available moment")
        verbose_name_plural = _("available moments")

    def __str__(self):
        return f"{self.coach}: {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"


class CoachingSession(Appointment):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not show up")

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("coaching trajectory"),
    )
    # The database refuses a second booking of the same moment.
    slot = models.OneToOneField(
        AvailabilitySlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
        verbose_name=_("available moment"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancelled_by = actor_field(_("cancelled by"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    preparation = models.TextField(_("my preparation"), max_length=2000, blank=True)
    summary = models.TextField(_("shared summary"), max_length=5000, blank=True)
    participant_comment = models.TextField(_("my comment"), max_length=2000, blank=True)

    class Meta(Appointment.Meta):
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self):
        return f"{self.trajectory}: {timezone.localtime(self.starts_at):%d-%m-%Y}"

    is_planned = field_is("status", Status.PLANNED)
    is_cancelled = field_is("status", Status.CANCELLED)

    @property
    def hours_notice(self) -> float | None:
        """How long before the start it was cancelled (negative: afterwards)."""
        if self.cancelled_at is None:
            return None
        return round((self.starts_at - self.cancelled_at).total_seconds() / 3600, 1)


# Sessions that took place or were missed: what HR and the programme office count as used.
USED = (CoachingSession.Status.HELD, CoachingSession.Status.NO_SHOW)
# What the agreed number limits: used, and planned ones.
COUNTED = (CoachingSession.Status.PLANNED, *USED)


class PrivateNote(models.Model):
    """The coach's own notes of a session: nobody else ever reads them."""

    session = models.ForeignKey(
        CoachingSession,
        on_delete=models.CASCADE,
        related_name="private_notes",
        verbose_name=_("coaching session"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("coach"),
    )
    text = models.TextField(max_length=5000, verbose_name=_("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")

    def __str__(self):
        return f"{self.session} ({self.created_at:%d-%m-%Y})"
