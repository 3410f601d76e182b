"""Configure an organisation's identity provider from the command line (the admin's
/beheer/ page does the same): `python manage.py sso_provider gemeente-utrecht --activate`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.models import Organisation
from sso.models import IdentityProvider


class Command(BaseCommand):
    help = "Create or change the identity provider of an organisation (by its slug)."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's slug, e.g. gemeente-utrecht")
        parser.add_argument("--protocol", choices=IdentityProvider.Protocol.values)
        parser.add_argument("--server-url", help="OpenID Connect: the issuer")
        parser.add_argument("--client-id", help="OpenID Connect: the client id")
        parser.add_argument("--secret-variable", help="name of the variable with the secret")
        parser.add_argument("--metadata-url", help="SAML: the IdP's metadata URL")
        parser.add_argument("--entity-id", help="SAML: the IdP's entity id")
        parser.add_argument("--sso-url", help="SAML: the IdP's single sign-on URL")
        parser.add_argument("--domains", help="the organisation's e-mail domains, comma-separated")
        parser.add_argument("--new-accounts", action="store_true", default=None)
        parser.add_argument("--no-new-accounts", dest="new_accounts", action="store_false")
        parser.add_argument("--enforces-mfa", action="store_true", default=None)
        parser.add_argument("--no-enforces-mfa", dest="enforces_mfa", action="store_false")
        parser.add_argument("--activate", dest="active", action="store_true", default=None)
        parser.add_argument("--deactivate", dest="active", action="store_false")

    def handle(self, *args, organisation, **options):
        try:
            organisation = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        provider = IdentityProvider.objects.filter(organisation=organisation).first()
        provider = provider or IdentityProvider(organisation=organisation, protocol="oidc")
        fields = {
            "protocol": "protocol",
            "server_url": "server_url",
            "client_id": "client_id",
            "secret_variable": "secret_variable",
            "metadata_url": "metadata_url",
            "entity_id": "entity_id",
            "sso_url": "sso_url",
            "domains": "email_domains",
            "new_accounts": "allows_new_accounts",
            "enforces_mfa": "enforces_mfa",
            "active": "is_active",
        }
        for option, field in fields.items():
            if options.get(option) is not None:
                setattr(provider, field, options[option])
        try:
            provider.full_clean()
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        provider.save()
        state = "active" if provider.is_active else "inactive"
        self.stdout.write(f"{provider} is {state}.")
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            have = "set" if provider.client_secret() else "NOT set"
            self.stdout.write(
                f"Client secret: environment variable {provider.secret_name} ({have})."
            )
