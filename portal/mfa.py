"""Two factors for staff: trainers, coaches, HR and the programme office see personal
data of many people, so their password alone is not enough (BIO).

allauth.mfa does the work: TOTP with recovery codes, and WebAuthn security keys. Once a
person has an authenticator, allauth asks for it at every sign-in before Django's
``login`` runs. What this module adds:

* ``RequireTwoFactorMiddleware``: staff without a second factor reach only its setup
  (and sign-out), on every URL of the portal and the admin;
* the session remembers that it was signed in with two factors, so pages ask the
  database nothing for it (``SESSION_KEY``); a sign-in through an organisation's
  identity provider that enforces two factors itself sets the same key (``via: sso``);
* the adapter refuses to remove a staff member's last second factor;
* every change of a second factor, and every wrong code, goes to the audit trail.
"""

from __future__ import annotations

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.models import Role

STAFF_ROLES = (Role.TRAINER, Role.COACH, Role.HR, Role.BEHEERDER)
SESSION_KEY = "portal_two_factor"
# Recovery codes are a way back in, not a second factor of their own.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
SETUP_URL_NAME = "mfa_activate_totp"
# What staff without a second factor may still open: allauth's MFA pages (setting it up
# asks them to confirm their password first), signing out, and the language switch.
OPEN_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "set_language",
        "health",
    }
)


def totp_code(secret: str, at=None) -> str:
    """The TOTP code of ``secret`` at ``at`` (now): what an authenticator app shows."""
    moment = (at or timezone.now()).timestamp()
    return format_hotp_value(hotp_value(secret, int(moment // mfa_settings.TOTP_PERIOD)))


def requires_two_factor(user) -> bool:
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def mark_session(request, via: str, **claims) -> None:
    request.session[SESSION_KEY] = {"via": via, **claims}


def session_is_two_factor(request) -> bool:
    return SESSION_KEY in request.session


class RequireTwoFactorMiddleware:
    """Sends staff without a second factor to its setup, whatever they ask for.

    After AuthenticationMiddleware. A participant is never sent; for staff the session
    says whether it was signed in with two factors, so a page costs no query for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or session_is_two_factor(request):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES and not match.namespace:
            return None
        if not requires_two_factor(user):
            return None
        if has_second_factor(user):
            # Signed in before this rule, or the factor was added in another session:
            # allauth asked for it at this session's sign-in when it existed then.
            mark_session(request, "mfa")
            return None
        return redirect(SETUP_URL_NAME)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Staff cannot switch off two-factor authentication. Add another method first "
            "if you want to remove this one."
        ),
    }

    def get_totp_issuer(self) -> str:
        return "Leerportaal"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep at least one second factor; recovery codes alone are none."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not requires_two_factor(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()


# --- signals: the session and the audit trail -------------------------------------------


def on_login(sender, request, user, **kwargs):
    # Django's login runs after allauth's stages: a person with a second factor has just
    # given it. (A session signed in through an identity provider is marked by sso.)
    if request is not None and hasattr(request, "session") and has_second_factor(user):
        request.session.setdefault(SESSION_KEY, {"via": "mfa"})


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in SECOND_FACTORS:
        mark_session(request, "mfa")
    _record_change(request, user, authenticator, "added")


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record_change(request, user, authenticator, "removed")


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record_change(request, user, authenticator, "reset")


def on_authentication_failed(sender, request, user, authenticator, **kwargs):
    audit.record(
        audit.Action.SIGN_IN_FAILED,
        request=request,
        obj=user,
        detail=f"mfa:{authenticator.type}",
        subjects=[user.pk],
        outcome=audit.Outcome.REFUSED,
    )


def _record_change(request, user, authenticator, what: str) -> None:
    audit.record(
        audit.Action.MFA_CHANGED,
        actor=getattr(request, "user", None) or user,
        request=request,
        obj=user,
        detail=f"{authenticator.type}:{what}",
        subjects=[user.pk],
    )


def connect() -> None:
    from allauth.mfa import signals
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(on_login, dispatch_uid="mfa.on_login")
    signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="mfa.added")
    signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="mfa.removed")
    signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="mfa.reset")
    signals.authentication_failed.connect(on_authentication_failed, dispatch_uid="mfa.failed")


def second_factor_reset(person, *, by, request=None) -> None:
    """Remove all of a person's second factors and end their sessions: the programme
    office's answer to a lost phone. Staff then set up a new one at their next sign-in."""
    from portal.sessions import end_sessions  # sessions reads STAFF_ROLES from here

    with transaction.atomic():
        factors = Authenticator.objects.filter(user=person)
        kinds = sorted(set(factors.values_list("type", flat=True)))
        factors.delete()
        end_sessions(UserSession.objects.filter(user=person))
        audit.record(
            audit.Action.MFA_CHANGED,
            actor=by,
            request=request,
            obj=person,
            detail=f"reset:{','.join(kinds) or 'none'}",
            subjects=[person.pk],
        )
