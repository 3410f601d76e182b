"""Headless Chromium (Debian's package) driven by Playwright, axe-core on every page, and the
W3C Nu HTML Checker on the HTML of every page the browser was served."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
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
VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
)


SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY:
        terminalreporter.write_line(line)


class HtmlRecorder:
    """Keeps the HTML the server sent for every page a browser context navigated to.

    The served body, not ``page.content()``: the DOM after parsing is always well formed
    and would hide the very errors the checker is there to find. All pages are checked
    in one run of vnu.jar at the end of the session, because starting Java per page
    would cost seconds each.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.urls: dict[str, str] = {}  # file name -> path it was served at
        self.seen: set[int] = set()
        self.contexts = 0

    def attach(self, context):
        self.contexts += 1
        context.on("response", self._record)

    def _record(self, response):
        request = response.request
        if request.resource_type != "document" or not request.is_navigation_request():
            return
        if "text/html" not in (response.headers.get("content-type") or ""):
            return
        try:
            body = response.body()
        except Exception:  # redirects and aborted navigations have no body to check
            return
        digest = hash(body)
        if digest in self.seen:  # the same page twice needs no second look
            return
        self.seen.add(digest)
        name = f"page-{len(self.urls):04d}.html"
        (self.directory / name).write_bytes(body)
        self.urls[name] = urlparse(response.url).path

    def errors(self) -> list[str]:
        if not self.urls:
            # Browsers ran but nothing was recorded: the check itself is broken.
            return ["no HTML was recorded to validate"] if self.contexts else []
        files = [str(self.directory / name) for name in sorted(self.urls)]
        started = time.monotonic()
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=600,
        )
        # vnu writes its report to stderr; exit 1 only means "errors found".
        if result.returncode not in (0, 1):
            return [f"vnu.jar did not run (exit {result.returncode}): {result.stderr[-2000:]}"]
        report = json.loads(result.stderr or '{"messages": []}')
        SUMMARY.append(
            f"W3C HTML checker: {len(files)} distinct pages validated in "
            f"{time.monotonic() - started:.1f}s, {len(report['messages'])} errors"
        )
        found = []
        for message in report["messages"]:
            name = Path(urlparse(message.get("url", "")).path).name
            where = self.urls.get(name, name)
            found.append(
                f"{where} line {message.get('lastLine', '?')}: {message['message']}"
                f"  [{message.get('extract', '').strip()}]"
            )
        return found


def _vnu_missing() -> str | None:
    if not shutil.which("java"):
        return "Java is not installed (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} is missing (npm ci --ignore-scripts)"
    return None


@pytest.fixture(scope="session")
def html_recorder():
    """Fails the session's last browser test when any page it was served is invalid HTML."""
    missing = _vnu_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"The HTML checker cannot run: {missing}.")
        warnings.warn(f"HTML validation skipped: {missing}.", stacklevel=1)
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="served-html-") as directory:
        recorder = HtmlRecorder(Path(directory))
        yield recorder
        errors = recorder.errors()
        if errors:
            pytest.fail(
                f"The W3C HTML checker found {len(errors)} errors in the pages served:\n"
                + "\n".join(errors),
                pytrace=False,
            )


class RecordingBrowser:
    """The Playwright browser, whose every new context records the HTML it is served."""

    def __init__(self, browser, recorder):
        self._browser = browser
        self._recorder = recorder

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        if self._recorder:
            self._recorder.attach(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser(html_recorder):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield RecordingBrowser(browser, html_recorder)
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


# axe passes over a submit button whose text has its background's colour (a button with
# btn-primary and btn-outline-primary on one element): measure every button ourselves,
# WCAG 2.1 contrast of its text on the colour it stands on, composited up the ancestors.
BUTTON_CONTRAST = """() => {
  const rgba = value => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (!a) return [255, 255, 255, 0];
    return [0, 1, 2].map(i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a)
      .concat([a]);
  };
  const background = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = colour => {
    const [r, g, b] = colour.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const selector = e => e.id ? `#${e.id}` :
    `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`;
  const unseen = (element, outside) => {
    for (let e = element; e && e !== outside; e = e.parentElement) {
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0'
          || box.width <= 1 || box.height <= 1) return true;  // also .visually-hidden
    }
    return false;
  };
  // The text a sighted person reads on the button, and the element that colours it.
  const seenText = element => {
    if (element.tagName === 'INPUT') return [element.value.trim(), element];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let text = '', holder = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || unseen(node.parentElement, element.parentElement)) continue;
      text += node.textContent;
      holder = holder || node.parentElement;
    }
    return [text.trim(), holder];
  };
  const found = [];
  const buttons = 'button, input[type=submit], input[type=button], input[type=reset], .btn';
  for (const element of document.querySelectorAll(buttons)) {
    const [text, holder] = seenText(element);
    if (!text || unseen(element, element.parentElement)) continue;
    const style = getComputedStyle(holder);
    const back = background(holder);
    const fore = over(rgba(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      found.push(`${selector(element)} "${text.slice(0, 40)}" ${ratio.toFixed(2)}:1 ` +
        `(${style.color} on rgb(${back.slice(0, 3).map(Math.round).join(', ')}))`);
    }
  }
  return found;
}"""


# axe leaves the contrast of symbols (the attendance matrix's ✔ and ✘) undecided unless
# told to measure them like any text; they carry meaning, so measure them. The check's
# other options stay axe's own defaults.
AXE_CONFIGURE = """() => {
  const check = axe._audit.checks['color-contrast'];
  axe.configure({checks: [{id: 'color-contrast',
                           options: Object.assign({}, check.options, {ignoreUnicode: false})}]});
}"""


class AxeChecker:
    """Runs axe-core on a page and remembers what it found."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []
        self.findings: list[str] = []

    def check(self, page):
        page.evaluate(self.axe.axe_script)
        page.evaluate(AXE_CONFIGURE)
        # All nodes of violations and incomplete results, not just the first of each.
        response = page.evaluate("axe.run(document, {resultTypes: ['violations', 'incomplete']})")
        path = urlparse(page.url).path
        self.checked.append(path)
        for violation in response["violations"]:
            if violation.get("impact") in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.findings.append(
                    f"{path}: {violation['impact']} {violation['id']}: {violation['help']} "
                    f"{targets}"
                )
        # axe files contrast it cannot compute (text on a background image, a gradient, or
        # an element that overlaps) as "incomplete", not as a violation; text in its own
        # background colour hid there. What axe cannot decide, nobody has checked: fail too.
        for result in response["incomplete"]:
            if result["id"] != "color-contrast":
                continue
            for node in result["nodes"]:
                reasons = "; ".join(check.get("message", "") for check in node.get("any", []))
                self.findings.append(
                    f"{path}: color-contrast undecided at {node['target']}: {reasons}"
                )
        for button in page.evaluate(BUTTON_CONTRAST):
            self.findings.append(f"{path}: button text contrast too low: {button}")

    def assert_clean(self):
        assert self.checked, "axe checked no page"
        assert not self.findings, "\n".join(self.findings)


@pytest.fixture
def axe():
    return AxeChecker()


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    """Where the first test's freshly built demo is dumped (pg_dump, data only)."""
    return {"path": tmp_path_factory.mktemp("demo") / "demo.dump", "ready": False}


@pytest.fixture
def demo_data(db, demo_snapshot):
    """The demo, built by its command for the first browser test and restored from a dump
    for every later one: each test starts from the same demo, for a fraction of the time.
    (The tests are transactional: after each one the database is emptied.)"""
    import io

    from django.core.management import call_command
    from django.db import connection

    settings = connection.settings_dict
    address = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    address += ["-U", settings["USER"] or "postgres", "-d", settings["NAME"]]
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    if demo_snapshot["ready"]:
        tables = connection.introspection.django_table_names(include_views=False)
        tables.append("portal_cache_fallback")
        with connection.cursor() as cursor:
            # Empty what the flush after the last test filled in again (content types,
            # permissions), so the dump's rows go in with their own keys.
            cursor.execute("TRUNCATE {} CASCADE".format(", ".join(f'"{t}"' for t in tables)))
        connection.close()  # pg_restore writes from its own connection
        subprocess.run(
            [
                "pg_restore",
                "--data-only",
                "--disable-triggers",
                "--no-owner",
                *address,
                str(demo_snapshot["path"]),
            ],
            check=True,
            env=environment,
            capture_output=True,
        )
        return
    call_command("demo", stdout=io.StringIO())
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return  # no PostgreSQL client tools: every test builds the demo itself
    subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--format=custom",
            "--exclude-table=django_migrations",
            f"--file={demo_snapshot['path']}",
            *address,
        ],
        check=True,
        env=environment,
        capture_output=True,
    )
    demo_snapshot["ready"] = True
