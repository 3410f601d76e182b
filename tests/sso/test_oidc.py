"""Signing in through an organisation's OpenID provider: npm's oidc-provider on 127.0.0.1,
the portal's allauth talking to it over HTTP (discovery, code exchange, JWKS, userinfo)."""

from __future__ import annotations

import threading

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.urls import reverse

from portal.models import AuditEvent, Invitation, Role, User
from sso.models import IdentityProvider
from tests.factories import InvitationFactory, UserFactory
from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, SLUG, follow_to_portal, portal_path

pytestmark = pytest.mark.django_db

MESSAGES = {
    "unverified_email": (
        "De inlogdienst van Gemeente Utrecht heeft niet bevestigd dat het e-mailadres "
        "nieuw@utrecht.example van jou is. Daarom kan het portaal je er niet mee laten "
        "inloggen. Vraag je ICT-afdeling om je adres daar te laten bevestigen, of log in met "
        "je e-mailadres en wachtwoord."
    ),
    "foreign_domain": (
        "Het e-mailadres deelnemer@nijmegen.example hoort niet bij Gemeente Utrecht. Daarom "
        "kun je niet inloggen met een account van die organisatie. Gebruik de inlogknop van "
        "je eigen organisatie, of je e-mailadres en wachtwoord."
    ),
    "other_organisation": (
        "Het portaal heeft een account met dit e-mailadres bij een andere organisatie dan "
        "Gemeente Utrecht. Het koppelt nooit accounts van verschillende organisaties. Log in "
        "met je e-mailadres en wachtwoord, of vraag het programmabureau om je account te "
        "verhuizen."
    ),
    "no_account": (
        "Je hebt nog geen account in het portaal, en Gemeente Utrecht laat het portaal er "
        "geen aanmaken bij de eerste keer inloggen. Vraag je HR-afdeling om een uitnodiging."
    ),
}


@pytest.fixture
def oidc_provider(oidc_server, utrecht, monkeypatch):
    monkeypatch.setenv("SSO_SECRET_GEMEENTE_UTRECHT", CLIENT_SECRET)
    return IdentityProvider.objects.create(
        organisation=utrecht,
        protocol=IdentityProvider.Protocol.OIDC,
        display_name="Test-IdP Utrecht",
        server_url=oidc_server.url,
        client_id=CLIENT_ID,
        email_domains="utrecht.example",
    )


def account(email, *, verified=True, amr=("pwd",), acr="", given="Anna", family="de Vries"):
    claims = {"email": email, "email_verified": verified, "given_name": given}
    claims.update(family_name=family, amr=list(amr))
    if acr:
        claims["acr"] = acr
    return claims


def oidc_sign_in(client, server, claims, *, sub="medewerker-1", process="login"):
    """Press "Inloggen met je account van Gemeente Utrecht", sign in at the provider as
    ``sub`` with these claims, and bring the answer back to the portal: its response."""
    server.put("/_test/accounts", {sub: claims})
    url = reverse("openid_connect_login", kwargs={"provider_id": SLUG})
    start = client.post(url, {"process": process})
    assert start.status_code == 302
    assert start["Location"].startswith(server.url), start["Location"]
    browser = requests.Session()
    form = follow_to_portal(browser, start["Location"])
    assert "Inloggen bij de test-identityprovider" in form.text
    callback = follow_to_portal(browser, form.url, data={"account": sub})
    return client.get(portal_path(callback))


def refusal_of(response):
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Inloggen met het account van je organisatie is niet gelukt</h1>" in page
    return page


def last_audit():
    return AuditEvent.objects.order_by("-pk").first()


def test_login_page_shows_a_button_per_active_provider(client, oidc_provider, nijmegen):
    IdentityProvider.objects.create(
        organisation=nijmegen,
        protocol=IdentityProvider.Protocol.OIDC,
        server_url="http://127.0.0.1:9/",
        client_id="nijmegen",
        email_domains="nijmegen.example",
        is_active=False,
    )
    page = client.get(reverse("account_login")).content.decode()
    assert "Inloggen met je account van Gemeente Utrecht" in page
    assert "Gemeente Nijmegen" not in page
    assert f'action="/accounts/oidc/{SLUG}/login/"' in page
    # Invitation and password login stay.
    assert 'name="password"' in page


def test_invited_account_is_linked_by_verified_email(client, oidc_provider, oidc_server):
    participant = UserFactory(email="anna@utrecht.example", organisation=oidc_provider.organisation)
    response = oidc_sign_in(client, oidc_server, account("anna@utrecht.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == participant.pk
    link = SocialAccount.objects.get(user=participant)
    assert (link.provider, link.uid) == (SLUG, "medewerker-1")
    assert last_audit().action == AuditEvent.Action.SIGN_IN
    # The second time the link is used: same account, no second link.
    client.logout()
    response = oidc_sign_in(client, oidc_server, account("anna@utrecht.example"))
    assert int(client.session["_auth_user_id"]) == participant.pk
    assert SocialAccount.objects.filter(user=participant).count() == 1


def test_new_participant_is_created_when_the_organisation_allows_it(
    client, oidc_provider, oidc_server
):
    oidc_provider.allows_new_accounts = True
    oidc_provider.save()
    response = oidc_sign_in(client, oidc_server, account("Nieuw@Utrecht.example"))
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@utrecht.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.organisation == oidc_provider.organisation
    assert user.roles == {Role.DEELNEMER}
    assert (user.first_name, user.last_name) == ("Anna", "de Vries")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified


def test_pending_invitation_becomes_the_account(client, oidc_provider, oidc_server, hr):
    invitation = InvitationFactory(
        email="bob@utrecht.example",
        organisation=oidc_provider.organisation,
        roles=[Role.HR],
        department="Sociaal Domein",
        invited_by=hr,
    )
    response = oidc_sign_in(client, oidc_server, account("bob@utrecht.example"))
    assert response.status_code == 302
    user = User.objects.get(email="bob@utrecht.example")
    assert user.roles == {Role.HR}
    assert user.department == "Sociaal Domein"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_user == user


def test_unverified_email_claim_is_refused(client, oidc_provider, oidc_server):
    oidc_provider.allows_new_accounts = True
    oidc_provider.save()
    response = oidc_sign_in(client, oidc_server, account("nieuw@utrecht.example", verified=False))
    assert MESSAGES["unverified_email"] in refusal_of(response)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="nieuw@utrecht.example").exists()
    event = last_audit()
    assert (event.action, event.outcome) == (
        AuditEvent.Action.SIGN_IN_FAILED,
        AuditEvent.Outcome.REFUSED,
    )
    assert event.detail == "sso:unverified_email"


def test_unverified_claim_never_links_an_existing_account(client, oidc_provider, oidc_server):
    UserFactory(email="nieuw@utrecht.example", organisation=oidc_provider.organisation)
    response = oidc_sign_in(client, oidc_server, account("nieuw@utrecht.example", verified=False))
    refusal_of(response)
    assert not SocialAccount.objects.exists()


def test_email_of_another_organisations_domain_is_refused(
    client, oidc_provider, oidc_server, outsider
):
    oidc_provider.allows_new_accounts = True
    oidc_provider.save()
    response = oidc_sign_in(client, oidc_server, account(outsider.email))
    assert MESSAGES["foreign_domain"] in refusal_of(response)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert last_audit().detail == "sso:foreign_domain"


def test_existing_account_of_another_organisation_is_never_linked(
    client, oidc_provider, oidc_server, nijmegen
):
    # An address of Utrecht's domain, but the account belongs to Nijmegen (moved, or a
    # mistake): Utrecht's provider does not open it.
    moved = UserFactory(email="jan@utrecht.example", organisation=nijmegen)
    response = oidc_sign_in(client, oidc_server, account("jan@utrecht.example"))
    assert MESSAGES["other_organisation"] in refusal_of(response)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=moved).exists()
    assert last_audit().detail == "sso:other_organisation"


def test_linked_account_moved_to_another_organisation_is_refused(
    client, oidc_provider, oidc_server, nijmegen
):
    person = UserFactory(email="kim@utrecht.example", organisation=oidc_provider.organisation)
    oidc_sign_in(client, oidc_server, account("kim@utrecht.example"))
    client.logout()
    User.objects.filter(pk=person.pk).update(organisation=nijmegen)
    response = oidc_sign_in(client, oidc_server, account("kim@utrecht.example"))
    assert MESSAGES["other_organisation"] in refusal_of(response)
    assert "_auth_user_id" not in client.session


def test_new_account_is_refused_when_the_organisation_does_not_allow_it(
    client, oidc_provider, oidc_server
):
    response = oidc_sign_in(client, oidc_server, account("onbekend@utrecht.example"))
    assert MESSAGES["no_account"] in refusal_of(response)
    assert not User.objects.filter(email="onbekend@utrecht.example").exists()
    assert last_audit().detail == "sso:no_account"


def test_audit_record_holds_only_the_reason(client, oidc_provider, oidc_server):
    oidc_sign_in(client, oidc_server, account("onbekend@utrecht.example"))
    event = last_audit()
    assert event.detail == "sso:no_account"
    assert (event.actor_id, event.object_id) == (None, "")


def test_signed_in_person_cannot_add_a_provider_account(
    client, oidc_provider, oidc_server, participant, outsider
):
    # allauth's "connect" would link the provider's account to whoever is signed in,
    # without the rules above: refused.
    client.force_login(outsider)
    response = oidc_sign_in(client, oidc_server, account(participant.email), process="connect")
    assert "kan niet worden toegevoegd aan een account dat al is ingelogd" in refusal_of(response)
    assert not SocialAccount.objects.exists()
    assert last_audit().detail == "sso:connect"


def test_inactive_provider_cannot_be_used(client, oidc_provider):
    oidc_provider.is_active = False
    oidc_provider.save()
    url = reverse("openid_connect_login", kwargs={"provider_id": SLUG})
    assert client.post(url).status_code == 404
    assert "Gemeente Utrecht" not in client.get(reverse("account_login")).content.decode()


def test_provider_that_enforces_mfa_marks_the_session_two_factor(
    client, oidc_provider, oidc_server, participant
):
    oidc_provider.enforces_mfa = True
    oidc_provider.save()
    claims = account(participant.email, amr=("pwd", "otp"), acr="urn:leerportaal:test:mfa")
    oidc_sign_in(client, oidc_server, claims)
    assert client.session["portal_two_factor"] == {
        "via": "sso",
        "provider": oidc_provider.pk,
        "amr": ["pwd", "otp"],
        "acr": "urn:leerportaal:test:mfa",
    }


def test_provider_without_mfa_leaves_the_session_unmarked(
    client, oidc_provider, oidc_server, participant
):
    oidc_sign_in(client, oidc_server, account(participant.email, amr=("pwd", "otp")))
    assert int(client.session["_auth_user_id"]) == participant.pk
    assert "portal_two_factor" not in client.session


def _with_totp(user):
    """The user has an authenticator app (staff personas may have one already)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def test_staff_with_totp_is_not_asked_a_code_after_an_mfa_provider(
    client, oidc_provider, oidc_server, hr
):
    _with_totp(hr)
    oidc_provider.enforces_mfa = True
    oidc_provider.save()
    response = oidc_sign_in(client, oidc_server, account(hr.email, amr=("pwd", "mfa")))
    assert response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == hr.pk


def test_staff_with_totp_is_asked_a_code_after_a_provider_without_mfa(
    client, oidc_provider, oidc_server, hr
):
    _with_totp(hr)
    response = oidc_sign_in(client, oidc_server, account(hr.email))
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_staff_without_totp_works_after_an_mfa_provider(client, oidc_provider, oidc_server):
    # The portal's rule for staff (portal.mfa) takes the provider's two factors.
    hr = UserFactory(
        email="hr.sso@utrecht.example",
        organisation=oidc_provider.organisation,
        roles=[Role.HR],
        second_factor=False,
    )
    oidc_provider.enforces_mfa = True
    oidc_provider.save()
    oidc_sign_in(client, oidc_server, account(hr.email, amr=("pwd", "mfa")))
    assert client.get(reverse("hr:people")).status_code == 200


def test_staff_without_totp_must_set_it_up_after_a_provider_without_mfa(
    client, oidc_provider, oidc_server
):
    hr = UserFactory(
        email="hr.sso@utrecht.example",
        organisation=oidc_provider.organisation,
        roles=[Role.HR],
        second_factor=False,
    )
    oidc_sign_in(client, oidc_server, account(hr.email))
    assert int(client.session["_auth_user_id"]) == hr.pk
    response = client.get(reverse("hr:people"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db(transaction=True)
def test_two_first_sign_ins_at_once_make_one_account_and_no_error(
    client, oidc_provider, oidc_server, monkeypatch
):
    """The other sign-in makes the account between this one's check and its save: this one
    is refused with a message (no 500), and signing in again links to that account."""
    from sso import services

    oidc_provider.allows_new_accounts = True
    oidc_provider.save()
    create = services.sso_account_create

    def the_other_one_was_first(**kwargs):
        # The other request, on its own connection, commits its account first.
        def other_request():
            UserFactory(email="nieuw@utrecht.example", organisation=oidc_provider.organisation)
            connection.close()

        other = threading.Thread(target=other_request)
        other.start()
        other.join()
        return create(**kwargs)

    monkeypatch.setattr(services, "sso_account_create", the_other_one_was_first)
    response = oidc_sign_in(client, oidc_server, account("nieuw@utrecht.example"))
    assert "Probeer het opnieuw" in refusal_of(response)
    assert User.objects.filter(email="nieuw@utrecht.example").count() == 1

    monkeypatch.setattr(services, "sso_account_create", create)
    response = oidc_sign_in(client, oidc_server, account("nieuw@utrecht.example"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(
        User.objects.get(email="nieuw@utrecht.example").pk
    )


def test_entra_ids_domain_owner_claim_vouches_for_the_address(client, oidc_provider, oidc_server):
    """Microsoft Entra ID sends ``xms_edov`` (the tenant owns the domain) instead of
    ``email_verified``; with neither true the address is refused."""
    participant = UserFactory(email="anna@utrecht.example", organisation=oidc_provider.organisation)
    claims = account("anna@utrecht.example", verified=None)
    claims.pop("email_verified")
    refused = oidc_sign_in(client, oidc_server, {**claims, "xms_edov": False})
    assert "niet bevestigd" in refusal_of(refused)
    response = oidc_sign_in(client, oidc_server, {**claims, "xms_edov": True})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)
