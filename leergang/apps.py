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
        # Who asked to make up which bijeenkomst where, and the decision's reason.
        "MakeUpRequest",
        # A date and a reason of the programme office: no personal content.
        "RetentionPostponement",
        # Who would like to follow which leergang: the office plans with it (DOMAIN.md).
        "Interest",
    ]

    def ready(self):
        from leergang import (  # noqa: F401
            calendar,
            dashboards,
            exports,
            makeup,
            notifications,
            offers,
            permissions,
            reminders,
            retention,
        )
        from portal import navigation, scheduler
        from portal.models import Role

        # `make run` has no beat: its in-process loop runs the retention daily instead.
        scheduler.register_daily(
            "cohorts whose personal data was removed", retention.retention_apply_due
        )
        # And the offered seats of waiting lists in every pass, as beat runs them.
        scheduler.register_every_pass("offered seats lapsed", offers.offers_expire)
        scheduler.register_every_pass("offered seats reminded", offers.offer_reminders)

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
        navigation.register(
            _("Enrolments"), "leergang:office-enrolments", roles=(Role.BEHEERDER,), order=42
        )
        navigation.register(_("Planning"), "leergang:planning", roles=(Role.BEHEERDER,), order=41)
        navigation.register(
            _("Make up"),
            "leergang:make-up-list",
            roles=(Role.TRAINER, Role.BEHEERDER),
            order=44,
        )
        navigation.register(_("Interest"), "leergang:hr-interest", roles=(Role.HR,), order=46)
        navigation.register(
            _("Report"), "leergang:office-report", roles=(Role.BEHEERDER,), order=43
        )
        navigation.register(
            _("Retention periods"), "leergang:retention", roles=(Role.BEHEERDER,), order=88
        )
