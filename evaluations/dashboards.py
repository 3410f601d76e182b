"""Evaluations on the home dashboard: HR's averages of its own people, a trainer's cohorts."""

from evaluations import selectors
from portal.dashboards import register_panel, unless_empty
from portal.models import Role


@register_panel("evaluations/_panel_hr.html", roles=(Role.HR,), order=35)
def hr_panel(user):
    results = selectors.hr_results(user)
    return {
        "leergangen": results["leergangen"],
        "minimum": results["minimum"],
    }


@register_panel("evaluations/_panel_trainer.html", roles=(Role.TRAINER,), order=25)
def trainer_panel(user):
    return unless_empty(cohorts=[c for c in selectors.trained_cohorts(user) if c.answer_count][:5])


@register_panel("evaluations/_panel_participant.html", roles=(Role.DEELNEMER,), order=19)
def participant_panel(user):
    """The person's own evaluations that are still open (their own links)."""
    return unless_empty(invitations=selectors.open_invitations(user))


@register_panel("evaluations/_panel_beheerder.html", roles=(Role.BEHEERDER,), order=60)
def beheerder_panel(user):
    return {"answer_count": selectors.answer_total()}
