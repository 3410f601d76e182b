"""The page every refused or failed SSO sign-in ends on, and its audit record."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import audit


def refusal_record(request, code: str) -> None:
    """The failed sign-in in the audit trail: only the reason's code, never a token, an
    assertion or what the provider sent."""
    audit.record(
        audit.Action.SIGN_IN_FAILED,
        request=request,
        detail=f"sso:{code}",
        outcome=audit.Outcome.REFUSED,
    )


def refusal(request, code: str, *, identity_provider=None, email: str = ""):
    """allauth's authentication error page, with the reason in Dutch (403)."""
    from sso.services import REFUSALS

    refusal_record(request, code)
    organisation = (
        identity_provider.organisation.name if identity_provider else _("your organisation")
    )
    message = REFUSALS.get(code, REFUSALS["error"]) % {
        "organisation": organisation,
        "email": email,
    }
    return render(
        request,
        "socialaccount/authentication_error.html",
        {"sso_refusal": message, "sso_refusal_code": code},
        status=403,
    )
