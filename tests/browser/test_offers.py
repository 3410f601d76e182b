"""A seat offered from the waiting list, in the browser (issue 15, part 5): the demo
participant confirms the seat the demo's full cohort offers them; the programme office sees
the offer with its deadline and the cohort's waiting-list setting."""

import re

import pytest

from portal import demo
from tests.browser.test_journeys import at, open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offered():
    from leergang.models import Enrolment

    return Enrolment.objects.select_related("cohort__leergang").get(
        participant__email=demo.PARTICIPANT_EMAIL, state=Enrolment.State.OFFERED
    )


def test_the_participant_confirms_an_offered_seat(page, axe, demo_data):
    from leergang.models import Enrolment

    offered = _offered()
    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.wait_for_url(at("/"))
    assert "Er is een plek voor je vrij" in page.locator("main").inner_text()
    axe.check(page)
    open_link(page, axe, re.compile("^Bevestigen of afslaan"))
    page.wait_for_url(at(f"/inschrijvingen/{offered.pk}/aanbod/"))
    assert "Wil je de plek nog?" in page.locator("main").inner_text()
    page.get_by_role("button", name="Ja, ik bevestig mijn plek").click()
    page.wait_for_url(at(f"/inschrijvingen/{offered.pk}/"))
    page.locator(".alert-success").first.wait_for()
    assert "Je bent ingeschreven" in page.locator(".alert-success").first.inner_text()
    axe.check(page)
    offered.refresh_from_db()
    assert offered.state == Enrolment.State.ENROLLED
    # The offer's page now says so, without the buttons.
    page.goto(f"/inschrijvingen/{offered.pk}/aanbod/")
    assert "Je bent ingeschreven." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Ja, ik bevestig mijn plek").count() == 0
    axe.check(page)
    assert offered.transitions.filter(to_state=Enrolment.State.ENROLLED).count() == 1
    axe.assert_clean()


def test_the_participant_declines_from_my_leergang(page, axe, demo_data):
    from leergang.models import Enrolment

    offered = _offered()
    sign_in(page, demo.PARTICIPANT_EMAIL)
    open_link(page, axe, "Mijn leergang", exact=True)
    assert "Er is een plek voor je vrij" in page.locator("main").inner_text()
    # The enrolment's own page has the buttons.
    page.get_by_role("link", name=offered.cohort.leergang.title, exact=True).first.click()
    page.wait_for_url(at(f"/inschrijvingen/{offered.pk}/"))
    axe.check(page)
    page.get_by_role("button", name="Nee, geef de plek aan de volgende").click()
    page.wait_for_url(at("/mijn-leergang/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    offered.refresh_from_db()
    assert offered.state == Enrolment.State.CANCELLED
    # The next on the waiting list has it now.
    assert offered.cohort.enrolments.filter(state=Enrolment.State.OFFERED).count() == 1
    axe.assert_clean()


def test_the_programme_office_sees_the_offer_and_the_setting(page, axe, demo_data):
    offered = _offered()
    sign_in(page, demo.BEHEERDER_EMAIL)
    page.goto("/programmabureau/inschrijvingen/?state=offered")
    assert "te bevestigen vóór" in page.locator("main").inner_text()
    axe.check(page)
    page.goto(f"/planning/uitvoeringen/{offered.cohort_id}/")
    assert "Aangeboden aan" in page.locator("main").inner_text()
    axe.check(page)
    open_link(page, axe, "Uitvoering wijzigen")
    assert page.get_by_label(re.compile("wordt aangeboden aan de eerste")).is_checked()
    axe.assert_clean()
