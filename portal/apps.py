from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    confidential_models = ["CalendarFeed"]  # the token opens a person's agenda
    open_models = [
        "Organisation",
        "User",
        "UserRole",
        "Invitation",
        "InvitationImport",
        "Notification",
        "ReminderOptOut",
        # Who did what, never content: the programme office reads it (BIO).
        "AuditEvent",
        "AuditSubject",
    ]

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from portal import audit, mfa, navigation, permissions, sessions  # noqa: F401  (registers the access policies)
        from portal.confidential import confidential_permissions
        from portal.models import CONFIDENTIAL_PERMISSIONS, Role

        # Every app's models are loaded by now, so every app's classification is known.
        CONFIDENTIAL_PERMISSIONS.update(confidential_permissions())
        audit.connect()
        mfa.connect()
        sessions.connect()

        navigation.register(_("Home"), "portal:home", order=0)
        navigation.register(_("Agenda"), "portal:calendar", order=60)
        navigation.register(
            _("Invitations"), "portal:invitation-list", roles=(Role.HR, Role.BEHEERDER), order=80
        )
        navigation.register(_("Outbox"), "portal:outbox", roles=(Role.BEHEERDER,), order=85)
        navigation.register(_("Audit trail"), "portal:audit", roles=(Role.BEHEERDER,), order=87)
        navigation.register(_("Administration"), "admin:index", roles=(Role.BEHEERDER,), order=90)
