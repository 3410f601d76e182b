"""Intervisie on the home dashboard, and as counts in HR's overview."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intervisie import selectors
from portal.dashboards import register_hr_column, register_panel, unless_empty
from portal.models import Role


@register_panel("intervisie/_panel_member.html", roles=(Role.DEELNEMER,), order=15)
def member_panel(user):
    return unless_empty(overviews=selectors.member_panel(user))


@register_panel("intervisie/_panel_trainer.html", roles=(Role.TRAINER,), order=25)
def trainer_panel(user):
    return unless_empty(
        groups=[g for cohort in selectors.trainer_cohorts(user) for g in cohort.my_groups]
    )


@register_hr_column(_("Intervisie"), order=20)
def session_counts(users):
    """Only how many sessions a person attended out of how many were held."""
    return {
        pk: [
            ngettext("%(attended)s of %(held)s session", "%(attended)s of %(held)s sessions", held)
            % {"attended": attended, "held": held}
        ]
        for pk, (attended, held) in selectors.attendance_counts(users).items()
        if held
    }
