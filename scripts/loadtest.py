"""`make loadtest`: 50 people at once on gunicorn, PostgreSQL, Redis and a Celery worker,
for 2 minutes, with Locust on the loopback; each journey step held to its own
single-request time measured in the same run.

Steps, all against a database of its own (LOADTEST_DATABASE_URL, created when missing; it
must hold nothing but bench data) and a Redis database of its own (LOADTEST_REDIS_URL,
emptied at the start):
  1. migrate, `manage.py bench_data --scale 1`, then bench.load.prepare(): the accounts
     the simulated people sign in as, each staff member with a TOTP secret of their own, and
     the burst's cohort (20 seats for 30 people);
  2. gunicorn (LOADTEST_WORKERS sync workers on 127.0.0.1) and a Celery worker (enrolment
     mails go through the outbox as in production, into files in a temporary folder);
  3. the single-request times: Locust's BaselineUser walks every step one request at a
     time with people of its own (bench/locustfile.py);
  4. the load: 34 participants (30 of whom enrol in the burst), 8 trainers and 8 HR people,
     started LOADTEST_SPAWN_RATE a second, for LOADTEST_SECONDS;
  5. afterwards: the outbox must empty, no cohort may hold more people than seats, and the
     burst must have filled exactly its seats and put the rest on the waiting list.
It prints per step p50, p95, p99, requests, errors and p95 under load / single-request p95,
writes the table to loadtest-results.md (git-ignored), and exits 1 on any error, a ratio
above LOADTEST_MAX_RATIO (4) or a broken invariant.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402 (after the path above)
from bench.harness import log  # noqa: E402

DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leerportaal_load"
)
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SCALE = float(os.environ.get("LOADTEST_SCALE", "1"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "120"))
# People arrive one a second: a sign-in costs about 0.5 s of CPU (PBKDF2 with Django's
# 1,000,000 iterations), so fifty within ten seconds alone keep two cores busy for 15 s.
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "1"))
# Two cores here, shared by gunicorn, PostgreSQL, the Celery worker and Locust itself.
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
PORT = int(os.environ.get("LOADTEST_PORT", "8766"))
USERS = 50
# The load runs SECONDS once everyone has arrived; the burst comes half a minute after that.
RAMP = USERS / SPAWN_RATE
BURST_AFTER = float(os.environ.get("LOADTEST_BURST_AFTER", RAMP + 30))
BURST_SECONDS = float(os.environ.get("LOADTEST_BURST_SECONDS", "2"))
PAUSE = os.environ.get("LOADTEST_PAUSE", "3-12")
MAX_RATIO = float(os.environ.get("LOADTEST_MAX_RATIO", "4"))
OUTPUT = Path(os.environ.get("LOADTEST_OUTPUT", ROOT / "loadtest-results.md"))
BIN = Path(sys.executable).parent
LOAD_USERS = ("ParticipantUser", "TrainerUser", "HRUser")


def environment(mail_folder: str) -> dict[str, str]:
    """Production's settings on the loopback (portal.settings.bench), with Redis."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "loadtest-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": mail_folder,
        "LOADTEST_BURST_AFTER": str(BURST_AFTER),
        "LOADTEST_BURST_SECONDS": str(BURST_SECONDS),
        "LOADTEST_PAUSE": PAUSE,
    }


def prepare(plan_file: Path) -> dict:
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connections

    from bench import load

    log(f"Database {urlsplit(DATABASE_URL).path.lstrip('/')}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    redis.Redis.from_url(REDIS_URL).flushdb()
    log(f"Bench data at scale {SCALE:g}, then the load test's people")
    call_command("bench_data", scale=SCALE, verbosity=0)
    plan = load.prepare()
    plan_file.write_text(json.dumps(plan))
    connections.close_all()
    return plan


def locust(users: tuple[str, ...], prefix: Path, *, count: int, seconds: int) -> None:
    """A headless Locust run of ``users`` (class names of bench/locustfile.py); its
    statistics go to ``prefix``_stats.csv and ``prefix``_failures.csv."""
    subprocess.run(
        [
            str(BIN / "locust"),
            "--locustfile=bench/locustfile.py",
            "--headless",
            f"--host=http://127.0.0.1:{PORT}",
            f"--users={count}",
            f"--spawn-rate={SPAWN_RATE if count > 1 else 1}",
            f"--run-time={seconds}s",
            # A person ends the turn they are in (a form half sent is no error of the portal).
            "--stop-timeout=15",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
            *users,
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        check=False,  # errors are read from the statistics
    )


def statistics(prefix: Path) -> dict[str, dict]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def failures(prefix: Path) -> list[dict]:
    with open(f"{prefix}_failures.csv", newline="") as rows:
        return list(csv.DictReader(rows))


def over_time(prefix: Path, every: int = 10) -> str:
    """All requests every ``every`` seconds of the load: people, requests/s, p50 and p95 of
    Locust's recent window. Where the time goes: the arrivals, the burst, or throughout."""
    with open(f"{prefix}_stats_history.csv", newline="") as history:
        rows = [r for r in csv.DictReader(history) if r["Name"] == "Aggregated"]
    start = int(rows[0]["Timestamp"])
    lines = ["| s | people | requests/s | p50 ms | p95 ms |", "|---|---|---|---|---|"]
    shown = -every
    for row in rows:
        second = int(row["Timestamp"]) - start
        if second - shown >= every and row["95%"] != "N/A":
            shown = second
            lines.append(
                f"| {second} | {row['User Count']} | {float(row['Requests/s']):.1f} "
                f"| {row['50%']} | {row['95%']} |"
            )
    return "\n".join(lines)


def outbox_drained(timeout: float = 90) -> dict[str, int]:
    """Wait until the worker has handled every queued mail; the outbox by status."""
    from django.db.models import Count

    from portal.models import Notification

    deadline = time.monotonic() + timeout
    while True:
        by_status = dict(
            Notification.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        if not by_status.get(Notification.Status.QUEUED) or time.monotonic() > deadline:
            return by_status
        time.sleep(1)


def table(baseline: dict, load: dict, rows_failed: list[dict]) -> tuple[str, list[str]]:
    from bench.journeys import STEPS

    problems = []
    lines = [
        "| step | requests | errors | p50 ms | p95 ms | p99 ms | single p95 ms | ratio p95 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for step in STEPS:
        if step not in load:
            continue
        row, single = load[step], baseline.get(step)
        errors = int(row["Failure Count"])
        p95 = float(row["95%"])
        single_p95 = float(single["95%"]) if single else None
        ratio = p95 / single_p95 if single_p95 else None
        if errors:
            problems.append(f"{step}: {errors} errors")
        if ratio is None:
            problems.append(f"{step}: no single-request time")
        elif ratio > MAX_RATIO:
            problems.append(
                f"{step}: p95 {ratio:.1f}x its single-request p95 (at most {MAX_RATIO:g})"
            )
        lines.append(
            f"| {step} | {row['Request Count']} | {errors} | {row['50%']} | {row['95%']} "
            f"| {row['99%']} | {single_p95 if single_p95 is not None else '–':} "
            f"| {f'{ratio:.2f}x' if ratio is not None else '–'} |"
        )
    total = load["Aggregated"]
    lines.append(
        f"| all | {total['Request Count']} | {total['Failure Count']} | {total['50%']} "
        f"| {total['95%']} | {total['99%']} | | |"
    )
    for failure in rows_failed:
        lines.append(
            f"\n- error: {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)"
        )
    return "\n".join(lines), problems


def main() -> None:
    harness.ensure_database(DATABASE_URL)
    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    mail_folder = work / "mail"
    mail_folder.mkdir()
    os.environ.update(environment(str(mail_folder)))
    plan_file = work / "plan.json"
    os.environ["LOADTEST_PLAN"] = str(plan_file)
    plan = prepare(plan_file)

    from bench import load

    server = harness.gunicorn_start(port=PORT, workers=WORKERS, environment=os.environ.copy())
    worker = subprocess.Popen(
        [
            str(BIN / "celery"),
            "--app=portal",
            "worker",
            "--queues=portal",
            "--pool=threads",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        load_before = os.getloadavg()
        log("Single-request times: every step one request at a time")
        started = time.monotonic()
        locust(("BaselineUser",), work / "baseline", count=1, seconds=600)
        log(f"  {time.monotonic() - started:.0f} s")
        log(
            f"Load: {USERS} people arriving over {RAMP:g} s, then {SECONDS} s; the burst of "
            f"{load.BURST} at {BURST_AFTER:g} s"
        )
        locust(LOAD_USERS, work / "load", count=USERS, seconds=round(RAMP) + SECONDS)
        load_after = os.getloadavg()
        outbox = outbox_drained()
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)

    baseline, under_load = statistics(work / "baseline"), statistics(work / "load")
    text, problems = table(
        baseline, under_load, failures(work / "baseline") + failures(work / "load")
    )
    exceeded = load.seats_exceeded()
    burst = load.burst_outcome(plan["burst_cohort"])
    expected = {"enrolled": load.BURST_SEATS, "waitlisted": load.BURST - load.BURST_SEATS}
    if exceeded:
        problems.append(f"more people than seats: {exceeded}")
    if burst != expected:
        problems.append(f"the burst ended as {burst}, not {expected}")
    if outbox.get("queued") or outbox.get("failed"):
        problems.append(f"the outbox did not empty: {outbox}")
    baseline_errors = int(baseline["Aggregated"]["Failure Count"])
    if baseline_errors:
        problems.append(f"{baseline_errors} errors in the single-request run")
    summary = [
        f"{USERS} simulated people (34 participants, 8 trainers, 8 HR), arriving "
        f"{SPAWN_RATE:g} a second and signing in, then all of them for {SECONDS} s, each "
        f"turn followed by a pause of {PAUSE} s; the burst at {BURST_AFTER:g} s; gunicorn "
        f"{WORKERS} sync workers, a Celery worker (2 threads), PostgreSQL and Redis on one "
        f"machine with {os.cpu_count()} cores (load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after). Bench data at scale {SCALE:g}. Single p95: "
        "BaselineUser, the same steps one request at a time in the same run. Locust rounds "
        "times above 100 ms to two significant digits.",
        "",
        text,
        "",
        f"- Burst: {load.BURST} people into a cohort of {load.BURST_SEATS} seats within "
        f"{BURST_SECONDS:g} s: {burst}.",
        f"- Seats: {exceeded if exceeded else 'no cohort holds more people than seats'}.",
        f"- Outbox after the run: {outbox}.",
        f"- Throughput: {float(under_load['Aggregated']['Requests/s']):.1f} requests/s.",
        f"- Verdict: {'PASS' if not problems else 'FAIL: ' + '; '.join(problems)}.",
        "",
        f"Over time (the burst at {BURST_AFTER:g} s; Locust's recent window):",
        "",
        over_time(work / "load"),
    ]
    result = "\n".join(summary) + "\n"
    OUTPUT.write_text("# Load test\n\n" + result)
    log("\n" + result)
    log(f"Written to {OUTPUT}.")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
