"""After a sign-in through an organisation's provider: the session's two-factor record."""

from __future__ import annotations

# Read by the portal's MFA rule for staff: present when the sign-in came through a provider
# that enforces two factors itself.
TWO_FACTOR_SESSION_KEY = "portal_two_factor"


def signed_in(sender, request, user, sociallogin=None, **kwargs):
    """Mark the session as two-factor when the organisation's provider vouches for it; a
    sign-in through a provider that does not enforce it leaves no such mark."""
    from sso.adapter import authentication_context, identity_provider_of, provider_of

    if sociallogin is None:
        return
    request.session.pop(TWO_FACTOR_SESSION_KEY, None)
    identity_provider = identity_provider_of(provider_of(sociallogin))
    if identity_provider is None or not identity_provider.enforces_mfa:
        return
    request.session[TWO_FACTOR_SESSION_KEY] = {
        "via": "sso",
        "provider": identity_provider.pk,
        **authentication_context(sociallogin),
    }


def connect() -> None:
    from allauth.account.signals import user_logged_in

    user_logged_in.connect(signed_in, dispatch_uid="sso.signed_in")
