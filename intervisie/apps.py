from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervisieConfig(AppConfig):
    name = "intervisie"
    verbose_name = _("Intervisie")
    # What is said stays in the group (case, notes, agreements); a member's poll answers
    # tell when they are free, which only their group needs to know.
    confidential_models = ["Session", "Vote"]
    open_models = ["Method", "Group", "Membership", "Poll", "Slot", "SessionAttendance"]

    def ready(self):
        from intervisie import (  # noqa: F401
            calendar,
            dashboards,
            exports,
            permissions,
            reminders,
            retention,
        )
        from portal import navigation
        from portal.models import Role

        navigation.register(
            _("Intervisie"), "intervisie:my-groups", roles=(Role.DEELNEMER,), order=25
        )
        navigation.register(
            _("Intervisie"), "intervisie:trainer-overview", roles=(Role.TRAINER,), order=35
        )
