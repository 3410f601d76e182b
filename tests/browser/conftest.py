"""Headless Chromium (Debian's package) driven by Playwright, and axe-core on every page."""

import os
import shutil
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the test itself still
# reads the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


class AxeChecker:
    """Runs axe-core on a page and remembers what it found."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []
        self.findings: list[str] = []

    def check(self, page):
        results = self.axe.run(page)
        path = urlparse(page.url).path
        self.checked.append(path)
        for violation in results.response["violations"]:
            if violation.get("impact") in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.findings.append(
                    f"{path}: {violation['impact']} {violation['id']}: {violation['help']} "
                    f"{targets}"
                )

    def assert_clean(self):
        assert self.checked, "axe checked no page"
        assert not self.findings, "\n".join(self.findings)


@pytest.fixture
def axe():
    return AxeChecker()
