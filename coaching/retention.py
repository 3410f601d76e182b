"""What retention (``leergang.retention``) removes of the coaching trajectories that were part
of a cohort's enrolments: the learning question, goals and their progress notes, the
sessions' preparations, summaries and comments, the coach's private notes and the reasons of
state changes. The trajectory, its sessions and their status stay (the sessions used are
counted). A trajectory still running is left whole, and keeps its participant from being
pseudonymised; once it ends it is kept ``RETENTION_MONTHS``, as a cohort is, and then the
daily pass removes the same of it (``leergang.retention.retention_apply_late``)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import (
    OPEN_STATES,
    CoachingSession,
    Goal,
    PrivateNote,
    Trajectory,
    TrajectoryTransition,
)
from leergang.retention import (
    add_months,
    counted_by_cohort,
    register_keeper,
    register_part,
    summed_by_cohort,
)

SESSION_CONTENT = ("preparation", "summary", "participant_comment")
_SESSION_HAS_CONTENT = ~Q(preparation="", summary="", participant_comment="")


def _ended_at():
    """When a trajectory ended: its last change to completed or stopped."""
    return Subquery(
        TrajectoryTransition.objects.filter(
            trajectory=OuterRef("pk"),
            to_state__in=[s for s in Trajectory.State if s not in OPEN_STATES],
        )
        .order_by()
        .values("trajectory")
        .annotate(last=Max("at"))
        .values("last")
    )


def _still_kept_after_its_cohort() -> Q:
    """Ended after its cohort's data went, less than ``RETENTION_MONTHS`` ago: kept for now.
    (Ended on day D, it goes on D + RETENTION_MONTHS, as a cohort does after its last day.)"""
    last_day_that_goes = add_months(timezone.localdate(), -settings.RETENTION_MONTHS)
    kept_since = timezone.make_aware(
        datetime.combine(last_day_that_goes + timedelta(days=1), time.min)
    )
    return Q(enrolment__cohort__personal_data_removed_at__isnull=False, ended_at__gte=kept_since)


def ended_trajectories(**cohort):
    """The ended trajectories of the enrolments of a cohort (``cohort=`` or
    ``cohort_id__in=``) that retention removes now, as the lookup on ``Trajectory`` it
    becomes: at the cohort's due date all of them; later (one that was still running then)
    once it has been ended ``RETENTION_MONTHS``."""
    lookup = {f"enrolment__{key}": value for key, value in cohort.items()}
    return (
        Trajectory.objects.filter(**lookup)
        .exclude(state__in=OPEN_STATES)
        .alias(ended_at=_ended_at())
        .exclude(_still_kept_after_its_cohort())
    )


def _content_count(ids) -> dict[int, int]:
    return summed_by_cohort(
        [
            (
                CoachingSession.objects.filter(
                    _SESSION_HAS_CONTENT, trajectory__in=ended_trajectories(cohort_id__in=ids)
                ),
                "trajectory__enrolment__cohort_id",
            ),
            (
                Goal.objects.filter(trajectory__in=ended_trajectories(cohort_id__in=ids)),
                "trajectory__enrolment__cohort_id",
            ),
            (ended_trajectories(cohort_id__in=ids).exclude(leervraag=""), "enrolment__cohort_id"),
        ]
    )


@register_part(
    "coaching",
    label=_("Coaching: learning questions, goals, preparations and summaries"),
    count=_content_count,
    order=50,
)
def _empty_coaching(cohort) -> int:
    trajectories = ended_trajectories(cohort=cohort)
    removed = (
        CoachingSession.objects.filter(_SESSION_HAS_CONTENT, trajectory__in=trajectories).update(
            **dict.fromkeys(SESSION_CONTENT, "")
        )
        + Goal.objects.filter(trajectory__in=trajectories).delete()[1].get(Goal._meta.label, 0)
        + trajectories.exclude(leervraag="").update(leervraag="")
    )
    TrajectoryTransition.objects.filter(trajectory__in=trajectories).exclude(reason="").update(
        reason=""
    )
    return removed


@register_part(
    "private_notes",
    label=_("Coaches' private notes"),
    count=lambda ids: counted_by_cohort(
        PrivateNote.objects.filter(session__trajectory__in=ended_trajectories(cohort_id__in=ids)),
        "session__trajectory__enrolment__cohort_id",
    ),
    order=55,
)
def _remove_private_notes(cohort) -> int:
    return PrivateNote.objects.filter(
        session__trajectory__in=ended_trajectories(cohort=cohort)
    ).delete()[0]


@register_keeper
def _running_trajectory(person) -> Q:
    """Running, or ended after its cohort's data went and still kept: its coach and its
    participant still read it under their names."""
    running = Trajectory.objects.filter(participant=person, state__in=OPEN_STATES)
    kept = (
        Trajectory.objects.filter(participant=person)
        .exclude(state__in=OPEN_STATES)
        .alias(ended_at=_ended_at())
        .filter(_still_kept_after_its_cohort())
    )
    return Q(Exists(running)) | Q(Exists(kept))
