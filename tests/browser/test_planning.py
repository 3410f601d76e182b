"""The programme office plans a cohort and its bijeenkomsten in the browser (issue 15)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal import demo
from tests.browser.test_journeys import at, away_from, open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_programme_office_plans_a_cohort_with_its_bijeenkomsten(page, axe, demo_data):
    from leergang.models import Cohort, Leergang

    leergang = Leergang.objects.get(title="Urban Professional")
    modules = [link.module.title for link in leergang.module_links.select_related("module")]
    # Far enough ahead that no demo cohort of the trainer is running then.
    today = timezone.localdate()
    start = today + timedelta(weeks=43, days=-today.weekday())  # a Monday
    sign_in(page, demo.BEHEERDER_EMAIL)
    open_link(page, axe, "Planning", exact=True)
    open_link(page, axe, "Nieuwe uitvoering")

    page.locator("#id_leergang").select_option(label="Urban Professional")
    page.locator("#id_name").fill("Najaar Zwolle")
    page.locator("#id_starts_on").fill(start.isoformat())
    page.locator("#id_ends_on").fill((start + timedelta(days=150)).isoformat())
    page.locator("#id_seats").fill("16")
    page.locator("#id_cancellation_deadline").fill((start - timedelta(days=14)).isoformat())
    page.locator("#id_location").fill("Zwolle, Stadhuis")
    page.get_by_label("Marloes Bakker").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/planning/uitvoeringen/\d+/reeks/$"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    cohort = Cohort.objects.get(name="Najaar Zwolle")

    # Every three weeks on Tuesday, 13:30 to 17:00: first the dates to check.
    page.locator("#id_series-weekday").select_option(label="dinsdag")
    page.get_by_label("Om de hoeveel weken").fill("3")
    page.get_by_label("Begintijd").fill("13:30")
    page.get_by_label("Eindtijd").fill("17:00")
    page.get_by_role("button", name="Toon de data").click()
    page.get_by_role("heading", name="Controleer de data").wait_for()
    axe.check(page)
    table = page.get_by_role("table", name="De geplande bijeenkomsten, één per module")
    rows = table.locator("tbody tr")
    assert rows.count() == len(modules)
    for position, title in enumerate(modules):
        assert title in rows.nth(position).inner_text()
    tuesday = start + timedelta(days=1)
    assert page.locator("#id_day_1").input_value() == (tuesday + timedelta(weeks=3)).isoformat()
    # One date moved by a day before saving.
    adjusted = tuesday + timedelta(weeks=3, days=1)
    page.locator("#id_day_1").fill(adjusted.isoformat())
    page.get_by_role("button", name="Bijeenkomsten opslaan").click()
    page.wait_for_url(at(f"/planning/uitvoeringen/{cohort.pk}/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    days = [timezone.localdate(b.starts_at) for b in cohort.bijeenkomsten.order_by("starts_at")]
    assert days[:2] == [tuesday, adjusted]
    assert [b.title for b in cohort.bijeenkomsten.order_by("starts_at")] == modules

    # Moving the first outside the cohort is refused at the date; within it, it moves.
    move = re.compile(f"^Verplaatsen of laten vervallen {modules[0]}")
    page.get_by_role("link", name=move).click()
    page.wait_for_url(away_from(f"/planning/uitvoeringen/{cohort.pk}/"))
    axe.check(page)
    page.get_by_label("Datum").fill((start - timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Opslaan en iedereen informeren").click()
    page.locator(".error-summary").wait_for()
    assert "buiten de uitvoering" in page.locator(".error-summary").inner_text()
    axe.check(page)
    page.get_by_label("Datum").fill((tuesday + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Opslaan en iedereen informeren").click()
    page.wait_for_url(at(f"/planning/uitvoeringen/{cohort.pk}/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    first = cohort.bijeenkomsten.get(title=modules[0])
    assert timezone.localdate(first.starts_at) == tuesday + timedelta(days=1)
    assert first.sequence == 1  # the calendars' entry was updated
    axe.assert_clean()
