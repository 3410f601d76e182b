from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on per organisation: its OpenID Connect or SAML 2.0 identity provider,
    handed to allauth's social accounts as apps built from our rows (``sso.adapter``)."""

    name = "sso"
    verbose_name = _("Single sign-on")
    # Addresses and a certificate, no secret: the client secret stays in the environment.
    open_models = ["IdentityProvider"]
    # allauth's app as built from a row (never saved): its model has a secret field.
    confidential_models = ["ProviderApp"]

    def ready(self):
        from portal import navigation
        from portal.models import Role

        # ProviderApp, a proxy model, is defined there: import it now so the model registry
        # is the same whatever was imported first (the classification tests read it).
        from sso import adapter, signals  # noqa: F401

        signals.connect()
        navigation.register(
            _("Sign-in through organisations"),
            "sso:provider-list",
            roles=(Role.BEHEERDER,),
            order=88,
        )
