"""The audit trail in the browser: HR looks at a person, the person sees it on their profile,
the programme office finds it in the trail with a filter; axe and the HTML checker on every
page."""

import re

import pytest

from portal import demo
from portal.models import User
from tests.browser.test_journeys import open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Uitloggen").first.click()
    page.wait_for_url(re.compile(r".*/accounts/log(in|out)/.*|.*/$"))


def test_a_look_at_a_person_shows_on_their_profile_and_in_the_trail(page, axe, demo_data):
    participant = User.objects.get(email=demo.PARTICIPANT_EMAIL)
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    page.goto(f"/hr/medewerkers/?q={participant.last_name}")
    assert participant.get_full_name() in page.locator("main").inner_text()
    _sign_out(page)

    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.goto("/profiel/")
    open_link(page, axe, "Wie heeft mijn gegevens bekeken")
    assert page.get_by_role("heading", level=1).inner_text() == "Wie heeft mijn gegevens bekeken"
    table = page.get_by_role("table", name="Wat het portaal over jou heeft vastgelegd")
    own = table.inner_text()
    assert "HR van Gemeente Utrecht" in own and "Medewerkers" in own
    assert "Persoonsgegevens bekeken" in own
    _sign_out(page)

    sign_in(page, demo.BEHEERDER_EMAIL)
    open_link(page, axe, "Logboek", exact=True)
    page.get_by_label("Wat", exact=True).select_option(label="Persoonsgegevens bekeken")
    page.get_by_label("Betrokken persoon (naam of e-mailadres)").fill(participant.email)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"/logboek/\?.*action=personal_data_read"))
    axe.check(page)
    trail = page.get_by_role("table", name="Regels in het logboek").inner_text()
    assert "Medewerkers" in trail and "HR van Gemeente Utrecht" in trail

    response = page.goto("/logboek/?since=gisteren")
    assert response.status == 400
    assert "Voer een geldige datum in." in page.locator("main").inner_text()
    axe.check(page)
    axe.assert_clean()
