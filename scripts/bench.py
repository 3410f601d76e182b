"""`make bench`: the main page of every role at 1x and 10x, as ratios to two reference pages.

Steps, all against a database of its own (BENCH_DATABASE_URL, created when missing):
  1. migrate, and `manage.py bench_data --scale 1` (1x);
  2. per page: queries per request, and server time p50/p95 over 50 requests, with Django's
     test Client in this process (production settings, portal.settings.bench);
  3. gunicorn (5 sync workers on 127.0.0.1) and wrk at concurrency 8 and 32 with a signed-in
     session per role; the two reference pages (bench.urls) are measured in the same run,
     interleaved with the pages, and every figure is the median of BENCH_ROUNDS rounds;
  4. the same at scale 10; then the table, PASS/FAIL per target of issue 12, printed and
     written as Markdown to bench-results.md.

Pages are named by URL name: one that does not resolve in this checkout (the HR pages
before they exist) is left out with a note, so the bench runs before and after they land.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/leerportaal_bench),
BENCH_SCALES ("1,10"), BENCH_REQUESTS (50), BENCH_WRK_SECONDS (5), BENCH_ROUNDS (3),
BENCH_PORT (8765), BENCH_OUTPUT (bench-results.md).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402 (after the path above)
from bench.harness import ensure_database, log, percentile  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leerportaal_bench"
)
SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "bench-results.md"))
EXPORT_REQUESTS = 5

# Production's settings with what a run on the loopback needs; persistent connections as
# deploy/production.env.example has them.
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": "bench-" + secrets.token_hex(24),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "CONN_MAX_AGE": "60",
    "REDIS_URL": "",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENVIRONMENT)


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    url_names: tuple[str, ...]  # the first that resolves is measured
    query: str = ""
    # page | dashboard | export | reference | computed (in-process only, the cache emptied
    # before every request: what a visit costs right after the data changed)
    kind: str = "page"
    target: str = "list"  # which reference the page is held to: list | aggregate | none
    args: str = ""  # "matrix_cohort": the trainer's biggest running cohort
    url_args: tuple[str, ...] = ()  # fixed arguments of the URL (an export's format)


PAGES = [
    Page(
        "Reference list (50 rows, 1 query)",
        "deelnemer",
        ("bench-reference-list",),
        kind="reference",
        target="none",
    ),
    Page(
        "Reference aggregate (20 rows, 2 queries)",
        "hr",
        ("bench-reference-aggregate",),
        kind="reference",
        target="none",
    ),
    Page("Participant: home", "deelnemer", ("portal:home",)),
    Page("Participant: Mijn leergang", "deelnemer", ("leergang:my-leergang",)),
    Page("Participant: catalogue", "deelnemer", ("leergang:catalogue",)),
    Page("Trainer: home", "trainer", ("portal:home",)),
    Page("Trainer: cohorts", "trainer", ("leergang:trainer-cohorts",)),
    Page(
        "Trainer: attendance matrix", "trainer", ("leergang:cohort-manage",), args="matrix_cohort"
    ),
    Page("Trainer: intervisie overview", "trainer", ("intervisie:trainer-overview",)),
    Page("Coach: home", "coach", ("portal:home",)),
    Page("Coach: overview", "coach", ("coaching:overview",)),
    Page("Beheerder: coaching trajectories", "beheerder", ("coaching:trajectories",)),
    Page("HR: home", "hr", ("portal:home",)),
    Page("HR: dashboard", "hr", ("hr:dashboard",), kind="dashboard", target="aggregate"),
    Page(
        "HR: dashboard, figures computed",
        "hr",
        ("hr:dashboard",),
        kind="computed",
        target="none",
    ),
    Page(
        "HR: dashboard CSV",
        "hr",
        ("hr:dashboard-export",),
        url_args=("csv",),
        kind="export",
        target="none",
    ),
    Page(
        "HR: dashboard XLSX",
        "hr",
        ("hr:dashboard-export",),
        url_args=("xlsx",),
        kind="export",
        target="none",
    ),
    Page("HR: people list", "hr", ("hr:people",)),
    Page("HR: people list, computed", "hr", ("hr:people",), kind="computed", target="none"),
    Page("HR: people XLSX", "hr", ("hr:people-export-xlsx",), kind="export", target="none"),
    Page("HR: approval queue", "hr", ("leergang:approval-queue",)),
    Page("Beheerder: home", "beheerder", ("portal:home",)),
]
# Wrapped to the line length by hand above; ruff format keeps it.
PEOPLE_XLSX = "HR: people XLSX"


@dataclass
class Measure:
    status: int = 0
    queries: int | None = None
    p50: float | None = None  # ms, in-process
    p95: float | None = None
    rps: dict[int, float] = field(default_factory=dict)  # concurrency -> req/s (median)
    p99: dict[int, float] = field(default_factory=dict)  # concurrency -> ms (median)
    errors: int = 0
    size: int = 0


# -- in-process measurements --------------------------------------------------------------


def resolve(page: Page, context: dict) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in page.url_names:
        try:
            args = [context[page.args]] if page.args else list(page.url_args)
            return reverse(name, args=args) + page.query
        except NoReverseMatch:
            continue
    return None


def sessions() -> dict[str, str]:
    """A signed-in session per role, as the cookie value wrk sends."""
    from django.conf import settings
    from django.test import Client

    from bench import data
    from portal.models import User

    cookies = {}
    for role, email in data.LOGINS.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies[str(role)] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def page_context() -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    from bench import data
    from leergang.models import Cohort

    today = timezone.localdate()
    matrix = (
        Cohort.objects.filter(trainers__email=data.TRAINER_EMAIL, starts_on__lte=today)
        .annotate(n=Count("enrolments", filter=Q(enrolments__state__in=["enrolled", "completed"])))
        .order_by("-n", "-starts_on")
        .first()
    )
    return {"matrix_cohort": matrix.pk}


def measure_in_process(pages, cookies, context) -> dict[str, Measure]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for page in pages:
        url = resolve(page, context)
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[page.role]
        measure = Measure()
        response = client.get(url)  # warm-up: templates, translations, connection
        measure.status = response.status_code
        measure.size = len(response.content) if not response.streaming else 0
        computed = page.kind == "computed"
        if computed:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        measure.queries = len(captured)
        times = []
        for _ in range(EXPORT_REQUESTS if page.kind in ("export", "computed") else REQUESTS):
            if computed:
                cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        measure.p50 = statistics.median(times)
        measure.p95 = percentile(times, 95)
        results[page.label] = measure
        log(
            f"  {page.label:<42} {measure.status} {measure.queries:>3} queries "
            f"p50 {measure.p50:7.1f} ms  p95 {measure.p95:7.1f} ms"
        )
    return results


# -- gunicorn and wrk ---------------------------------------------------------------------


def gunicorn_start() -> subprocess.Popen:
    return harness.gunicorn_start(port=PORT, workers=5, environment=ENVIRONMENT)


def drain() -> None:
    """Wait until gunicorn has answered what wrk left queued when it stopped: otherwise the
    next run starts behind up to 32 requests of the page before."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        # A slow page's queue (the unpaginated people list at 10x) is long.
        if harness.answers(PORT, timeout=30):
            return
    raise SystemExit("gunicorn did not drain its queue within 10 minutes")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url: str, cookie: str, concurrency: int, seconds=None) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms, and non-2xx responses."""
    from django.conf import settings

    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, concurrency)}",
            f"-c{concurrency}",
            f"-d{seconds or WRK_SECONDS}s",
            "--latency",
            # A shared machine can be slow: a late answer counts in the p99, not as an error.
            "--timeout=10s",
            "-H",
            f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}",
            f"http://127.0.0.1:{PORT}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", output)
    if p99 is None:  # nothing answered within the run
        return 0.0, WRK_SECONDS * 1000.0, 0
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    value, unit = p99.groups()
    return rps, float(value) * UNITS[unit], int(errors.group(1)) if errors else 0


def measure_throughput(pages, cookies, context, results, concurrencies) -> None:
    """Rounds of every page in turn (the references among them), median per page."""
    runs: dict[tuple[str, int], list[tuple[float, float]]] = {}
    server = gunicorn_start()
    try:
        # Every worker loads templates and translations on its first requests: not measured.
        for page in pages:
            if page.kind not in ("export", "computed") and results[page.label].status == 200:
                wrk(resolve(page, context), cookies[page.role], 8, seconds=1)
                drain()
        for round_number in range(1, ROUNDS + 1):
            log(f"  round {round_number} of {ROUNDS}")
            for page in pages:
                if page.kind in ("export", "computed") or results[page.label].status != 200:
                    continue
                url = resolve(page, context)
                for concurrency in concurrencies:
                    rps, p99, errors = wrk(url, cookies[page.role], concurrency)
                    drain()
                    runs.setdefault((page.label, concurrency), []).append((rps, p99))
                    results[page.label].errors += errors
                    log(
                        f"    {page.label:<42} c{concurrency:<3} {rps:8.1f} req/s  p99 {p99:.0f} ms"
                    )
    finally:
        server.terminate()
        server.wait(timeout=30)
    for (label, concurrency), values in runs.items():
        results[label].rps[concurrency] = statistics.median(v[0] for v in values)
        results[label].p99[concurrency] = statistics.median(v[1] for v in values)


# -- one scale ----------------------------------------------------------------------------


def run_scale(scale: float, pages) -> tuple[dict[str, Measure], float]:
    from django.core.management import call_command
    from django.db import connections

    log(f"\n== Scale {scale:g}: generating data")
    started = time.monotonic()
    call_command("bench_data", scale=scale, force=False)
    generated = time.monotonic() - started
    call_command("clearsessions")
    cookies = sessions()
    context = page_context()
    log(f"== Scale {scale:g}: queries and server time ({REQUESTS} requests per page)")
    results = measure_in_process(pages, cookies, context)
    connections.close_all()
    concurrencies = (8, 32) if scale == max(SCALES) else (32,)
    log(f"== Scale {scale:g}: throughput under gunicorn with wrk ({WRK_SECONDS} s per run)")
    measure_throughput(pages, cookies, context, results, concurrencies)
    return results, generated


# -- the table ----------------------------------------------------------------------------


def ratio(value, reference) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def fmt(value, digits=0, suffix="") -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}{suffix}"


def verdicts(page: Page, low: Measure | None, high: Measure, refs_high: dict) -> list[str]:
    """The issue's targets that apply to this page, each PASS or FAIL with why."""
    out = []
    if high.status != 200:
        return [f"FAIL: answers {high.status}"]
    if low is not None and page.kind != "reference":
        same = low.queries == high.queries
        out.append(
            ("PASS" if same and high.queries <= 15 else "FAIL")
            + f" queries {low.queries}→{high.queries} (≤15, constant)"
        )
    if page.target == "list":
        ref = refs_high["list"]
        tp = ratio(high.rps.get(32), ref.rps.get(32))
        p99 = ratio(high.p99.get(32), ref.p99.get(32))
        out.append(
            ("PASS" if tp is not None and tp >= 0.5 else "FAIL") + f" c32 {fmt(tp, 2)}x ref (≥0.5)"
        )
        out.append(
            ("PASS" if p99 is not None and p99 <= 2 else "FAIL") + f" p99 {fmt(p99, 2)}x ref (≤2)"
        )
    if page.target == "aggregate":
        ref = refs_high["aggregate"]
        tp = ratio(high.rps.get(32), ref.rps.get(32))
        p95 = ratio(high.p95, ref.p95)
        out.append(
            ("PASS" if tp is not None and tp >= 0.33 else "FAIL")
            + f" c32 {fmt(tp, 2)}x ref (≥0.33)"
        )
        out.append(
            ("PASS" if p95 is not None and p95 <= 4 else "FAIL") + f" p95 {fmt(p95, 2)}x ref (≤4)"
        )
    if low is not None and page.kind not in ("export", "reference", "computed"):
        kept = ratio(high.rps.get(32), low.rps.get(32))
        out.append(
            ("PASS" if kept is not None and kept >= 0.75 else "FAIL")
            + f" kept {fmt(kept, 2)} at 10x (≥0.75)"
        )
    if page.label == PEOPLE_XLSX:
        out.append(
            ("PASS" if high.p50 < 2000 else "FAIL") + f" XLSX {high.p50 / 1000:.2f} s (<2 s)"
        )
    return out


def table(pages, by_scale: dict[float, dict[str, Measure]], skipped, generated) -> str:
    low_scale, high_scale = min(by_scale), max(by_scale)
    low, high = by_scale[low_scale], by_scale[high_scale]
    refs = {
        "list": high["Reference list (50 rows, 1 query)"],
        "aggregate": high["Reference aggregate (20 rows, 2 queries)"],
    }
    lines = [
        f"Scales {low_scale:g}x and {high_scale:g}x (bench_data; {high_scale:g}x: "
        f"{generated[high_scale]:.0f} s to generate). In-process: {REQUESTS} requests per page "
        f"(exports {EXPORT_REQUESTS}); gunicorn 5 sync workers, wrk {WRK_SECONDS} s per run, "
        f"median of {ROUNDS} rounds interleaved with the references.",
        "",
        f"| page | queries {low_scale:g}x | queries {high_scale:g}x | p50/p95 ms {low_scale:g}x "
        f"| p50/p95 ms {high_scale:g}x | req/s c8 | req/s c32 | ratio to ref | p99 ratio "
        f"| kept at {high_scale:g}x | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    passed = failed = 0
    for page in pages:
        if page.label not in high:
            continue
        a, b = low.get(page.label), high[page.label]
        ref = refs.get(page.target)
        rel = ratio(b.rps.get(32), ref.rps.get(32)) if ref else None
        p99 = (
            ratio(b.p99.get(32), ref.p99.get(32))
            if page.target == "list"
            else ratio(b.p95, ref.p95)
            if ref
            else None
        )
        kept = ratio(b.rps.get(32), a.rps.get(32)) if a else None
        p95_note = " (p95)" if page.target == "aggregate" else ""
        results = verdicts(page, a, b, refs)
        passed += sum(r.startswith("PASS") for r in results)
        failed += sum(r.startswith("FAIL") for r in results)
        lines.append(
            f"| {page.label} | {fmt(a.queries if a else None)} | {fmt(b.queries)} "
            f"| {fmt(a.p50 if a else None, 1)} / {fmt(a.p95 if a else None, 1)} "
            f"| {fmt(b.p50, 1)} / {fmt(b.p95, 1)} | {fmt(b.rps.get(8))} | {fmt(b.rps.get(32))} "
            f"| {fmt(rel, 2, 'x')} | {fmt(p99, 2, 'x')}{p95_note} "
            f"| {fmt(kept, 2)} | {'; '.join(results) or '–'} |"
        )
    lines.append("")
    for note in skipped:
        lines.append(f"- {note}")
    lines.append(f"- Targets: {passed} PASS, {failed} FAIL.")
    return "\n".join(lines) + "\n"


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed for the throughput runs: apt-get install wrk")
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command

    log(f"Database {urlsplit(DATABASE_URL).path.lstrip('/')}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    pages, skipped = [], []
    for page in PAGES:
        if resolve(page, {"matrix_cohort": 1}) is None:
            skipped.append(
                f"{page.label}: not measured, {' / '.join(page.url_names)} does not resolve here."
            )
            log(f"Skipping {skipped[-1]}")
        else:
            pages.append(page)
    by_scale, generated = {}, {}
    for scale in SCALES:
        by_scale[scale], generated[scale] = run_scale(scale, pages)
    text = table(pages, by_scale, skipped, generated)
    OUTPUT.write_text("# Benchmark\n\n" + text)
    log("\n" + text)
    log(f"Written to {OUTPUT}.")


if __name__ == "__main__":
    main()
