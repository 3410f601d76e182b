"""Signing in through an organisation's SAML 2.0 identity provider: a samlify IdP on
127.0.0.1 answers the portal's AuthnRequest with a signed assertion, which the portal
(allauth, python3-saml) checks. The IdP can be told to misbehave; a tampered message is
changed on its way, as an attacker between browser and portal would."""

from __future__ import annotations

import base64
import html
import re

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, Role, User
from sso.models import IdentityProvider
from tests.factories import UserFactory
from tests.sso.conftest import SAML_HOST, SLUG, portal_path

pytestmark = pytest.mark.django_db

PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MFA = "http://schemas.microsoft.com/claims/multipleauthn"
MESSAGES = {
    "wrong_audience": (
        "Het inlogbericht van Gemeente Utrecht was bedoeld voor een andere toepassing (een "
        "verkeerde audience). Daarom heeft het portaal het geweigerd. Meld het bij je "
        "ICT-afdeling als dit blijft gebeuren."
    ),
    "expired": (
        "Het inlogbericht van Gemeente Utrecht is verlopen. Daarom heeft het portaal het "
        "geweigerd. Log opnieuw in; meld het bij je ICT-afdeling als dit blijft gebeuren."
    ),
    "bad_signature": (
        "De handtekening van het inlogbericht van Gemeente Utrecht klopt niet: het bericht is "
        "onderweg misschien veranderd. Het portaal heeft het geweigerd. Meld het bij je "
        "ICT-afdeling."
    ),
    "unsolicited": (
        "Dit inlogbericht van Gemeente Utrecht hoort niet bij een inlogpoging die in deze "
        "browser is begonnen: het is al eerder gebruikt, of het kwam te laat. Begin opnieuw "
        "met de inlogknop."
    ),
    "foreign_domain": (
        "Het e-mailadres deelnemer@nijmegen.example hoort niet bij Gemeente Utrecht. Daarom "
        "kun je niet inloggen met een account van die organisatie."
    ),
    "no_account": (
        "Je hebt nog geen account in het portaal, en Gemeente Utrecht laat het portaal er "
        "geen aanmaken bij de eerste keer inloggen."
    ),
}


@pytest.fixture
def client():
    """A client that sends a Host header, as browsers do (allauth's SAML views read it)."""
    return Client(HTTP_HOST=SAML_HOST)


@pytest.fixture
def saml_provider(saml_server, saml_keys, utrecht):
    return IdentityProvider.objects.create(
        organisation=utrecht,
        protocol=IdentityProvider.Protocol.SAML,
        display_name="ADFS Utrecht (test)",
        entity_id=f"{saml_server.url}/metadata",
        sso_url=f"{saml_server.url}/sso",
        x509_certificate=saml_keys[2],
        email_domains="utrecht.example",
    )


def saml_response(client, server, **scenario):
    """Press the organisation's button and let the IdP answer (``scenario``: email, names,
    authn_context, audience, expired): where the IdP's form posts, and its fields."""
    scenario.setdefault("given_name", "Sanne")
    scenario.setdefault("family_name", "Bakker")
    server.put("/_test/scenario", scenario)
    start = client.post(reverse("saml_login", kwargs={"organization_slug": SLUG}))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{server.url}/sso?SAMLRequest="), start["Location"]
    page = requests.get(start["Location"], timeout=10)
    assert page.status_code == 200, page.text
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text)[1])
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page.text)
    }
    return portal_path(action), fields


def post_response(client, action, fields):
    """What the browser does with the IdP's form: post it to the portal, follow on."""
    posted = client.post(action, fields)
    assert posted.status_code == 302
    return client.get(posted["Location"])


def saml_sign_in(client, server, *, tamper=None, **scenario):
    """A whole sign-in; ``tamper`` (a function of the XML) changes the IdP's answer on its
    way to the portal. The portal's last response."""
    action, fields = saml_response(client, server, **scenario)
    if tamper:
        xml = base64.b64decode(fields["SAMLResponse"]).decode()
        changed = tamper(xml)
        assert changed != xml
        fields["SAMLResponse"] = base64.b64encode(changed.encode()).decode()
    return post_response(client, action, fields)


def refusal_of(response):
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Inloggen met het account van je organisatie is niet gelukt</h1>" in page
    assert "_auth_user_id" not in response.wsgi_request.session
    return page


def last_audit():
    return AuditEvent.objects.order_by("-pk").first()


def test_invited_account_is_linked(client, saml_provider, saml_server, participant):
    response = saml_sign_in(client, saml_server, email=participant.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == participant.pk
    link = SocialAccount.objects.get(user=participant)
    assert (link.provider, link.uid) == (SLUG, participant.email)
    assert last_audit().action == AuditEvent.Action.SIGN_IN


def test_new_participant_is_created_when_allowed(client, saml_provider, saml_server):
    saml_provider.allows_new_accounts = True
    saml_provider.save()
    saml_sign_in(client, saml_server, email="sanne@utrecht.example")
    user = User.objects.get(email="sanne@utrecht.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.organisation, user.roles) == (saml_provider.organisation, {Role.DEELNEMER})
    assert (user.first_name, user.last_name) == ("Sanne", "Bakker")


def test_new_account_is_refused_when_not_allowed(client, saml_provider, saml_server):
    response = saml_sign_in(client, saml_server, email="sanne@utrecht.example")
    assert MESSAGES["no_account"] in refusal_of(response)
    assert last_audit().detail == "sso:no_account"


def test_email_of_another_organisations_domain_is_refused(
    client, saml_provider, saml_server, outsider
):
    # SAML has no "verified" claim: the IdP is believed for its organisation's domains only.
    saml_provider.allows_new_accounts = True
    saml_provider.save()
    response = saml_sign_in(client, saml_server, email=outsider.email)
    assert MESSAGES["foreign_domain"] in refusal_of(response)
    assert not SocialAccount.objects.exists()


def test_existing_account_of_another_organisation_is_never_linked(
    client, saml_provider, saml_server, nijmegen
):
    moved = UserFactory(email="jan@utrecht.example", organisation=nijmegen)
    response = saml_sign_in(client, saml_server, email=moved.email)
    refusal_of(response)
    assert not SocialAccount.objects.exists()
    assert last_audit().detail == "sso:other_organisation"


def test_wrong_audience_is_refused(client, saml_provider, saml_server, participant):
    response = saml_sign_in(
        client,
        saml_server,
        email=participant.email,
        audience="https://een-andere-toepassing.example/saml",
    )
    assert MESSAGES["wrong_audience"] in refusal_of(response)
    event = last_audit()
    assert (event.detail, event.outcome) == ("sso:wrong_audience", AuditEvent.Outcome.REFUSED)


def test_expired_assertion_is_refused(client, saml_provider, saml_server, participant):
    response = saml_sign_in(client, saml_server, email=participant.email, expired=True)
    assert MESSAGES["expired"] in refusal_of(response)
    assert last_audit().detail == "sso:expired"


def test_tampered_assertion_is_refused(client, saml_provider, saml_server, participant, hr):
    # The participant's valid assertion, changed on its way to name Utrecht's HR instead.
    def become_hr(xml):
        return xml.replace(participant.email, hr.email)

    response = saml_sign_in(client, saml_server, email=participant.email, tamper=become_hr)
    assert MESSAGES["bad_signature"] in refusal_of(response)
    assert last_audit().detail == "sso:bad_signature"
    assert not SocialAccount.objects.exists()


def test_replayed_response_is_refused(client, saml_provider, saml_server, participant):
    action, fields = saml_response(client, saml_server, email=participant.email)
    assert post_response(client, action, fields)["Location"] == reverse("portal:home")
    # Someone who caught the message posts it again from another browser.
    other = Client(HTTP_HOST=SAML_HOST)
    response = post_response(other, action, fields)
    assert MESSAGES["unsolicited"] in refusal_of(response)
    assert last_audit().detail == "sso:unsolicited"


def test_provider_configured_by_its_metadata_url(client, saml_provider, saml_server, participant):
    # Entity id, single sign-on address and certificate read from the IdP's metadata.
    IdentityProvider.objects.filter(pk=saml_provider.pk).update(
        metadata_url=f"{saml_server.url}/metadata", sso_url="", x509_certificate=""
    )
    response = saml_sign_in(client, saml_server, email=participant.email)
    assert response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == participant.pk


def test_provider_that_enforces_mfa_records_the_authn_context(
    client, saml_provider, saml_server, participant
):
    saml_provider.enforces_mfa = True
    saml_provider.save()
    saml_sign_in(client, saml_server, email=participant.email, authn_context=MFA)
    assert client.session["portal_two_factor"] == {
        "via": "sso",
        "provider": saml_provider.pk,
        "amr": [],
        "acr": MFA,
    }


def test_portal_publishes_its_service_provider_metadata(client, saml_provider):
    response = client.get(reverse("saml_metadata", kwargs={"organization_slug": SLUG}))
    assert response.status_code == 200
    assert b"AssertionConsumerService" in response.content
