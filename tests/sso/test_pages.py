"""The programme office's pages to set up an organisation's sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sso.models import IdentityProvider

pytestmark = pytest.mark.django_db


def test_list_shows_every_organisation_and_its_sign_in(client, beheerder, utrecht, nijmegen):
    IdentityProvider.objects.create(
        organisation=utrecht,
        protocol=IdentityProvider.Protocol.SAML,
        metadata_url="https://adfs.utrecht.example/metadata",
        email_domains="utrecht.example",
        enforces_mfa=True,
    )
    client.force_login(beheerder)
    response = client.get(reverse("sso:provider-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Inloggen via organisaties</h1>" in page
    assert "SAML 2.0, actief" in page
    assert "E-mailadres en wachtwoord" in page  # Nijmegen has none
    assert reverse("sso:provider-edit", args=[nijmegen.pk]) in page


def test_list_filters_by_name(client, beheerder, utrecht, nijmegen):
    client.force_login(beheerder)
    page = client.get(reverse("sso:provider-list"), {"q": "nijm"}).content.decode()
    assert "Gemeente Nijmegen" in page
    assert "Gemeente Utrecht" not in page


def test_beheerder_sets_up_an_organisation(client, beheerder, nijmegen, monkeypatch):
    client.force_login(beheerder)
    url = reverse("sso:provider-edit", args=[nijmegen.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "protocol": "oidc",
            "server_url": "login.nijmegen.example/oidc",
            "client_id": "portaal",
            "email_domains": "nijmegen.example",
            "is_active": "on",
            "enforces_mfa": "on",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("sso:provider-list")
    assert "De inlogmethode van Gemeente Nijmegen is opgeslagen." in response.content.decode()
    row = IdentityProvider.objects.get(organisation=nijmegen)
    assert (row.server_url, row.is_active, row.enforces_mfa) == (
        "https://login.nijmegen.example/oidc",
        True,
        True,
    )
    # Back on the form: what to give the provider's administrator, and the secret's state.
    page = client.get(url).content.decode()
    assert "/accounts/oidc/gemeente-nijmegen/login/callback/" in page
    assert (
        "Niet ingesteld: geef de server de omgevingsvariabele SSO_SECRET_GEMEENTE_NIJMEGEN." in page
    )
    monkeypatch.setenv("SSO_SECRET_GEMEENTE_NIJMEGEN", "x")
    page = client.get(url).content.decode()
    assert "Ingesteld op de server in SSO_SECRET_GEMEENTE_NIJMEGEN." in page
    assert 'value="x"' not in page


def test_missing_fields_are_told_at_the_field(client, beheerder, nijmegen):
    client.force_login(beheerder)
    response = client.post(
        reverse("sso:provider-edit", args=[nijmegen.pk]),
        {"protocol": "saml", "email_domains": "geen domein"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geen domein: geen, domein." in page
    assert "Verplicht voor dit protocol." in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page
    assert not IdentityProvider.objects.exists()


def test_unknown_organisation_is_404(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("sso:provider-edit", args=[999999])).status_code == 404


def test_a_provider_that_does_not_answer_is_a_dutch_page_not_a_500(client, utrecht):
    """The sign-in starts by fetching the provider's discovery document: with nothing
    listening there, the person reads that it does not answer (503) and what to do."""
    IdentityProvider.objects.create(
        organisation=utrecht,
        protocol=IdentityProvider.Protocol.OIDC,
        server_url="http://127.0.0.1:9/",
        client_id="onbereikbaar",
        email_domains="utrecht.example",
    )
    response = client.post(reverse("openid_connect_login", args=[utrecht.slug]))
    page = response.content.decode()
    assert response.status_code == 503
    assert f"De inlogdienst van {utrecht.name} reageert op dit moment niet" in page
    assert "log in met je e-mailadres en wachtwoord" in page


def test_a_saml_sign_in_without_a_host_header_is_no_500(client, nijmegen):
    """HTTP/1.0 may leave out the Host header, which python3-saml reads itself."""
    IdentityProvider.objects.create(
        organisation=nijmegen,
        protocol=IdentityProvider.Protocol.SAML,
        entity_id="https://idp.nijmegen.example/metadata",
        sso_url="https://idp.nijmegen.example/sso",
        x509_certificate="MIIB",
        email_domains="nijmegen.example",
    )
    url = reverse("saml_login", args=[nijmegen.slug])
    # No Host header, the server's own name: the sign-in goes on to the provider.
    response = client.post(url, SERVER_NAME="leerportaal.example.nl")
    assert "HTTP_HOST" in response.wsgi_request.META  # filled in, as Django reads it
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.nijmegen.example/sso?SAMLRequest=")
    # A name python3-saml finds no valid address: the Dutch "did not work" page, not a 500.
    response = client.post(url, SERVER_NAME="testserver")
    assert response.status_code == 403
    assert f"Inloggen met het account van {nijmegen.name} is niet gelukt" in (
        response.content.decode()
    )
