"""What retention (``leergang.retention``) removes of the coaching trajectories that were part
of a cohort's enrolments: the learning question, goals and their progress notes, the
sessions' preparations, summaries and comments, the coach's private notes and the reasons of
state changes. The trajectory, its sessions and their status stay (the sessions used are
counted). A trajectory still running is left whole, and keeps its participant from being
pseudonymised."""

from django.db.models import Exists, Q
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
    counted_by_cohort,
    register_keeper,
    register_part,
    summed_by_cohort,
)

SESSION_CONTENT = ("preparation", "summary", "participant_comment")
_SESSION_HAS_CONTENT = ~Q(preparation="", summary="", participant_comment="")


def ended_trajectories(**cohort):
    """The ended trajectories of the enrolments of a cohort (``cohort=`` or
    ``cohort_id__in=``), as the lookup on ``Trajectory`` it becomes."""
    lookup = {f"enrolment__{key}": value for key, value in cohort.items()}
    return Trajectory.objects.filter(**lookup).exclude(state__in=OPEN_STATES)


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
    return Q(Exists(Trajectory.objects.filter(participant=person, state__in=OPEN_STATES)))
