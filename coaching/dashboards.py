"""HR's overview: per employee only the sessions used out of agreed, and the state."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coaching import selectors
from coaching.models import Trajectory
from portal.dashboards import register_hr_column, register_panel, unless_empty
from portal.models import Role


@register_hr_column(_("Coaching"), order=30)
def trajectory_counts(users):
    trajectories = Trajectory.objects.filter(participant__in=users).annotate(used=selectors.SPENT)
    cells: dict[int, list[str]] = {}
    for t in trajectories:
        cells.setdefault(t.participant_id, []).append(
            ngettext(
                "%(state)s, %(used)s of %(agreed)s session",
                "%(state)s, %(used)s of %(agreed)s sessions",
                t.agreed_sessions,
            )
            % {"state": t.get_state_display(), "used": t.used, "agreed": t.agreed_sessions}
        )
    return cells


@register_panel("coaching/_panel_participant.html", roles=(Role.DEELNEMER,), order=18)
def participant_panel(user):
    return unless_empty(trajectories=selectors.participant_panel_trajectories(user))


@register_panel("coaching/_panel_coach.html", roles=(Role.COACH,), order=19)
def coach_panel(user):
    return {"upcoming": selectors.coach_upcoming_sessions(user)}
