"""Evaluations: who was asked (``Invitation``) and what was answered (``Answer``), apart.

An answer is anonymous by construction: it holds what it is about (a bijeenkomst, a
cohort of a leergang, a module; for coaching the coach), the respondent's organisation
for HR's averages, and the day; never the person, their enrolment or trajectory, or the
invitation. Its key is a random UUID, so the order of the rows tells nothing either. The
invitation records only that it was used.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import field_is


class Kind(models.TextChoices):
    """What an evaluation is about."""

    BIJEENKOMST = "bijeenkomst", _("Bijeenkomst")
    LEERGANG = "leergang", _("Leergang")
    COACHING = "coaching", _("Coaching trajectory")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Not answered and not expired: the link still works."""
        return self.filter(used=False, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """One person asked to evaluate one thing, once; the token in the link is the key."""

    Kind = Kind

    kind = models.CharField(_("about"), max_length=12, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
        verbose_name=_("invited"),
    )
    bijeenkomst = models.ForeignKey(
        "leergang.Bijeenkomst",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst"),
    )
    cohort = models.ForeignKey(
        "leergang.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    trajectory = models.ForeignKey(
        "coaching.Trajectory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coaching trajectory"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    # Only whether it was used: no moment, which could be matched to an answer's.
    used = models.BooleanField(_("answered"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=Kind.BIJEENKOMST,
                        bijeenkomst__isnull=False,
                        cohort=None,
                        trajectory=None,
                    )
                    | Q(kind=Kind.LEERGANG, bijeenkomst=None, cohort__isnull=False, trajectory=None)
                    | Q(kind=Kind.COACHING, bijeenkomst=None, cohort=None, trajectory__isnull=False)
                ),
                name="evaluation_invitation_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["recipient", "bijeenkomst"],
                condition=Q(kind=Kind.BIJEENKOMST),
                name="evaluation_once_per_bijeenkomst",
            ),
            models.UniqueConstraint(
                fields=["recipient", "cohort"],
                condition=Q(kind=Kind.LEERGANG),
                name="evaluation_once_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["recipient", "trajectory"],
                condition=Q(kind=Kind.COACHING),
                name="evaluation_once_per_trajectory",
            ),
        ]
        indexes = [models.Index(fields=["used", "expires_at"], name="evaluation_open_idx")]
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient}"

    is_about_bijeenkomst = field_is("kind", Kind.BIJEENKOMST)
    is_about_leergang = field_is("kind", Kind.LEERGANG)
    is_about_coaching = field_is("kind", Kind.COACHING)

    def is_open(self, now=None) -> bool:
        return not self.used and self.expires_at > (now or timezone.now())


GRADES = range(1, 11)  # rapportcijfer
RECOMMENDATIONS = range(0, 11)  # would you recommend it: 9-10 promoter, 0-6 detractor
GOAL_SCORES = range(1, 6)  # was this learning goal reached


class Answer(models.Model):
    """One filled-in evaluation. Nothing here leads to the person who gave it."""

    Kind = Kind

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("about"), max_length=12, choices=Kind.choices)
    leergang = models.ForeignKey(
        "leergang.Leergang",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leergang"),
    )
    cohort = models.ForeignKey(
        "leergang.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    bijeenkomst = models.ForeignKey(
        "leergang.Bijeenkomst",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst"),
    )
    module = models.ForeignKey(
        "leergang.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    # What a coaching evaluation is about; shown to nobody one by one.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coach"),
    )
    # The respondent's organisation, for HR's averages of its own people.
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of the respondent"),
    )
    answered_on = models.DateField(_("answered on"))
    grade = models.PositiveSmallIntegerField(
        _("rapportcijfer"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    recommendation = models.PositiveSmallIntegerField(
        _("would recommend it"), validators=[MaxValueValidator(10)]
    )
    comments = models.TextField(_("comments"), max_length=5000, blank=True)

    class Meta:
        # Random keys: the order says nothing about when or by whom.
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=10), name="evaluation_grade_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__lte=10), name="evaluation_recommendation_0_to_10"
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "kind"], name="evaluation_answer_cohort_idx"),
            models.Index(fields=["coach"], name="evaluation_answer_coach_idx"),
        ]
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.answered_on:%d-%m-%Y}"


class GoalScore(models.Model):
    """How far one learning goal of a module was reached, in one answer (1 to 5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="goal_scores", verbose_name=_("answer")
    )
    module = models.ForeignKey(
        "leergang.Module",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("module"),
    )
    goal = models.CharField(_("learning goal"), max_length=500)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["module", "goal"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="evaluation_goal_score_1_to_5"
            ),
        ]
        verbose_name = _("learning goal score")
        verbose_name_plural = _("learning goal scores")

    def __str__(self):
        return f"{self.module}: {self.goal} ({self.score})"
