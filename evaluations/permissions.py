"""Who reads which evaluation results (DOMAIN.md).

Nobody reads an answer one by one: the answer models have a policy that shows no row to
anyone, and every page reads the selectors' figures, which hold back small groups. A
cohort's results are for its trainers and the programme office (the leergang's "manage").
An invitation is its recipient's.
"""

from evaluations.models import Answer, GoalScore, Invitation
from leergang.models import Cohort
from portal import access


@access.register(Invitation)
class InvitationPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(recipient=user)


@access.register(Answer)
class AnswerPolicy(access.Policy):
    """Deny by default: answers are read only as figures of a group."""


@access.register(GoalScore)
class GoalScorePolicy(access.Policy):
    """Deny by default, as answers."""


def get_cohort_results_for_user(user, pk: int) -> Cohort:
    """The cohort whose results ``user`` reads: one they train, or any for the programme
    office; 404 when not visible, 403 when visible but not theirs."""
    return access.get_for_user(
        user, Cohort.objects.select_related("leergang"), action="manage", pk=pk
    )
