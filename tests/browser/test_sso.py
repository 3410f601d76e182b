"""A participant signs in through their organisation's OpenID provider (npm's oidc-provider
on 127.0.0.1) in headless Chromium; axe and the HTML checker on every portal page, the
refusal page included."""

import re
from urllib.parse import urlparse

import pytest

from portal.models import Role
from sso.models import IdentityProvider
from tests.factories import UserFactory, make_organisation, make_persona
from tests.sso.conftest import NodeServer, _need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIENT_ID = "leerportaal-browser"
SECRET = "browser-test-secret"


@pytest.fixture
def oidc_for_live_server(live_server, monkeypatch):
    """A provider whose redirect address is this live server's, and Utrecht's row for it."""
    _need("oidc-provider")
    callback = f"{live_server.url}/accounts/oidc/gemeente-utrecht/login/callback/"
    server = NodeServer(
        "oidc_provider.mjs",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        SECRET,
        "--redirect-uri",
        callback,
    )
    monkeypatch.setenv("SSO_SECRET_GEMEENTE_UTRECHT", SECRET)
    utrecht = make_organisation("utrecht")
    IdentityProvider.objects.create(
        organisation=utrecht,
        protocol=IdentityProvider.Protocol.OIDC,
        server_url=server.url,
        client_id=CLIENT_ID,
        email_domains="utrecht.example",
    )
    yield server, utrecht
    server.stop()


def test_participant_signs_in_through_the_openid_provider(
    page, axe, oidc_for_live_server, live_server
):
    server, utrecht = oidc_for_live_server
    participant = UserFactory(
        email="sanne.bakker@utrecht.example",
        first_name="Sanne",
        organisation=utrecht,
        roles=[Role.DEELNEMER],
    )
    server.put(
        "/_test/accounts",
        {
            "sanne": {"email": participant.email, "email_verified": True, "amr": ["pwd"]},
            "vreemd": {"email": "nieuw@utrecht.example", "email_verified": True},
        },
    )
    page.goto("/accounts/login/")
    axe.check(page)
    page.get_by_role("button", name="Inloggen met je account van Gemeente Utrecht").click()
    page.get_by_label("Account").select_option("sanne")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(lambda url: url.startswith(live_server.url) and urlparse(url).path == "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    axe.check(page)

    # Signed out, someone without an account is refused with the reason, on a checked page.
    page.get_by_role("button", name="Uitloggen").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))
    page.context.clear_cookies()  # the provider's session too: another person signs in
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Inloggen met je account van Gemeente Utrecht").click()
    page.get_by_label("Account").select_option("vreemd")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.get_by_text("Vraag je HR-afdeling om een uitnodiging").wait_for()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Inloggen met het account van je organisatie is niet gelukt"
    axe.check(page)
    axe.assert_clean()


def test_programme_office_sets_up_an_organisations_sign_in(page, axe, live_server):
    from django.conf import settings
    from django.test import Client

    beheerder = make_persona("beheerder")
    nijmegen = make_organisation("nijmegen")
    signed_in = Client()
    signed_in.force_login(beheerder)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/")
    page.get_by_role("link", name="Inloggen via organisaties").first.click()
    page.wait_for_url(re.compile(r"/inloggen-via-organisaties/$"))
    axe.check(page)
    page.get_by_role("link", name="Instellen Gemeente Nijmegen").click()
    axe.check(page)
    # Incomplete first: the errors stand at their fields.
    page.get_by_label("Protocol").select_option("saml")
    page.get_by_label("E-maildomeinen").fill("nijmegen.example")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Verplicht voor dit protocol.").first.wait_for()
    axe.check(page)
    page.get_by_label("Protocol").select_option("oidc")
    page.get_by_label("Issuer (server-URL)").fill("https://login.nijmegen.example/oidc")
    page.get_by_label("Client-ID").fill("leerportaal")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De inlogmethode van Gemeente Nijmegen is opgeslagen.").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Wijzigen Gemeente Nijmegen").click()
    page.get_by_text("SSO_SECRET_GEMEENTE_NIJMEGEN").wait_for()
    axe.check(page)
    axe.assert_clean()
    assert IdentityProvider.objects.get(organisation=nijmegen).client_id == "leerportaal"
