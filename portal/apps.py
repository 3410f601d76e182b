from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from portal import navigation, permissions  # noqa: F401  (registers the access policies)
        from portal.models import Role

        navigation.register(_("Home"), "portal:home", order=0)
        navigation.register(_("Agenda"), "portal:calendar", order=60)
        navigation.register(_("Employees"), "portal:hr-people", roles=(Role.HR,), order=45)
        navigation.register(
            _("Invitations"), "portal:invitation-list", roles=(Role.HR, Role.BEHEERDER), order=80
        )
        navigation.register(_("Administration"), "admin:index", roles=(Role.BEHEERDER,), order=90)
