"""Reads of the identity providers: what the login page shows and what allauth is given."""

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
