"""A term of the programme office in one go, as the issue's "done when" asks: plan two
cohorts of a leergang with their bijeenkomsten, enrol a person and move them, decide on a
make-up session and read the report, without opening the admin (``/beheer/``)."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from portal import demo
from tests.browser.test_journeys import at, open_link, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEERGANG = "Urban Professional"


def _plan(page, axe, *, name: str, start, place: str):
    """A new cohort from the planning page, then its series every three weeks."""
    from leergang.models import Cohort

    page.goto("/planning/")
    open_link(page, axe, "Nieuwe uitvoering")
    page.locator("#id_leergang").select_option(label=LEERGANG)
    page.locator("#id_name").fill(name)
    page.locator("#id_starts_on").fill(start.isoformat())
    page.locator("#id_ends_on").fill((start + timedelta(days=120)).isoformat())
    page.locator("#id_seats").fill("12")
    page.locator("#id_cancellation_deadline").fill((start - timedelta(days=14)).isoformat())
    page.locator("#id_location").fill(place)
    page.get_by_label("Marloes Bakker").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/planning/uitvoeringen/\d+/reeks/$"))
    axe.check(page)
    page.locator("#id_series-weekday").select_option(label="dinsdag")
    page.get_by_label("Om de hoeveel weken").fill("3")
    page.get_by_label("Begintijd").fill("13:30")
    page.get_by_label("Eindtijd").fill("17:00")
    page.get_by_role("button", name="Toon de data").click()
    page.get_by_role("heading", name="Controleer de data").wait_for()
    axe.check(page)
    cohort = Cohort.objects.get(name=name)
    page.get_by_role("button", name="Bijeenkomsten opslaan").click()
    page.wait_for_url(at(f"/planning/uitvoeringen/{cohort.pk}/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    return cohort


def test_a_term_of_the_programme_office_without_the_admin(page, axe, demo_data):
    from leergang.models import Enrolment, LeergangModule, MakeUpRequest
    from portal.models import Role, User

    visited = []
    page.on("framenavigated", lambda frame: visited.append(urlparse(frame.url).path))
    modules = LeergangModule.objects.filter(leergang__title=LEERGANG).count()
    today = timezone.localdate()
    # Mondays far enough ahead that the demo's trainer gives nothing then.
    spring = today + timedelta(weeks=43, days=-today.weekday())
    autumn = spring + timedelta(weeks=20)

    sign_in(page, demo.BEHEERDER_EMAIL)
    panel = page.get_by_role("region", name="Programmabureau")
    assert "inhaalverzoek" in panel.inner_text()
    axe.check(page)

    # Plan two cohorts, each with one bijeenkomst per module.
    first = _plan(page, axe, name="Voorjaar Deventer", start=spring, place="Deventer, Stadhuis")
    second = _plan(page, axe, name="Najaar Deventer", start=autumn, place="Deventer, Stadhuis")
    assert first.bijeenkomsten.count() == second.bijeenkomsten.count() == modules

    # Enrol a participant on their behalf in the first.
    person = (
        User.objects.filter(role_rows__role=Role.DEELNEMER, is_active=True)
        .exclude(enrolments__cohort__leergang__title=LEERGANG)
        .order_by("pk")
        .first()
    )
    page.goto("/programmabureau/inschrijvingen/")
    axe.check(page)
    open_link(page, axe, "Iemand inschrijven")
    page.get_by_label("Uitvoering").select_option(str(first.pk))
    page.get_by_label("E-mailadres van de deelnemer").fill(person.email)
    page.get_by_role("button", name="Inschrijven").click()
    page.wait_for_url(at("/programmabureau/inschrijvingen/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    enrolment = Enrolment.objects.get(cohort=first, participant=person)
    assert enrolment.state == Enrolment.State.ENROLLED

    # The dates do not suit them after all: move them to the autumn.
    page.goto(f"/programmabureau/inschrijvingen/{enrolment.pk}/verplaatsen/")
    axe.check(page)
    page.get_by_label("Naar de uitvoering").select_option(str(second.pk))
    page.get_by_role("button", name="Verplaatsen").click()
    page.wait_for_url(at("/programmabureau/inschrijvingen/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    enrolment.refresh_from_db()
    assert enrolment.moved_to.cohort == second and enrolment.moved_to.participant == person

    # A make-up request waits from the home page's panel: approve it.
    waiting = MakeUpRequest.objects.get(state=MakeUpRequest.State.REQUESTED)
    page.goto("/")
    page.get_by_role("link", name=re.compile("inhaalverzoek")).click()
    page.wait_for_url(at("/inhalen/"))
    axe.check(page)
    page.get_by_role(
        "link", name=re.compile(f"^Beslissen.*{waiting.enrolment.participant.get_full_name()}")
    ).click()
    page.wait_for_url(at(f"/inhalen/{waiting.pk}/"))
    axe.check(page)
    page.get_by_label("Goedkeuren").check()
    submit(page, axe, "Besluit opslaan")
    waiting.refresh_from_db()
    assert waiting.state == MakeUpRequest.State.APPROVED

    # The report shows the two new cohorts: the spring one empty, the autumn one with one.
    open_link(page, axe, "Rapportage", exact=True)
    table = page.get_by_role("table", name=f"Uitvoeringen van {LEERGANG}")
    assert "1 van 12 (8%)" in table.get_by_role("row").filter(has_text="Najaar").inner_text()
    assert "0 van 12 (0%)" in table.get_by_role("row").filter(has_text="Voorjaar").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    assert visited and not [path for path in visited if path.startswith("/beheer/")]
    axe.assert_clean()
