"""The leergang's panels on the home dashboard."""

from django.utils import timezone

from leergang import selectors
from portal.dashboards import register_panel
from portal.models import Role


@register_panel("leergang/_panel_participant.html", roles=(Role.DEELNEMER,), order=10)
def participant_panel(user):
    return selectors.participant_panel(user)


@register_panel("leergang/_panel_trainer.html", roles=(Role.TRAINER,), order=20)
def trainer_panel(user):
    return {"current": selectors.trainer_cohorts(user)["current"][:5]}


@register_panel("leergang/_panel_hr.html", roles=(Role.HR,), order=30)
def hr_panel(user):
    return {"request_count": selectors.approval_queue(user).count()}


@register_panel("leergang/_panel_office.html", roles=(Role.BEHEERDER,), order=5)
def office_panel(user):
    """What waits for the programme office today, each with the page that does it."""
    return selectors.office_panel(today=timezone.localdate())
