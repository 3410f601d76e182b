from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from coaching import calendar, dashboards, exports, notifications, permissions  # noqa: F401
        from portal import navigation
        from portal.models import CONFIDENTIAL_PERMISSIONS, Role

        navigation.register(_("Coaching"), "coaching:overview", roles=(Role.COACH,), order=27)
        navigation.register(
            _("My availability"), "coaching:availability", roles=(Role.COACH,), order=28
        )
        navigation.register(
            _("Coaching trajectories"),
            "coaching:trajectories",
            roles=(Role.BEHEERDER, Role.HR),
            order=29,
        )

        # The admin can never show a coach's private notes, whatever the beheerder's rights.
        CONFIDENTIAL_PERMISSIONS.update(
            f"coaching.{action}_privatenote" for action in ("view", "add", "change", "delete")
        )
