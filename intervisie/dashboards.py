"""Intervisie on the home dashboard."""

from intervisie import selectors
from portal.dashboards import register_panel, unless_empty
from portal.models import Role


@register_panel("intervisie/_panel_member.html", roles=(Role.DEELNEMER,), order=15)
def member_panel(user):
    return unless_empty(overviews=selectors.member_panel(user))


@register_panel("intervisie/_panel_trainer.html", roles=(Role.TRAINER,), order=25)
def trainer_panel(user):
    return unless_empty(
        groups=[g for cohort in selectors.trainer_cohorts(user) for g in cohort.my_groups]
    )
