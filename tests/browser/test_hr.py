"""HR's journey: the dashboard, a filter by cohort and department, the people behind the
figures, the exports and the report; axe and the HTML checker on every page."""

import csv
import io
import re

import openpyxl
import pytest

from portal import demo
from tests.browser.test_journeys import open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUNNING_COHORT = "Midden-Nederland"  # the demo participant's cohort (leergang.demo)
DEPARTMENT = "Wonen"  # the demo participant's department


def _choose(page, label, text):
    """Pick the option of the select ``label`` whose text holds ``text``."""
    select = page.get_by_label(label, exact=True)
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def test_hr_filters_the_dashboard_drills_down_and_exports(page, axe, demo_data):
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    open_link(page, axe, "Dashboard", exact=True)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard van")
    charts = page.locator("img.chart-image")
    assert charts.count() >= 3
    # Every chart is an image the portal served, with its figures in words.
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
        assert len(chart.get_attribute("alt")) > 20

    _choose(page, "Uitvoering", RUNNING_COHORT)
    _choose(page, "Afdeling", DEPARTMENT)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"/hr/dashboard/\?.*cohort=\d+.*department=Wonen"))
    axe.check(page)
    states = page.get_by_role("table", name=re.compile("^1 uitvoering van uw medewerkers"))
    assert RUNNING_COHORT in states.inner_text()
    # One cohort chosen: each of its bijeenkomsten with its attendance.
    attendance = page.get_by_role("table", name=re.compile("^Aanwezigheid per bijeenkomst"))
    assert RUNNING_COHORT in attendance.locator("caption").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als Excel (XLSX)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    with open(download_info.value.path(), "rb") as file:
        workbook = openpyxl.load_workbook(file, read_only=True)
    assert len(workbook.sheetnames) >= 2

    page.get_by_role("link", name="Managementrapportage (om af te drukken)").click()
    page.wait_for_url(re.compile(r"/hr/rapport/\?"))
    axe.check(page)
    assert page.locator("img.chart-image").count() >= 1
    page.go_back()

    # The drill-down: the people list narrowed to the same cohort and department.
    page.get_by_role("link", name="De medewerkers in deze selectie").click()
    page.wait_for_url(re.compile(r"/hr/medewerkers/\?"))
    axe.check(page)
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    for index in range(rows.count()):
        text = rows.nth(index).inner_text()
        assert DEPARTMENT in text and RUNNING_COHORT in text
    assert "Sanne de Vries" in page.locator("table").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als CSV").click()
    assert download_info.value.suggested_filename.endswith(".csv")
    with open(download_info.value.path(), encoding="utf-8-sig") as file:
        exported = list(csv.reader(io.StringIO(file.read()), delimiter=";"))
    assert len(exported) == rows.count() + 1  # the header and the page's rows
    assert any("Sanne" in " ".join(row) for row in exported[1:])

    # Sorting by a column header keeps the filter in the address.
    page.get_by_role("link", name=re.compile("^Aanwezigheid")).first.click()
    page.wait_for_url(re.compile(r"sort="))
    assert "department=Wonen" in page.url
    axe.check(page)
    axe.assert_clean()
