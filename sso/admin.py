from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from sso.models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """The programme office configures an organisation's sign-in here. The client secret
    never passes through this page: the row names the environment variable holding it."""

    list_display = [
        "organisation",
        "protocol",
        "display_name",
        "is_active",
        "allows_new_accounts",
        "enforces_mfa",
    ]
    list_filter = ["protocol", "is_active", "allows_new_accounts", "enforces_mfa"]
    search_fields = ["organisation__name", "display_name", "client_id", "entity_id"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["secret_status", "addresses"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["organisation", "protocol", "display_name", "is_active"]}),
        (
            _("Who may sign in"),
            {"fields": ["email_domains", "allows_new_accounts", "enforces_mfa"]},
        ),
        (
            _("OpenID Connect"),
            {"fields": ["server_url", "client_id", "secret_variable", "secret_status"]},
        ),
        (
            _("SAML 2.0"),
            {"fields": ["metadata_url", "entity_id", "sso_url", "x509_certificate"]},
        ),
        (_("For the identity provider's administrator"), {"fields": ["addresses"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    @admin.display(description=_("client secret"))
    def secret_status(self, obj):
        if obj is None or obj.protocol != IdentityProvider.Protocol.OIDC:
            return "-"
        if obj.client_secret():
            return _("Set on the server in %(name)s.") % {"name": obj.secret_name}
        return _("Not set: give the server the environment variable %(name)s.") % {
            "name": obj.secret_name
        }

    @admin.display(description=_("addresses of the portal"))
    def addresses(self, obj):
        if obj is None or not obj.pk:
            return _("Shown once saved.")
        return "; ".join(f"{label}: {url}" for label, url in obj.portal_addresses())
