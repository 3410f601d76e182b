"""What retention (``leergang.retention``) removes of a cohort's evaluations: the invitations,
which say who was asked and whether they answered. The answers stay: nothing in them leads
to a person (see models.py), and the trends across cohorts read them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.retention import ended_trajectories
from evaluations.models import Invitation
from leergang.retention import register_part, summed_by_cohort


def _invitations(**cohort) -> list[tuple[object, str]]:
    """The invitations about a cohort (``cohort=`` or ``cohort_id__in=``): its bijeenkomsten,
    the leergang, its ended coaching trajectories; with the path to the cohort's id."""
    ((key, value),) = cohort.items()
    return [
        (Invitation.objects.filter(**{f"bijeenkomst__{key}": value}), "bijeenkomst__cohort_id"),
        (Invitation.objects.filter(**{key: value}), "cohort_id"),
        (
            Invitation.objects.filter(trajectory__in=ended_trajectories(**cohort)),
            "trajectory__enrolment__cohort_id",
        ),
    ]


def _count(ids) -> dict[int, int]:
    return summed_by_cohort(_invitations(cohort_id__in=ids))


@register_part(
    "evaluation_invitations",
    label=_("Evaluation invitations (who was asked; the answers stay)"),
    count=_count,
    order=60,
)
def _remove_invitations(cohort) -> int:
    about = Q()
    for queryset, _field in _invitations(cohort=cohort):
        about |= Q(pk__in=queryset.values("pk"))
    return Invitation.objects.filter(about).delete()[0]
