from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")
    # Between coach and participant: goals, sessions with their summaries, private notes.
    confidential_models = ["Goal", "GoalUpdate", "CoachingSession", "PrivateNote"]
    open_models = ["Trajectory", "TrajectoryTransition", "AvailabilitySlot"]

    def ready(self):
        from coaching import (  # noqa: F401
            calendar,
            dashboards,
            exports,
            permissions,
            reminders,
            retention,
        )
        from coaching.selectors import has_coaching_page
        from portal import navigation
        from portal.models import Role

        # One entry for both sides: a coach, and a participant who has a trajectory.
        navigation.register(
            _("Coaching"),
            "coaching:overview",
            roles=(Role.COACH, Role.DEELNEMER),
            applies=has_coaching_page,
            order=27,
        )
        navigation.register(
            _("My availability"), "coaching:availability", roles=(Role.COACH,), order=28
        )
        navigation.register(
            _("Coaching trajectories"),
            "coaching:trajectories",
            roles=(Role.BEHEERDER, Role.HR),
            order=29,
        )
