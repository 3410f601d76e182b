"""allauth's social accounts, fed from our IdentityProvider rows and held to our rules.

``list_apps`` builds allauth's apps (unsaved ``SocialApp`` objects) from the active rows, so
no SocialApp row and no secret is kept in the database. ``pre_social_login`` applies
``sso.services.sso_sign_in_decide`` before allauth links or creates anything; every
refusal and every failed handshake ends on one page with a Dutch reason and an audit record.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError, AuthProcess
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.db import IntegrityError, transaction

from portal.models import Invitation
from sso import selectors, services, views
from sso.models import IdentityProvider

# SAML attributes for e-mail and names: allauth's defaults plus what Microsoft Entra ID and
# ADFS send (their claim types).
SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "given_name",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "family_name",
    ],
}
# Where the SAML provider keeps the assertion's AuthnContextClassRef in the account's data.
AUTHN_CONTEXT_KEY = "authn_context_class_ref"


class OrganisationSAMLProvider(SAMLProvider):
    """allauth's SAML provider that also keeps how the person authenticated at their
    organisation (AuthnContextClassRef): the two-factor record needs it, and allauth keeps
    only the attributes."""

    def extract_extra_data(self, data):
        extra = dict(super().extract_extra_data(data))
        extra[AUTHN_CONTEXT_KEY] = list(data.get_last_authn_contexts() or [])
        return extra


class ProviderApp(SocialApp):
    """An allauth app made from an IdentityProvider row, never saved."""

    class Meta:
        proxy = True
        app_label = "sso"

    def get_provider(self, request):
        if self.provider == SAMLProvider.id:
            return OrganisationSAMLProvider(request=request, app=self)
        return super().get_provider(request)


def app_for(identity_provider: IdentityProvider) -> ProviderApp:
    """The allauth app of one identity provider. Its ``provider_id`` (the organisation's
    slug) names its addresses and the links to accounts; the secret is read from the
    environment now."""
    slug = identity_provider.provider_id
    name = identity_provider.display_name or identity_provider.organisation.name
    common = {"identity_provider": identity_provider.pk}
    if identity_provider.protocol == IdentityProvider.Protocol.OIDC:
        return ProviderApp(
            provider="openid_connect",
            provider_id=slug,
            name=name,
            client_id=identity_provider.client_id,
            secret=identity_provider.client_secret(),
            settings={
                **common,
                "server_url": identity_provider.server_url,
                "oauth_pkce_enabled": True,
            },
        )
    if identity_provider.metadata_url:
        idp = {
            "metadata_url": identity_provider.metadata_url,
            "entity_id": identity_provider.entity_id or None,
        }
    else:
        idp = {
            "entity_id": identity_provider.entity_id,
            "sso_url": identity_provider.sso_url,
            "x509cert": identity_provider.x509_certificate,
        }
    return ProviderApp(
        provider=SAMLProvider.id,
        provider_id=slug,
        name=name,
        # allauth's SAML addresses name the app by client_id: /accounts/saml/<slug>/acs/.
        client_id=slug,
        settings={
            **common,
            "idp": idp,
            "attribute_mapping": SAML_ATTRIBUTES,
            "advanced": {
                "strict": True,
                # Only signed assertions count: a signed envelope around an unsigned
                # assertion could have had the assertion swapped.
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "allow_single_label_domains": False,
            },
        },
    )


def identity_provider_of(provider) -> IdentityProvider | None:
    """The row an allauth provider was built from, read again (it may have been switched
    off since the sign-in began)."""
    app = getattr(provider, "app", None)
    pk = app.settings.get("identity_provider") if app is not None else None
    return selectors.identity_provider_get(pk=pk) if pk is not None else None


def provider_of(sociallogin):
    """The allauth provider a sign-in came through."""
    return getattr(sociallogin, "provider", None) or sociallogin.account.get_provider()


def claimed_email(sociallogin) -> tuple[str, bool]:
    """The address the provider sent, and whether it vouches for it. OpenID Connect: its
    ``email_verified`` claim must be true. SAML has no such claim; the organisation's
    provider is taken at its word for its own domains only (checked by the caller)."""
    data = sociallogin.account.extra_data or {}
    if provider_of(sociallogin).id == SAMLProvider.id:
        email = (sociallogin.user.email or "").strip().lower()
        return email, bool(email)
    claims = data.get("userinfo") or data.get("id_token") or {}
    email = (claims.get("email") or "").strip().lower()
    # Microsoft Entra ID sends no ``email_verified``; its optional claim ``xms_edov`` ("email
    # domain owner verified") says the same: the tenant owns the address's domain.
    return email, any(_true(claims.get(name)) for name in ("email_verified", "xms_edov"))


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


def authentication_context(sociallogin) -> dict:
    """How the person authenticated at their organisation: OpenID Connect's ``amr`` and
    ``acr`` of the ID token, SAML's AuthnContextClassRef (as ``acr``)."""
    data = sociallogin.account.extra_data or {}
    if AUTHN_CONTEXT_KEY in data:
        contexts = data.get(AUTHN_CONTEXT_KEY) or []
        return {"amr": [], "acr": " ".join(str(c) for c in contexts)}
    token = data.get("id_token") or {}
    amr = token.get("amr") or []
    return {
        "amr": [str(method) for method in amr] if isinstance(amr, list) else [str(amr)],
        "acr": str(token.get("acr") or ""),
    }


def saml_refusal_code(reason: str) -> str:
    """Our refusal for what python3-saml reported (its messages are fixed English text)."""
    reason = reason or ""
    if "not a valid audience" in reason:
        return "wrong_audience"
    if (
        "expired" in reason
        or "SubjectConfirmation" in reason
        or "SessionNotOnOrAfter" in reason
        or "not yet valid" in reason
    ):
        return "expired"
    if "Signature validation failed" in reason or "No Signature found" in reason:
        return "bad_signature"
    if "is not signed" in reason or "Reference validation failed" in reason:
        return "bad_signature"
    return "error"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = [app_for(row) for row in selectors.identity_providers_active()]
        if provider:
            apps = [app for app in apps if provider in (app.provider, app.provider_id)]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    def pre_social_login(self, request, sociallogin):
        identity_provider = identity_provider_of(provider_of(sociallogin))
        if identity_provider is None:
            raise ImmediateHttpResponse(views.refusal(request, "error"))
        email, verified = claimed_email(sociallogin)
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            raise ImmediateHttpResponse(
                views.refusal(request, "connect", identity_provider=identity_provider)
            )
        linked = sociallogin.user if sociallogin.is_existing else None
        try:
            decision = services.sso_sign_in_decide(
                identity_provider=identity_provider,
                email=email,
                email_verified=verified,
                linked_user=linked,
            )
        except services.SignInRefused as refused:
            raise ImmediateHttpResponse(
                views.refusal(
                    request, refused.code, identity_provider=identity_provider, email=email
                )
            ) from None
        if linked is None:
            # What allauth stores with a new account: the one address, verified by the rules
            # above (OpenID Connect's claim, or a SAML provider's own domain).
            sociallogin.email_addresses = [EmailAddress(email=email, verified=True, primary=True)]
            sociallogin.user.email = email
        if decision.user is not None and linked is None:
            services.sso_address_confirm(user=decision.user, email=email)
            sociallogin.connect(request, decision.user)
        sociallogin.state["sso_invitation"] = (
            decision.invitation.pk if decision.invitation else None
        )

    def is_open_for_signup(self, request, sociallogin):
        # Only the automatic signup pre_social_login allowed. allauth's signup form (reached
        # when automatic signup fails) would let the person type any address: closed.
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "socialaccount_signup":
            return False
        identity_provider = identity_provider_of(provider_of(sociallogin))
        if identity_provider is None:
            return False
        return bool(
            identity_provider.allows_new_accounts or sociallogin.state.get("sso_invitation")
        )

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def save_user(self, request, sociallogin, form=None):
        identity_provider = identity_provider_of(provider_of(sociallogin))
        if form is not None or identity_provider is None:
            raise ImmediateHttpResponse(views.refusal(request, "error"))
        invitation_pk = sociallogin.state.get("sso_invitation")
        invitation = Invitation.objects.filter(pk=invitation_pk).first() if invitation_pk else None
        try:
            with transaction.atomic():
                services.sso_account_create(
                    user=sociallogin.user,
                    identity_provider=identity_provider,
                    invitation=invitation,
                )
                sociallogin.save(request)
        except IntegrityError:
            # Two first sign-ins of one person at the same moment (two tabs, a double
            # click): the other one made the account. Signing in again links to it.
            raise ImmediateHttpResponse(views.refusal(request, "error")) from None
        return sociallogin.user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        extra_context = extra_context or {}
        if error == AuthError.CANCELLED:
            code = "cancelled"
        elif "saml_last_error_reason" in extra_context or "saml_errors" in extra_context:
            code = saml_refusal_code(extra_context.get("saml_last_error_reason") or "")
        else:
            code = "error"
        identity_provider = identity_provider_of(provider)
        if code == "cancelled":
            # allauth's "cancelled" page says it well; only the record is ours.
            views.refusal_record(request, code)
            return
        raise ImmediateHttpResponse(
            views.refusal(request, code, identity_provider=identity_provider)
        )
