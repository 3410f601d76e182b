"""Who a sign-in through an organisation's identity provider lets in, and as whom.

The rules (issue 13): an account is linked by a verified e-mail address only, and only an
account of the provider's own organisation; an address outside the organisation's domains
is refused; someone without an account gets one as a participant when the organisation
allows it, or the account their pending invitation describes.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Invitation, Role, User
from portal.services import InvitationUnusable, invitation_check, user_set_roles
from sso.models import IdentityProvider

# Why a sign-in is refused: the code goes to the audit trail ("sso:<code>"), the text to the
# person. %(organisation)s is the provider's organisation, %(email)s the address it sent.
REFUSALS = {
    "unverified_email": _(
        "The sign-in service of %(organisation)s did not confirm that the e-mail address "
        "%(email)s is yours, so the portal cannot sign you in with it. Ask your ICT "
        "department to confirm your address there, or sign in with your e-mail address and "
        "password."
    ),
    "no_email": _(
        "The sign-in service of %(organisation)s did not send an e-mail address, so the "
        "portal cannot tell who you are. Ask your ICT department to send it."
    ),
    "foreign_domain": _(
        "The e-mail address %(email)s does not belong to %(organisation)s, so you cannot sign "
        "in with that organisation's account. Use the sign-in button of your own "
        "organisation, or your e-mail address and password."
    ),
    "other_organisation": _(
        "The portal has an account with this e-mail address at another organisation than "
        "%(organisation)s. It never links accounts across organisations. Sign in with your "
        "e-mail address and password, or ask the programme office to move your account."
    ),
    "no_account": _(
        "You do not have an account in the portal yet, and %(organisation)s does not let the "
        "portal create one at your first sign-in. Ask your HR department for an invitation."
    ),
    "connect": _(
        "An account of %(organisation)s cannot be added to an account that is signed in. "
        "Sign out first, then sign in with your organisation's account."
    ),
    "wrong_audience": _(
        "The sign-in message from %(organisation)s was meant for another application (a "
        "wrong audience), so the portal refused it. Tell your ICT department if this keeps "
        "happening."
    ),
    "expired": _(
        "The sign-in message from %(organisation)s has expired, so the portal refused it. "
        "Sign in again; if this keeps happening, tell your ICT department."
    ),
    "bad_signature": _(
        "The signature of the sign-in message from %(organisation)s is not valid: the message "
        "may have been changed on its way. The portal refused it. Tell your ICT department."
    ),
    "unsolicited": _(
        "This sign-in message from %(organisation)s does not belong to a sign-in started in "
        "this browser: it was used before, or it came too late. Start again with the sign-in "
        "button."
    ),
    "unreachable": _(
        "The sign-in service of %(organisation)s does not answer at the moment, so the portal "
        "cannot send you there. Try again in a few minutes, or sign in with your e-mail "
        "address and password."
    ),
    "error": _(
        "Signing in with the account of %(organisation)s did not work. Try again, or sign in "
        "with your e-mail address and password."
    ),
}


class SignInRefused(Exception):
    """An SSO sign-in the portal does not accept; ``code`` is a key of REFUSALS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SignInDecision:
    """Whom a sign-in lets in: an existing account, a pending invitation to turn into one,
    or (both None) a new participant of the provider's organisation."""

    user: User | None = None
    invitation: Invitation | None = None


def sso_sign_in_decide(
    *,
    identity_provider: IdentityProvider,
    email: str,
    email_verified: bool,
    linked_user: User | None = None,
) -> SignInDecision:
    """Apply the linking rules to what the provider said; raises SignInRefused."""
    organisation_id = identity_provider.organisation_id
    if linked_user is not None:
        # Linked before; a person since moved to another organisation is not let in by
        # their old organisation's provider.
        if linked_user.organisation_id != organisation_id:
            raise SignInRefused("other_organisation")
        return SignInDecision(user=linked_user)
    if not email:
        raise SignInRefused("no_email")
    if not identity_provider.owns_email(email):
        raise SignInRefused("foreign_domain")
    if not email_verified:
        raise SignInRefused("unverified_email")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if user.organisation_id != organisation_id:
            raise SignInRefused("other_organisation")
        return SignInDecision(user=user)
    invitation = _pending_invitation(email)
    if invitation is not None:
        if invitation.organisation_id != organisation_id:
            raise SignInRefused("other_organisation")
        return SignInDecision(invitation=invitation)
    if not identity_provider.allows_new_accounts:
        raise SignInRefused("no_account")
    return SignInDecision()


def _pending_invitation(email: str) -> Invitation | None:
    for invitation in Invitation.objects.filter(email__iexact=email, accepted_at=None).order_by(
        "-created_at"
    ):
        try:
            invitation_check(invitation)
        except InvitationUnusable:
            continue
        return invitation
    return None


def sso_address_confirm(*, user: User, email: str) -> None:
    """The organisation's provider vouched for the address: mark it verified, so the
    e-mail verification stage does not stop the person."""
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@transaction.atomic
def sso_account_create(
    *, user: User, identity_provider: IdentityProvider, invitation: Invitation | None
) -> User:
    """Save the account a first sign-in makes (allauth filled in e-mail and names): of the
    provider's organisation, without a password, with the invitation's roles and department
    or as a participant."""
    user.organisation = identity_provider.organisation
    user.email = user.email.lower()
    user.set_unusable_password()
    roles = [Role.DEELNEMER]
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check(invitation)
        user.first_name = user.first_name or invitation.first_name
        user.last_name = user.last_name or invitation.last_name
        user.department = invitation.department
        roles = invitation.roles
    user.save()
    user_set_roles(user=user, roles=roles)
    if invitation is not None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


def identity_provider_save(*, identity_provider: IdentityProvider) -> IdentityProvider:
    """Save an organisation's provider as the programme office set it; raises
    ValidationError for what its protocol is missing. Takes effect at the next sign-in."""
    identity_provider.full_clean()
    identity_provider.save()
    return identity_provider
