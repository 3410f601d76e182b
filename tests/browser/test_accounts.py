"""Accounts fit for government, in the browser: a new staff member sets up TOTP before
anything else, signs in with a code, and sees and ends sessions; axe and the HTML
checker on every page."""

import re

import pytest

from portal import demo
from portal.models import Organisation, Role
from tests.browser.test_journeys import at, sign_in
from tests.factories import PASSWORD, UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_staff_set_up_totp_then_sign_in_with_a_code(page, axe, demo_data, browser):
    provider = Organisation.objects.get(name=demo.PROVIDER_NAME)
    trainer = UserFactory(
        email="nieuwe.trainer@demo.example",
        organisation=provider,
        roles=[Role.TRAINER],
        second_factor=False,
    )
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(trainer.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Whatever they open, the portal asks them to confirm their password, then set up.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    axe.check(page)
    page.goto("/mijn-leergang/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe.check(page)
    secret = page.get_by_label("Geheime sleutel voor je app").input_value()

    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activeren").click()
    page.get_by_text("Ongeldige code.", exact=True).wait_for()
    axe.check(page)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activeren").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    axe.check(page)

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    page.goto("/accounts/2fa/")
    axe.check(page)
    page.goto("/profiel/sessies/")
    axe.check(page)
    assert page.get_by_text("Deze sessie").count() == 1

    # A second browser: password, then the code of the app.
    other = browser.new_context(base_url=page.url.split("/profiel")[0], locale="nl-NL")
    second = other.new_page()
    second.goto("/accounts/login/")
    second.get_by_label("E-mailadres").fill(trainer.email)
    second.get_by_label("Wachtwoord").fill(PASSWORD)
    second.get_by_role("button", name="Inloggen").click()
    second.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe.check(second)
    second.get_by_label("Code").fill(totp_code(secret))
    second.get_by_role("button", name="Inloggen").click()
    second.wait_for_url(at("/"))

    # The first browser ends the second one's session.
    page.reload()
    page.get_by_role("button", name=re.compile("^Beëindigen")).click()
    page.locator(".alert-success").wait_for()
    axe.check(page)
    second.goto("/profiel/")
    second.wait_for_url(re.compile(r"/accounts/login/"))
    other.close()
    axe.assert_clean()


def test_staff_add_a_security_key_and_sign_in_with_it(page, axe, demo_data, settings):
    """WebAuthn with Chromium's virtual authenticator: the key is made and used by the
    browser's own WebAuthn code and allauth's script, as with a real key."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks http
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in(page, demo.COACH_EMAIL)
    page.goto("/accounts/2fa/webauthn/add/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    axe.check(page)
    page.get_by_label("Naam van de sleutel").fill("Sleutel aan de sleutelbos")
    page.get_by_role("button", name="Toevoegen").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/(webauthn/|recovery-codes/)?$"))
    axe.check(page)
    page.goto("/accounts/2fa/webauthn/")
    page.get_by_text("Sleutel aan de sleutelbos").wait_for()
    axe.check(page)

    page.goto("/profiel/")
    page.get_by_role("button", name="Uitloggen").first.click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(demo.COACH_EMAIL)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_role("button", name="Gebruik een beveiligingssleutel").click()
    page.wait_for_url(at("/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    axe.assert_clean()
