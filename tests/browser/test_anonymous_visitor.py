"""A visitor who is not signed in gets from the login page to the public catalogue."""

import re

import pytest

from tests.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_the_catalogue_from_the_login_page_and_the_header(page, axe):
    cohort = CohortFactory()
    page.goto("/")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    axe.check(page)
    page.get_by_role("link", name="Bekijk alle leergangen en hun data").click()
    page.wait_for_url(re.compile(r".*/leergangen/$"))
    assert cohort.leergang.title in page.locator("main").inner_text()
    axe.check(page)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Leergangen").get_attribute("aria-current") == "page"
    menu.get_by_role("link", name="Inloggen").click()
    page.wait_for_url(re.compile(r".*/accounts/login/$"))
    axe.assert_clean()
