"""allauth's MFA login stage, told about organisations whose provider asks two factors.

allauth asks a user with TOTP or a security key for a code after every login, a social one
included (``allauth.mfa.stages.AuthenticateStage`` does not look at how the person signed
in). After a sign-in through a provider that enforces two factors itself, that would be a
third factor: this stage skips the code then. The account adapter lists it instead of
allauth's (``portal.adapters.AccountAdapter.get_login_stages``).
"""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage

ALLAUTH_STAGE = "allauth.mfa.stages.AuthenticateStage"
STAGE = "sso.stages.AuthenticateStage"


def signed_in_through_mfa_provider(login) -> bool:
    """Whether this login came through an active provider that enforces two factors."""
    from sso.adapter import identity_provider_of, provider_of

    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    if sociallogin is None:
        return False
    identity_provider = identity_provider_of(provider_of(sociallogin))
    return bool(identity_provider and identity_provider.enforces_mfa)


class AuthenticateStage(AllauthAuthenticateStage):
    def _should_handle(self, request) -> bool:
        if signed_in_through_mfa_provider(self.login):
            return False
        return super()._should_handle(request)


def login_stages(stages: list[str]) -> list[str]:
    """allauth's list of login stages with ours in place of its MFA code stage."""
    return [STAGE if path == ALLAUTH_STAGE else path for path in stages]
