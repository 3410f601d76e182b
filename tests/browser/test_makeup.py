"""Inhalen in the browser (issue 15): a participant reports absence, asks to make the
bijeenkomst up in another cohort, the trainer of that cohort approves, and finds the guest
on the attendance sheet. Axe and the HTML checker on every page."""

import re

import pytest

from portal import demo
from tests.browser.test_journeys import at, away_from, open_link, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Uitloggen").first.click()
    page.wait_for_url(re.compile(r".*/accounts/log(in|out)/.*|.*/$"))


def test_a_participant_requests_a_make_up_session_and_it_is_approved(page, axe, demo_data):
    from leergang.demo.scenarios import RUNNING_COHORT
    from leergang.models import Enrolment, MakeUpRequest

    enrolment = Enrolment.objects.get(
        participant__email=demo.PARTICIPANT_EMAIL,
        cohort__leergang__slug=RUNNING_COHORT[0],
        cohort__name=RUNNING_COHORT[1],
    )
    fourth = enrolment.cohort.bijeenkomsten.order_by("starts_at")[3]
    detail = f"/inschrijvingen/{enrolment.pk}/"

    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.goto(detail)
    axe.check(page)
    page.get_by_role("link", name=re.compile(rf"^Afmelden.*{re.escape(fourth.title)}")).click()
    page.wait_for_url(away_from(detail))
    axe.check(page)
    page.get_by_label("Waarom kun je niet komen?").fill(
        "Ik zit die week op de bestuursretraite van de provincie."
    )
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url(at(detail))
    axe.check(page)

    open_link(page, axe, re.compile(rf"^Inhalen.*{re.escape(fourth.title)}"))
    table = page.get_by_role("table", name="Bijeenkomsten van dezelfde module met een vrije plek")
    assert "Open uitvoering Zwolle" in table.inner_text()
    # Nothing chosen: told at the choice, in Dutch.
    page.get_by_role("button", name="Vraag om hier in te halen").click()
    page.locator(".error-summary").wait_for()
    assert "Kies een van de genoemde bijeenkomsten" in page.locator(".error-summary").inner_text()
    axe.check(page)
    row = table.locator("tbody tr", has_text="Open uitvoering Zwolle")
    row.get_by_role("radio").check()
    page.get_by_role("button", name="Vraag om hier in te halen").click()
    page.wait_for_url(at(detail))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    assert "Wacht op goedkeuring" in page.locator("main").inner_text()
    request = MakeUpRequest.objects.get(enrolment=enrolment, missed=fourth)
    _sign_out(page)

    # The trainer of Zwolle decides on it from the menu.
    sign_in(page, demo.TRAINER_EMAIL)
    open_link(page, axe, "Inhalen", exact=True)
    page.get_by_role(
        "link", name=re.compile(f"^Beslissen.*{enrolment.participant.get_full_name()}")
    ).click()
    page.wait_for_url(at(f"/inhalen/{request.pk}/"))
    axe.check(page)
    page.get_by_label("Goedkeuren").check()
    submit(page, axe, "Besluit opslaan")
    request.refresh_from_db()
    assert request.state == MakeUpRequest.State.APPROVED

    # On Zwolle's attendance sheet of that module, the guest is marked as such.
    page.goto(f"/bijeenkomsten/{request.bijeenkomst_id}/aanwezigheid/")
    axe.check(page)
    guest = f"{enrolment.participant.get_full_name()} (gast uit {RUNNING_COHORT[1]})"
    assert guest in page.locator("main form").inner_text()
    _sign_out(page)

    # The participant sees it approved.
    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.goto(detail)
    axe.check(page)
    assert "Goedgekeurd" in page.locator("main").inner_text()
    axe.assert_clean()
