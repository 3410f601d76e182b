from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeergangConfig(AppConfig):
    name = "leergang"
    verbose_name = _("Leergangen")
    # The leerlog is the participant's own; an Insights profile is personal data for the trainer.
    confidential_models = ["Reflection", "InsightsProfile"]
    open_models = [
        "Module",
        "Material",
        "Leergang",
        "LeergangModule",
        "Cohort",
        "Enrolment",
        "EnrolmentTransition",
        "Bijeenkomst",
        "Attendance",
    ]

    def ready(self):
        from leergang import (  # noqa: F401
            calendar,
            dashboards,
            exports,
            notifications,
            permissions,
            reminders,
        )
        from portal import navigation
        from portal.models import Role

        # The catalogue is public: a visitor who is not signed in finds it in the menu too.
        navigation.register(_("Leergangen"), "leergang:catalogue", order=10, public=True)
        navigation.register(
            _("My leergang"), "leergang:my-leergang", roles=(Role.DEELNEMER,), order=20
        )
        navigation.register(
            _("My cohorts"),
            "leergang:trainer-cohorts",
            roles=(Role.TRAINER, Role.BEHEERDER),
            order=30,
        )
        navigation.register(
            _("Requests"), "leergang:approval-queue", roles=(Role.HR, Role.BEHEERDER), order=40
        )
