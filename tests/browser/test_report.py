"""The programme office reads the programme report in the browser (issue 15, part 6): from
the menu, with its charts, narrowed to a leergang, a refused filter told in Dutch, and the
XLSX; axe and the HTML checker on every page."""

import re

import openpyxl
import pytest

from portal import demo
from tests.browser.test_journeys import at, open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/programmabureau/rapportage/"


def test_the_programme_office_reads_the_report(page, axe, demo_data):
    sign_in(page, demo.BEHEERDER_EMAIL)
    open_link(page, axe, "Rapportage", exact=True)
    page.wait_for_url(at(REPORT))
    assert page.get_by_role("heading", level=1).inner_text() == "Programmarapportage"
    charts = page.locator("img.chart-image")
    assert charts.count() == 3
    # Every chart is an image the portal served, with its figures in words.
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
        assert len(chart.get_attribute("alt")) > 20
    per_leergang = page.get_by_role("table", name=re.compile("^Per leergang"))
    assert "Omgevingsprofessional" in per_leergang.inner_text()
    # The demo's finished cohort: its module averages, and the note why some show none.
    assert page.locator("#evaluation-minimum").is_visible()

    page.get_by_label("Leergang", exact=True).select_option(label="Omgevingsprofessional")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"/programmabureau/rapportage/\?.*leergang=\d+"))
    axe.check(page)
    cohorts = page.get_by_role("table", name="Uitvoeringen van Omgevingsprofessional")
    assert "Eerdere uitvoering Amersfoort" in cohorts.inner_text()
    narrowed = page.get_by_role("table", name=re.compile("^Per leergang")).inner_text()
    assert "Omgevingsprofessional" in narrowed and "Urban Professional" not in narrowed
    modules = page.get_by_role(
        "table", name="Evaluatie van de bijeenkomsten per module: Omgevingsprofessional"
    )
    assert "Insights" in modules.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als Excel (XLSX)").click()
    assert download_info.value.suggested_filename.startswith("programmarapportage-")
    with open(download_info.value.path(), "rb") as file:
        workbook = openpyxl.load_workbook(file)
    assert "Uitvoeringen" in workbook.sheetnames
    cohort_names = [row[1] for row in workbook["Uitvoeringen"].iter_rows(values_only=True)]
    assert "Eerdere uitvoering Amersfoort" in cohort_names

    # A period that ends before it starts: told at the field, in Dutch.
    page.goto(f"{REPORT}?starts_from=2026-03-10&starts_to=2026-03-01")
    page.locator(".error-summary").wait_for()
    assert "ligt voor het begin" in page.locator(".error-summary").inner_text()
    axe.check(page)

    # And from the planning.
    page.goto("/planning/")
    open_link(page, axe, "Programmarapportage")
    page.wait_for_url(at(REPORT))
    axe.assert_clean()
