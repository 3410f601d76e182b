"""The interest list in the browser (issue 15, part 4): a participant asks to be kept
informed about a leergang without a cohort for them, HR sees who of their own people are
interested, the programme office sees the demand per leergang and region."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal import demo
from tests.browser.test_journeys import at, open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BELEIDSFUNCTIE = "/leergangen/professionaliseren-van-de-beleidsfunctie/"


def test_a_participant_registers_interest_and_hr_and_the_office_see_it(
    page, browser, live_server, axe, demo_data
):
    from leergang.models import Interest

    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.goto(BELEIDSFUNCTIE)
    axe.check(page)
    panel = page.get_by_role("region", name="Houd mij op de hoogte")
    panel.get_by_label("Voorkeursregio").select_option(label="Utrecht")
    yesterday = timezone.localdate() - timedelta(days=1)
    panel.get_by_label("Start niet eerder dan").fill(yesterday.isoformat())
    panel.get_by_role("button", name="Houd mij op de hoogte").click()
    page.locator(".error-summary").wait_for()
    assert "in het verleden" in page.locator(".error-summary").inner_text()
    axe.check(page)
    later = timezone.localdate() + timedelta(days=60)
    page.get_by_label("Start niet eerder dan").fill(later.isoformat())
    page.get_by_label("Start niet later dan").fill((later + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Houd mij op de hoogte").click()
    page.wait_for_url(at("/mijn-leergang/belangstelling/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    assert "Professionaliseren van de beleidsfunctie" in page.locator("main").inner_text()
    mine = Interest.objects.get(participant__email=demo.PARTICIPANT_EMAIL)
    assert mine.region == "utrecht" and mine.earliest_start == later
    page.goto(BELEIDSFUNCTIE)
    page.get_by_role("heading", name="Je staat op de belangstellingslijst").wait_for()
    axe.check(page)

    hr = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    sign_in(hr, demo.HR_UTRECHT_EMAIL)
    open_link(hr, axe, "Belangstelling", exact=True)
    listing = hr.locator("main").inner_text()
    assert "Lotte Smit" in listing and "Eline Vos" not in listing  # Nijmegen's: never
    hr.context.close()

    office = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    sign_in(office, demo.BEHEERDER_EMAIL)
    open_link(office, axe, "Planning", exact=True)
    open_link(office, axe, "Belangstelling per leergang en regio")
    table = office.get_by_role("table", name="Belangstelling per leergang en regio")
    row = table.locator("tr", has_text=re.compile("beleidsfunctie.*Utrecht"))
    assert row.locator("td").nth(2).inner_text() == "3"  # Lotte, Maarten and the participant
    office.context.close()
