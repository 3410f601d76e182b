"""The background loop of `make run`, where there is no Celery beat.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``) tasks run in-process, but nothing runs the
periodic ones: ``manage.py serve`` starts this loop in a daemon thread of the development
server, so due reminders and evaluation invitations still go out (printed to the console)
within ``REMINDERS_SCAN_SECONDS``, and the audit trail is purged as often as beat's
``audit-purge`` would, together with the daily jobs apps register (``register_daily``: the
retention of cohorts' personal data). Production and the tests never start it: there beat
runs ``reminders_scan_task``, ``notification_sweep_task``, ``audit_purge_task`` and the apps'
daily tasks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django import db
from django.conf import settings

from portal import audit
from portal.notifications import notification_sweep
from portal.reminders import ScanResult, reminders_scan

logger = logging.getLogger(__name__)

# Jobs apps run once a day with the purge (portal imports no app): (what it counts, job).
_daily: list[tuple[str, Callable[[], int]]] = []


# Jobs apps run in every pass, as beat runs their frequent task: (what it counts, job).
_every_pass: list[tuple[str, Callable[[], int]]] = []


def register_every_pass(label: str, job: Callable[[], int]) -> None:
    """Run ``job`` (which answers how many things it did) in every pass of the loop."""
    _every_pass.append((label, job))


def register_daily(label: str, job: Callable[[], int]) -> None:
    """Run ``job`` (which answers how many things it did) daily, as beat runs the app's
    daily task."""
    _daily.append((label, job))


@dataclass
class Pass:
    """What one pass did."""

    scan: ScanResult
    queued: int  # outbox rows the sweep queued again
    purged: int | None = None  # audit records removed; None: no purge was due
    daily: dict[str, int] = field(default_factory=dict)  # what each daily job did
    jobs: dict[str, int] = field(default_factory=dict)  # what each every-pass job did

    def summary(self) -> str:
        if self.scan.quiet:
            reminders = "quiet hours, no reminders"
        else:
            reminders = (
                f"{self.scan.found} reminders due, {self.scan.written} written "
                f"in {self.scan.seconds:.2f} s ({self.scan.rate:.0f} per second)"
            )
        purged = f"; {self.purged} audit records removed" if self.purged else ""
        done_by_apps = {**self.jobs, **self.daily}
        daily = "".join(f"; {label}: {done}" for label, done in done_by_apps.items() if done)
        return f"{reminders}; {self.queued} outbox messages queued again{purged}{daily}"


def run_pass(*, purge: bool = False) -> Pass:
    """One reminder scan and one outbox sweep, as beat would run them; with ``purge`` the
    audit trail's purge and the daily jobs too (daily, as beat runs them)."""
    return Pass(
        scan=reminders_scan(),
        queued=notification_sweep(),
        purged=audit.purge() if purge else None,
        daily={label: job() for label, job in _daily} if purge else {},
        jobs={label: job() for label, job in _every_pass},
    )


def purge_interval() -> float:
    """Seconds between purges of the audit trail: beat's schedule, so both agree."""
    return float(settings.CELERY_BEAT_SCHEDULE["audit-purge"]["schedule"])


class Scheduler:
    """Runs ``run_pass`` every ``interval`` seconds of ``clock``, the first pass at once; the
    audit purge in the first pass and then once every ``purge_interval()``."""

    def __init__(
        self,
        *,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        report: Callable[[str], None] = print,
    ):
        self.interval = interval
        self.clock = clock
        self.report = report
        self.next_at = clock()
        self.next_purge_at = self.next_at

    def tick(self) -> Pass | None:
        """The loop's body: a pass when one is due (None when not yet)."""
        now = self.clock()
        if now < self.next_at:
            return None
        self.next_at = now + self.interval
        purge = now >= self.next_purge_at
        if purge:
            self.next_purge_at = now + purge_interval()
        done = run_pass(purge=purge)
        if (
            done.scan.written
            or done.queued
            or done.purged
            or any(done.daily.values())
            or any(done.jobs.values())
        ):
            self.report(f"[scheduler] {done.summary()}")
        return done

    def wait(self) -> float:
        """Seconds until the next pass is due."""
        return max(0.0, self.next_at - self.clock())

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # a failed pass must not end the loop; the next one tries again
                logger.exception("The in-process reminder scan failed")
            finally:
                db.close_old_connections()
            stop.wait(self.wait())

    def start(self) -> threading.Event:
        """Run in a daemon thread (it ends with the server); set the event to stop it."""
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), name="scheduler", daemon=True).start()
        return stop
