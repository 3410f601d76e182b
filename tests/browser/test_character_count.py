"""The reflection's live character count, in the browser that runs its script."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leergang.models import REFLECTION_MAX_LENGTH, Reflection
from tests.factories import PASSWORD, EnrolmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reflection_page(page, participant):
    enrolment = EnrolmentFactory(participant=participant)
    module = enrolment.cohort.leergang.module_links.first().module
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(participant.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(reverse("leergang:reflection-edit", args=[enrolment.pk, module.slug]))
    return page


def test_counter_follows_the_text_and_warns_before_anything_is_lost(reflection_page, axe):
    page = reflection_page
    field = page.get_by_label("Jouw reflectie")
    counter = page.locator("#id_text-count")
    expect(counter).to_have_text("0 van 10.000 tekens")
    assert "id_text-count" in field.get_attribute("aria-describedby")

    field.fill("Ik vraag eerst door.\nDan pas kom ik met een oplossing.")
    expect(counter).to_have_text("54 van 10.000 tekens")
    # Screen readers hear the count once typing pauses, from a polite live region.
    spoken = page.locator("[aria-live=polite]", has_text="van 10.000 tekens")
    expect(spoken).to_have_text("54 van 10.000 tekens")
    axe.check(page)

    pasted = "Ik leerde." * 1005  # 10,050 characters, pasted in one go
    field.fill(pasted)
    expect(counter).to_have_text(
        "10.050 van 10.000 tekens: 50 te veel. Maak je tekst korter voordat je hem opslaat."
    )
    assert len(field.input_value()) == 10_050  # nothing was cut off
    axe.check(page)

    page.get_by_role("button", name="Concept opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Je reflectie is 10.050 tekens lang")
    assert len(page.get_by_label("Jouw reflectie").input_value()) == 10_050
    expect(page.locator("#id_text-count")).to_contain_text("50 te veel")
    assert not Reflection.objects.exists()

    page.get_by_label("Jouw reflectie").fill(pasted[:REFLECTION_MAX_LENGTH])
    expect(page.locator("#id_text-count")).to_have_text("10.000 van 10.000 tekens")
    page.get_by_role("button", name="Concept opslaan").click()
    page.locator(".alert-success").first.wait_for()
    assert len(Reflection.objects.get().text) == REFLECTION_MAX_LENGTH
    axe.check(page)
    axe.assert_clean()
