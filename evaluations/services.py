"""Every write of evaluations: inviting people (in bulk, from the data) and answering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import Trajectory, TrajectoryTransition
from evaluations.models import (
    GOAL_SCORES,
    GRADES,
    RECOMMENDATIONS,
    Answer,
    GoalScore,
    Invitation,
    Kind,
)
from leergang.models import SEAT_STATES, Attendance, Bijeenkomst, Enrolment, MakeUpRequest


class EvaluationUnusable(ValidationError):
    """The link cannot be used (any more); the message says why, in Dutch."""


def _window(now: datetime) -> datetime:
    return now - timedelta(days=settings.EVALUATION_INVITE_WITHIN_DAYS)


def invitations_create(*, now: datetime | None = None) -> int:
    """Invite everyone who has something to evaluate since the window opened; the number
    of new invitations. Idempotent and set-based: a fixed number of queries, however many
    people (a second run, or two at once, invite nobody twice: the unique constraints)."""
    now = now or timezone.now()
    rows = [
        *_bijeenkomst_invitations(now),
        *_leergang_invitations(now),
        *_coaching_invitations(now),
    ]
    if not rows:
        return 0
    expires_at = now + timedelta(days=settings.EVALUATION_VALID_DAYS)
    for row in rows:
        row.created_at, row.expires_at = now, expires_at
    created = Invitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    # PostgreSQL's ON CONFLICT DO NOTHING does not tell which rows went in; count ours.
    return Invitation.objects.filter(created_at=now, token__in=[r.token for r in created]).count()


def _bijeenkomst_invitations(now: datetime) -> list[Invitation]:
    """Each participant holding a seat, after each bijeenkomst of their cohort that ended
    in the window, and each guest approved to make it up there; not those recorded absent
    or excused."""
    bijeenkomsten = dict(
        Bijeenkomst.objects.filter(ends_at__lte=now, ends_at__gt=_window(now)).values_list(
            "pk", "cohort_id"
        )
    )
    if not bijeenkomsten:
        return []
    enrolments = list(
        Enrolment.objects.filter(
            cohort_id__in=set(bijeenkomsten.values()),
            state__in=SEAT_STATES,
            participant__is_active=True,
        ).values_list("pk", "cohort_id", "participant_id")
    )
    away = set(
        Attendance.objects.filter(
            bijeenkomst_id__in=bijeenkomsten,
            status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED],
        ).values_list("enrolment_id", "bijeenkomst_id")
    )
    invited = set(
        Invitation.objects.filter(
            kind=Kind.BIJEENKOMST, bijeenkomst_id__in=bijeenkomsten
        ).values_list("recipient_id", "bijeenkomst_id")
    )
    # Guests who made up a bijeenkomst there (inhalen) evaluate it too.
    guests = MakeUpRequest.objects.filter(
        bijeenkomst_id__in=bijeenkomsten,
        state=MakeUpRequest.State.APPROVED,
        enrolment__state__in=SEAT_STATES,
        enrolment__participant__is_active=True,
    ).values_list("bijeenkomst_id", "enrolment_id", "enrolment__participant_id")
    by_cohort: dict[int, list[tuple[int, int]]] = {}
    for enrolment_id, cohort_id, participant_id in enrolments:
        by_cohort.setdefault(cohort_id, []).append((enrolment_id, participant_id))
    # One invitation per person and bijeenkomst, whichever enrolment brought them there.
    candidates = {
        (participant_id, pk): enrolment_id
        for pk, cohort_id in bijeenkomsten.items()
        for enrolment_id, participant_id in by_cohort.get(cohort_id, ())
    }
    for pk, enrolment_id, participant_id in guests:
        candidates.setdefault((participant_id, pk), enrolment_id)
    return [
        Invitation(kind=Kind.BIJEENKOMST, recipient_id=participant_id, bijeenkomst_id=pk)
        for (participant_id, pk), enrolment_id in sorted(candidates.items())
        if (enrolment_id, pk) not in away and (participant_id, pk) not in invited
    ]


def _leergang_invitations(now: datetime) -> list[Invitation]:
    """Each participant whose enrolment was completed in the window, or whose cohort ended
    in it (a seat held to the end): once per cohort, whichever came first."""
    today = timezone.localdate(now)
    window_start = timezone.localdate(_window(now))
    ended = Q(state=Enrolment.State.COMPLETED, completed_at__lte=now, completed_at__gt=_window(now))
    cohort_ended = Q(state__in=SEAT_STATES, cohort__ends_on__lt=today) & Q(
        cohort__ends_on__gte=window_start
    )
    invited = Invitation.objects.filter(
        kind=Kind.LEERGANG, recipient=OuterRef("participant_id"), cohort=OuterRef("cohort_id")
    )
    pairs = (
        Enrolment.objects.filter(ended | cohort_ended, participant__is_active=True)
        .filter(~Exists(invited))
        .values_list("participant_id", "cohort_id")
        .distinct()
    )
    return [
        Invitation(kind=Kind.LEERGANG, recipient_id=participant_id, cohort_id=cohort_id)
        for participant_id, cohort_id in pairs
    ]


def _coaching_invitations(now: datetime) -> list[Invitation]:
    """Each participant whose coaching trajectory was completed in the window."""
    completed = TrajectoryTransition.objects.filter(
        trajectory=OuterRef("pk"),
        to_state=Trajectory.State.COMPLETED,
        at__lte=now,
        at__gt=_window(now),
    )
    invited = Invitation.objects.filter(kind=Kind.COACHING, trajectory=OuterRef("pk"))
    pairs = (
        Trajectory.objects.filter(state=Trajectory.State.COMPLETED, participant__is_active=True)
        .filter(Exists(completed), ~Exists(invited))
        .values_list("participant_id", "pk")
    )
    return [
        Invitation(kind=Kind.COACHING, recipient_id=participant_id, trajectory_id=pk)
        for participant_id, pk in pairs
    ]


@dataclass(frozen=True)
class Goal:
    """One learning goal a form asks about."""

    module_id: int
    module_title: str
    text: str


def invitation_goals(invitation: Invitation) -> list[Goal]:
    """The learning goals the form asks about: the bijeenkomst's module, or every module of
    the leergang, in its order; none for coaching."""
    if invitation.is_about_bijeenkomst:
        modules = [invitation.bijeenkomst.module] if invitation.bijeenkomst.module_id else []
    elif invitation.is_about_leergang:
        modules = [
            link.module for link in invitation.cohort.leergang.module_links.select_related("module")
        ]
    else:
        modules = []
    return [
        Goal(module.pk, module.title, text)
        for module in modules
        for text in module.learning_goal_list()
    ]


def invitation_find(token: str) -> Invitation | None:
    """The invitation of a link with what it is about, or None when no link has it."""
    return (
        Invitation.objects.select_related(
            "recipient",
            "bijeenkomst__cohort__leergang",
            "bijeenkomst__module",
            "cohort__leergang",
            "trajectory__coach",
        )
        .filter(token=token)
        .first()
    )


def invitation_refusal(invitation: Invitation | None, *, now=None) -> str | None:
    """Why this link cannot be used, in Dutch; None when it can."""
    if invitation is None:
        return _(
            "This evaluation link is not valid. Check that you copied the whole link from "
            "the e-mail."
        )
    if invitation.used:
        return _("This evaluation has already been filled in. Thank you for your answer!")
    if not invitation.is_open(now):
        return _("This evaluation link has expired; it can no longer be filled in.")
    return None


@transaction.atomic
def answer_submit(
    *,
    token: str,
    grade: int,
    recommendation: int,
    comments: str = "",
    goal_scores: dict[tuple[int, str], int] | None = None,
) -> Answer:
    """Save one answer for the link's invitation and mark it used, at most once.

    The conditional UPDATE claims the invitation: a second submit, even at the same
    moment, finds it used and saves nothing. The answer keeps what it is about, the
    respondent's organisation and the day, nothing that leads back to the invitation.
    """
    if grade not in GRADES or recommendation not in RECOMMENDATIONS:
        raise ValidationError(_("A score is out of range."))
    if any(score not in GOAL_SCORES for score in (goal_scores or {}).values()):
        raise ValidationError(_("A score is out of range."))
    now = timezone.now()
    claimed = Invitation.objects.filter(token=token).open(now=now).update(used=True)
    if not claimed:
        raise EvaluationUnusable(invitation_refusal(invitation_find(token), now=now))
    invitation = invitation_find(token)
    answer = Answer(
        kind=invitation.kind,
        organisation_id=invitation.recipient.organisation_id,
        answered_on=timezone.localdate(now),
        grade=grade,
        recommendation=recommendation,
        comments=comments.strip(),
    )
    if invitation.is_about_bijeenkomst:
        bijeenkomst = invitation.bijeenkomst
        answer.bijeenkomst = bijeenkomst
        answer.module_id = bijeenkomst.module_id
        answer.cohort_id = bijeenkomst.cohort_id
        answer.leergang_id = bijeenkomst.cohort.leergang_id
    elif invitation.is_about_leergang:
        answer.cohort_id = invitation.cohort_id
        answer.leergang_id = invitation.cohort.leergang_id
    else:
        answer.coach_id = invitation.trajectory.coach_id
    answer.save(force_insert=True)
    asked = {(goal.module_id, goal.text) for goal in invitation_goals(invitation)}
    GoalScore.objects.bulk_create(
        GoalScore(answer=answer, module_id=module_id, goal=goal, score=score)
        for (module_id, goal), score in (goal_scores or {}).items()
        if (module_id, goal) in asked
    )
    return answer
