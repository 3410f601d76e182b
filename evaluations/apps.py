from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")
    # An invitation says who was asked about what and whether they answered; an answer says
    # nothing about who gave it. Neither is confidential to the programme office.
    open_models = ["Invitation", "Answer", "GoalScore"]

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from evaluations import dashboards, exports, permissions, reminders, retention  # noqa: F401
        from evaluations.models import Answer
        from evaluations.selectors import forget_answer_total

        for signal in (post_save, post_delete):
            signal.connect(forget_answer_total, sender=Answer, dispatch_uid="answer-total")
        from portal import navigation
        from portal.models import Role

        # The programme office's menu is full: its home page has a panel that leads to the
        # trends, which link to the cohorts' results.
        navigation.register(
            _("Evaluations"),
            "evaluations:cohorts",
            roles=(Role.TRAINER,),
            applies=lambda user: not user.is_beheerder,
            order=35,
        )
        navigation.register(
            _("Coaching evaluations"), "evaluations:coaching", roles=(Role.COACH,), order=37
        )
        navigation.register(_("Evaluations"), "evaluations:hr", roles=(Role.HR,), order=45)
