"""Configuring an organisation's identity provider: the row, the admin, the command, the apps
allauth is given, and the login page's policy. No provider process needed."""

from __future__ import annotations

import io

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from sso import demo
from sso.adapter import SocialAccountAdapter, saml_refusal_code
from sso.models import IdentityProvider
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def oidc_row(organisation, **fields):
    values = {
        "organisation": organisation,
        "protocol": IdentityProvider.Protocol.OIDC,
        "server_url": "https://login.utrecht.example/oidc",
        "client_id": "leerportaal",
        "email_domains": "utrecht.example",
    }
    return IdentityProvider(**{**values, **fields})


def test_email_domains_are_normalised(utrecht):
    row = oidc_row(utrecht, email_domains="@Utrecht.example, werk.utrecht.example\nutrecht.example")
    row.full_clean()
    assert row.domains == ["utrecht.example", "werk.utrecht.example"]
    assert row.owns_email("Anna@WERK.utrecht.example")
    assert not row.owns_email("anna@nijmegen.example")
    assert not row.owns_email("anna@evil-utrecht.example")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email_domains": " , "}, "email_domains", "Geef minstens één e-maildomein op."),
        ({"email_domains": "geen domein"}, "email_domains", "Geen domein: geen, domein."),
        ({"server_url": ""}, "server_url", "Verplicht voor dit protocol."),
        ({"client_id": ""}, "client_id", "Verplicht voor dit protocol."),
        ({"secret_variable": "geheim"}, "secret_variable", "Alleen hoofdletters, cijfers"),
        ({"protocol": "saml"}, "sso_url", "Verplicht voor dit protocol."),
    ],
)
def test_incomplete_rows_are_refused_with_a_dutch_message(utrecht, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        oidc_row(utrecht, **fields).full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_saml_with_a_metadata_url_needs_nothing_else(utrecht):
    row = oidc_row(
        utrecht,
        protocol="saml",
        server_url="",
        client_id="",
        metadata_url="https://adfs.utrecht.example/FederationMetadata.xml",
    )
    row.full_clean()


def test_two_organisations_cannot_share_an_oidc_client_id(utrecht, nijmegen):
    oidc_row(utrecht).save()
    with pytest.raises(ValidationError) as refused:
        oidc_row(nijmegen, server_url="https://login.nijmegen.example").full_clean()
    assert "heeft deze client-ID al" in str(refused.value)


def test_allauth_gets_unsaved_apps_of_active_rows_with_the_secret_from_the_environment(
    utrecht, nijmegen, monkeypatch
):
    monkeypatch.setenv("SSO_SECRET_GEMEENTE_UTRECHT", "uit-de-omgeving")
    oidc_row(utrecht).save()
    oidc_row(nijmegen, client_id="nijmegen", is_active=False).save()
    request = RequestFactory().get("/")
    apps = SocialAccountAdapter(request).list_apps(request)
    assert [(app.provider, app.provider_id, app.secret) for app in apps] == [
        ("openid_connect", "gemeente-utrecht", "uit-de-omgeving")
    ]
    assert SocialApp.objects.count() == 0
    # Nothing in the row holds the secret.
    row = IdentityProvider.objects.values().get(organisation=utrecht)
    assert "uit-de-omgeving" not in str(row)


def test_secret_variable_can_be_named(utrecht, monkeypatch):
    monkeypatch.setenv("UTRECHT_ENTRA_SECRET", "anders")
    row = oidc_row(utrecht, secret_variable="UTRECHT_ENTRA_SECRET")
    assert (row.secret_name, row.client_secret()) == ("UTRECHT_ENTRA_SECRET", "anders")


def test_beheerder_adds_a_provider_in_the_admin(client, beheerder, utrecht):
    client.force_login(beheerder)
    page = client.get(reverse("admin:sso_identityprovider_add"))
    assert page.status_code == 200
    assert "Omgevingsvariabele met het client secret" in page.content.decode()
    response = client.post(
        reverse("admin:sso_identityprovider_add"),
        {
            "organisation": utrecht.pk,
            "protocol": "oidc",
            "server_url": "https://login.utrecht.example/oidc",
            "client_id": "leerportaal",
            "email_domains": "utrecht.example",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = IdentityProvider.objects.get(organisation=utrecht)
    page = client.get(reverse("admin:sso_identityprovider_change", args=[row.pk]))
    text = page.content.decode()
    assert (
        "Niet ingesteld: geef de server de omgevingsvariabele SSO_SECRET_GEMEENTE_UTRECHT." in text
    )
    assert "/accounts/oidc/gemeente-utrecht/login/callback/" in text


def test_hr_cannot_configure_providers(client, hr):
    client.force_login(hr)
    response = client.get(reverse("admin:sso_identityprovider_changelist"))
    assert response.status_code in (302, 403)


def test_login_page_policy_lets_forms_lead_to_active_providers_only(client, utrecht, nijmegen):
    oidc_row(utrecht).save()
    oidc_row(
        nijmegen,
        client_id="nijmegen",
        server_url="https://login.nijmegen.example/",
        is_active=False,
    ).save()
    assert form_action(client, reverse("account_login")) == "'self' https://login.utrecht.example"
    # Every other page keeps its forms at home.
    assert form_action(client, reverse("leergang:catalogue")) == "'self'"


def form_action(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    return directives["form-action"]


def test_command_configures_and_switches_on(utrecht):
    out = io.StringIO()
    call_command(
        "sso_provider",
        "gemeente-utrecht",
        "--server-url",
        "https://login.utrecht.example",
        "--client-id",
        "portaal",
        "--domains",
        "utrecht.example,utrecht.nl",
        "--enforces-mfa",
        stdout=out,
    )
    row = IdentityProvider.objects.get(organisation=utrecht)
    assert (row.client_id, row.domains, row.enforces_mfa) == (
        "portaal",
        ["utrecht.example", "utrecht.nl"],
        True,
    )
    assert "SSO_SECRET_GEMEENTE_UTRECHT (NOT set)" in out.getvalue()
    call_command("sso_provider", "gemeente-utrecht", "--deactivate", stdout=out)
    row.refresh_from_db()
    assert not row.is_active
    with pytest.raises(CommandError, match="Verplicht voor dit protocol"):
        call_command("sso_provider", "gemeente-utrecht", "--client-id", "", stdout=out)


def test_demo_provider_is_switched_off_and_left_alone_when_run_again(db):
    make_organisation("utrecht")
    demo.load()
    row = IdentityProvider.objects.get()
    assert (row.server_url, row.client_id, row.is_active) == (
        demo.DEMO_ISSUER,
        demo.DEMO_CLIENT_ID,
        False,
    )
    IdentityProvider.objects.update(is_active=True)
    demo.load()
    assert IdentityProvider.objects.get().is_active


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("http://x/metadata/ is not a valid audience for this Response", "wrong_audience"),
        ("Could not validate timestamp: expired. Check system clock.", "expired"),
        ("A valid SubjectConfirmation was not found on this Response", "expired"),
        ("Signature validation failed. SAML Response rejected", "bad_signature"),
        ("No Signature found. SAML Response rejected", "bad_signature"),
        ("Invalid issuer in the Assertion/Response", "error"),
    ],
)
def test_python3_saml_reasons_map_to_our_refusals(reason, code):
    assert saml_refusal_code(reason) == code
