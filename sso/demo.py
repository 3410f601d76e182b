"""The demo's Gemeente Utrecht gets an OpenID Connect provider, switched off: the README
switches it on against the local test provider (tests/sso/oidc_provider.mjs)."""

from portal.models import Organisation
from sso.models import IdentityProvider

DEMO_ISSUER = "http://127.0.0.1:9000"
DEMO_CLIENT_ID = "leerportaal-demo"


def load(*, command=None) -> None:
    utrecht = Organisation.objects.get(slug="gemeente-utrecht")
    # get_or_create: running the demo again leaves what a newcomer switched on alone.
    IdentityProvider.objects.get_or_create(
        organisation=utrecht,
        defaults={
            "protocol": IdentityProvider.Protocol.OIDC,
            "display_name": "Lokale testprovider (oidc-provider)",
            "server_url": DEMO_ISSUER,
            "client_id": DEMO_CLIENT_ID,
            "email_domains": "demo.example",
            "allows_new_accounts": True,
            "enforces_mfa": True,
            "is_active": False,
        },
    )
