"""Coaching on the home dashboard: the participant's trajectories and the coach's next sessions."""

from coaching import selectors
from portal.dashboards import register_panel, unless_empty
from portal.models import Role


@register_panel("coaching/_panel_participant.html", roles=(Role.DEELNEMER,), order=18)
def participant_panel(user):
    return unless_empty(trajectories=selectors.participant_panel_trajectories(user))


@register_panel("coaching/_panel_coach.html", roles=(Role.COACH,), order=19)
def coach_panel(user):
    return {"upcoming": selectors.coach_upcoming_sessions(user)}
