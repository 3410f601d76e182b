import os
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation

# A domain as people type it after the @: labels of letters, digits and hyphens.
DOMAIN_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


def parse_domains(text: str) -> list[str]:
    """The domains in what was typed: separated by commas, spaces or lines, lower case, an
    @ in front dropped, each once, in the order given."""
    seen = []
    for part in re.split(r"[\s,;]+", text or ""):
        domain = part.strip().lstrip("@").lower()
        if domain and domain not in seen:
            seen.append(domain)
    return seen


def secret_variable_for(organisation: Organisation) -> str:
    """``SSO_SECRET_GEMEENTE_UTRECHT`` for Gemeente Utrecht: where its client secret lives."""
    return "SSO_SECRET_" + re.sub(r"[^A-Z0-9]+", "_", organisation.slug.upper()).strip("_")


class IdentityProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class IdentityProvider(models.Model):
    """An organisation's own identity provider (Entra ID, ADFS, ...): its people sign in with
    the account they already have. The client secret is not stored here: the row names the
    environment variable that holds it, so no database dump or admin page carries it."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("organisation"),
    )
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    display_name = models.CharField(
        _("display name"),
        max_length=200,
        blank=True,
        help_text=_("What the identity provider is called, e.g. 'Microsoft Entra ID'."),
    )
    # OpenID Connect
    server_url = models.URLField(
        _("issuer (server URL)"),
        blank=True,
        help_text=_("OpenID Connect: the issuer; its /.well-known/openid-configuration is read."),
    )
    client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    secret_variable = models.CharField(
        _("environment variable with the client secret"),
        max_length=100,
        blank=True,
        help_text=_(
            "OpenID Connect: the name of the environment variable on the server that holds "
            "the client secret. Empty: SSO_SECRET_ followed by the organisation's slug in "
            "capitals."
        ),
    )
    # SAML 2.0
    metadata_url = models.URLField(
        _("IdP metadata URL"),
        blank=True,
        help_text=_("SAML: the identity provider's metadata; or fill in the three fields below."),
    )
    entity_id = models.CharField(_("IdP entity ID"), max_length=255, blank=True)
    sso_url = models.URLField(_("IdP single sign-on URL"), blank=True)
    x509_certificate = models.TextField(
        _("IdP signing certificate"),
        blank=True,
        help_text=_("SAML: the X.509 certificate (PEM) the identity provider signs with."),
    )
    email_domains = models.TextField(
        _("e-mail domains"),
        help_text=_(
            "The domains of the organisation's e-mail addresses, e.g. utrecht.nl, one per "
            "line. Other addresses are refused."
        ),
    )
    allows_new_accounts = models.BooleanField(
        _("creates new participants"),
        default=False,
        help_text=_(
            "Someone of the organisation without an account gets one as a participant at "
            "their first sign-in."
        ),
    )
    enforces_mfa = models.BooleanField(
        _("enforces two factors"),
        default=False,
        help_text=_(
            "The identity provider already asks a second factor: a sign-in through it counts "
            "as two-factor for staff."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            # allauth finds an OpenID Connect app again by its client id after a login stage
            # (Provider.deserialize); two with one id would be ambiguous.
            models.UniqueConstraint(
                fields=["client_id"],
                condition=models.Q(protocol="oidc"),
                name="sso_unique_oidc_client_id",
                violation_error_message=_(
                    "Another organisation's identity provider has this client ID."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_protocol_display()})"

    @property
    def is_oidc(self) -> bool:
        return self.protocol == self.Protocol.OIDC

    @property
    def provider_id(self) -> str:
        """The name in its addresses (/accounts/oidc/<id>/, /accounts/saml/<id>/) and in the
        links to accounts: the organisation's slug."""
        return self.organisation.slug

    @property
    def domains(self) -> list[str]:
        return parse_domains(self.email_domains)

    def owns_email(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains

    @property
    def secret_name(self) -> str:
        return self.secret_variable or secret_variable_for(self.organisation)

    def client_secret(self) -> str:
        """Read at run time, so a changed secret needs no database change."""
        return os.environ.get(self.secret_name, "")

    def portal_addresses(self) -> list[tuple[str, str]]:
        """What the provider's administrator configures on their side: the portal's
        addresses for this organisation, absolute."""
        from django.conf import settings
        from django.urls import reverse

        slug, base = self.provider_id, settings.PORTAL_BASE_URL
        if self.protocol == self.Protocol.OIDC:
            callback = reverse("openid_connect_callback", kwargs={"provider_id": slug})
            return [(_("Redirect URI"), base + callback)]
        return [
            (_("SP metadata"), base + reverse("saml_metadata", kwargs={"organization_slug": slug})),
            (
                _("Assertion consumer service"),
                base + reverse("saml_acs", kwargs={"organization_slug": slug}),
            ),
        ]

    def clean(self):
        errors = {}
        domains = parse_domains(self.email_domains)
        wrong = [domain for domain in domains if not DOMAIN_RE.match(domain)]
        if not domains:
            errors["email_domains"] = _("Give at least one e-mail domain.")
        elif wrong:
            errors["email_domains"] = _("Not a domain: %(domains)s.") % {
                "domains": ", ".join(wrong)
            }
        else:
            self.email_domains = "\n".join(domains)
        if self.secret_variable and not re.fullmatch(r"[A-Z_][A-Z0-9_]*", self.secret_variable):
            errors["secret_variable"] = _(
                "Capitals, digits and underscores only, e.g. SSO_SECRET_UTRECHT."
            )
        required = {"oidc": ["server_url", "client_id"], "saml": []}[self.protocol or "saml"]
        if self.protocol == self.Protocol.SAML and not self.metadata_url:
            required = ["entity_id", "sso_url", "x509_certificate"]
        for name in required:
            if not getattr(self, name):
                errors[name] = _("Required for this protocol.")
        if errors:
            raise ValidationError(errors)
