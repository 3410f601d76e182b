"""Reads of the identity providers: what the login page shows, what allauth is given, and
what the programme office's pages list."""

from portal import access
from portal.models import Organisation
from sso.models import IdentityProvider


def identity_providers_active() -> list[IdentityProvider]:
    """The providers people can sign in with now, with their organisation, by its name."""
    return list(IdentityProvider.objects.active().select_related("organisation"))


def identity_provider_get(*, pk) -> IdentityProvider | None:
    """An active provider by its id (as kept in an allauth app's settings), or None."""
    try:
        return IdentityProvider.objects.active().select_related("organisation").get(pk=pk)
    except (IdentityProvider.DoesNotExist, ValueError, TypeError):
        return None


def identity_provider_by_slug(*, slug: str) -> IdentityProvider | None:
    """An active provider by its organisation's slug (its addresses' name), or None."""
    return (
        IdentityProvider.objects.active()
        .select_related("organisation")
        .filter(organisation__slug=slug)
        .first()
    )


def identity_provider_origins() -> list[str]:
    """The origins the sign-in forms send people on to (the browser's form-action rule
    follows the redirect there): each active provider's issuer, SSO or metadata address."""
    from urllib.parse import urlsplit

    origins = []
    for row in IdentityProvider.objects.active().values_list(
        "server_url", "sso_url", "metadata_url"
    ):
        for url in row:
            parts = urlsplit(url or "")
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
            if origin and origin not in origins:
                origins.append(origin)
    return origins


def organisations_for_sign_in_page(user):
    """The organisations the user may see, each with its provider (if any), by name."""
    return (
        access.visible(user, Organisation)
        .select_related("identity_provider")
        .order_by("name", "pk")
    )


def identity_provider_of(*, organisation: Organisation) -> IdentityProvider | None:
    """The organisation's provider, active or not, or None."""
    return IdentityProvider.objects.filter(organisation=organisation).first()
