from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    """What the HR staff of an organisation see of their own people: figures, lists and
    exports gathered from every app. It sits above the other apps (it reads their
    models) and holds no data of its own."""

    name = "hr"
    verbose_name = _("HR")
    open_models: list[str] = []

    def ready(self):
        from hr import summary
        from portal import navigation
        from portal.models import Role

        summary.connect_signals()

        navigation.register(_("Dashboard"), "hr:dashboard", roles=(Role.HR,), order=42)
        navigation.register(_("Employees"), "hr:people", roles=(Role.HR,), order=45)
