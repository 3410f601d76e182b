"""The page every refused or failed SSO sign-in ends on, with its audit record; allauth's
sign-in views as the portal serves them (``sso/account_urls.py``); and the programme
office's pages to set up an organisation's sign-in (``sso/urls.py``)."""

from __future__ import annotations

import logging
from functools import wraps

import requests
from allauth.account import views as account_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from onelogin.saml2.errors import OneLogin_Saml2_Error

from portal import access, audit
from portal.access import role_required
from portal.feedback import attempt
from portal.listing import list_page
from portal.models import Organisation, Role
from sso import selectors, services
from sso.filters import OrganisationSignInFilter
from sso.forms import IdentityProviderForm
from sso.models import IdentityProvider

logger = logging.getLogger(__name__)


def refusal_record(request, code: str) -> None:
    """The failed sign-in in the audit trail: only the reason's code, never a token, an
    assertion or what the provider sent."""
    audit.record(
        audit.Action.SIGN_IN_FAILED,
        request=request,
        detail=f"sso:{code}",
        outcome=audit.Outcome.REFUSED,
    )


def refusal(request, code: str, *, identity_provider=None, email: str = "", status: int = 403):
    """allauth's authentication error page, with the reason in Dutch (403)."""
    refusal_record(request, code)
    organisation = (
        identity_provider.organisation.name if identity_provider else _("your organisation")
    )
    message = services.REFUSALS.get(code, services.REFUSALS["error"]) % {
        "organisation": organisation,
        "email": email,
    }
    return render(
        request,
        "socialaccount/authentication_error.html",
        {"sso_refusal": message, "sso_refusal_code": code},
        status=status,
    )


def allows_identity_provider_forms(view):
    """The page's Content-Security-Policy lets its forms lead to the identity providers.

    ``form-action 'self'`` also governs where a submitted form is redirected: the browser
    blocks the sign-in button's POST when allauth answers it with a redirect to the
    organisation's provider. Only the pages with such a form get the providers' origins.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = selectors.identity_provider_origins()
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response

    return wrapped


def answers_an_unreachable_provider(view):
    """An OpenID provider whose discovery document does not answer (down, or a wrong
    issuer) is a Dutch page saying so (503), not a 500: the sign-in starts by fetching it."""

    @wraps(view)
    def wrapped(request, provider_id, *args, **kwargs):
        try:
            return view(request, provider_id, *args, **kwargs)
        except requests.RequestException:
            logger.warning("The identity provider %s does not answer.", provider_id, exc_info=True)
            identity_provider = selectors.identity_provider_by_slug(slug=provider_id)
            return refusal(request, "unreachable", identity_provider=identity_provider, status=503)

    return wrapped


def saml_guarded(view):
    """python3-saml reads the Host header itself: a request without one (HTTP/1.0 allows
    that) gets the host Django uses, checked against ALLOWED_HOSTS (else a 400), instead of
    failing with a KeyError. And a provider's settings python3-saml rejects (an address it
    finds invalid) are the Dutch "did not work" page and a line in the log, not a 500."""

    @wraps(view)
    def wrapped(request, *args, organization_slug, **kwargs):
        if "HTTP_HOST" not in request.META:
            request.META["HTTP_HOST"] = request.get_host()
        try:
            return view(request, *args, organization_slug=organization_slug, **kwargs)
        except OneLogin_Saml2_Error:
            logger.exception("SAML sign-in with %s failed on its settings.", organization_slug)
            identity_provider = selectors.identity_provider_by_slug(slug=organization_slug)
            return refusal(request, "error", identity_provider=identity_provider)

    return wrapped


# allauth's views, each with the providers' origins in its page's policy: the login page
# (the buttons) and a provider's own confirmation page (reached by a GET of its address).
login = allows_identity_provider_forms(account_views.login)
oidc_login = allows_identity_provider_forms(answers_an_unreachable_provider(oidc_views.login))
saml_login = allows_identity_provider_forms(saml_guarded(saml_views.login))


def saml_finish(request, organization_slug):
    """allauth's end of a SAML sign-in. It answers a response it did not ask for (no sign-in
    of this browser waiting for it: a replayed or forwarded message, or one that came too
    late) with a bare 403; the person gets the reason, the audit trail a record."""
    try:
        return saml_guarded(saml_views.finish_acs)(request, organization_slug=organization_slug)
    except PermissionDenied:
        identity_provider = selectors.identity_provider_by_slug(slug=organization_slug)
        return refusal(request, "unsolicited", identity_provider=identity_provider)


@role_required(Role.BEHEERDER)
def provider_list(request):
    """Every organisation and how its people sign in."""
    listing = list_page(
        request, OrganisationSignInFilter, selectors.organisations_for_sign_in_page(request.user)
    )
    # An organisation without a provider has no reverse row: None, not an exception.
    rows = [(row, getattr(row, "identity_provider", None)) for row in listing.rows]
    return render(
        request, "sso/provider_list.html", listing.context(rows=rows), status=listing.status
    )


@role_required(Role.BEHEERDER)
def provider_edit(request, pk):
    """Set up or change an organisation's identity provider (one per organisation)."""
    organisation = access.get_for_user(request.user, Organisation, pk=pk)
    provider = selectors.identity_provider_of(organisation=organisation)
    form = IdentityProviderForm(
        request.POST or None,
        instance=provider or IdentityProvider(organisation=organisation),
    )
    if request.method == "POST" and attempt(
        request,
        lambda: services.identity_provider_save(identity_provider=form.instance),
        _("The sign-in of %(organisation)s is saved.") % {"organisation": organisation.name},
        form,
    ):
        return redirect("sso:provider-list")
    return render(
        request,
        "sso/provider_form.html",
        {"form": form, "organisation": organisation, "provider": provider},
    )
