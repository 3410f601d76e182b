"""What retention (``leergang.retention``) removes of a cohort's intervisie: the cases, notes
and agreements, who brought a case, the poll answers and the reasons given for missing a
session. Groups, members, sessions held and attendance stay: HR counts them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intervisie.models import Session, SessionAttendance, Vote
from leergang.retention import counted_by_cohort, register_part

CONTENT = ("case_title", "case_text", "notes", "agreements")
_HAS_CONTENT = Q(case_bringer__isnull=False) | ~Q(
    case_title="", case_text="", notes="", agreements=""
)


@register_part(
    "intervisie_sessions",
    label=_("Intervisie sessions with a case, notes or agreements"),
    count=lambda ids: counted_by_cohort(
        Session.objects.filter(_HAS_CONTENT, group__cohort_id__in=ids), "group__cohort_id"
    ),
    order=30,
)
def _empty_sessions(cohort) -> int:
    return Session.objects.filter(_HAS_CONTENT, group__cohort=cohort).update(
        case_bringer=None, **dict.fromkeys(CONTENT, "")
    )


@register_part(
    "poll_answers",
    label=_("Answers to date polls"),
    count=lambda ids: counted_by_cohort(
        Vote.objects.filter(slot__poll__group__cohort_id__in=ids), "slot__poll__group__cohort_id"
    ),
    order=40,
)
def _remove_votes(cohort) -> int:
    return Vote.objects.filter(slot__poll__group__cohort=cohort).delete()[0]


@register_part(
    "intervisie_reasons",
    label=_("Reasons given for missing an intervisie session"),
    count=lambda ids: counted_by_cohort(
        SessionAttendance.objects.filter(session__group__cohort_id__in=ids).exclude(reason=""),
        "session__group__cohort_id",
    ),
    order=45,
)
def _empty_reasons(cohort) -> int:
    return (
        SessionAttendance.objects.filter(session__group__cohort=cohort)
        .exclude(reason="")
        .update(reason="")
    )
