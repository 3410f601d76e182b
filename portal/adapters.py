from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Nobody signs up on their own: a beheerder or HR invites people."""
        return False

    def get_client_ip(self, request):
        """The address rate limits count: the client's as our proxies forwarded it.

        allauth answers a 500 when X-Forwarded-For has fewer entries than
        TRUSTED_PROXY_COUNT, which a request that skipped a proxy can cause. The
        connection's own address is the one we can trust then.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META["REMOTE_ADDR"]

    def get_login_stages(self):
        """allauth's stages, with sso's MFA stage: no code after a sign-in through an
        organisation's provider that asks two factors itself."""
        from sso.stages import login_stages

        return login_stages(super().get_login_stages())
