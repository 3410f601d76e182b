"""Operations without beat: the one-pass commands, and the in-process loop of `make run`."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from portal.management.commands import serve
from portal.models import Notification
from portal.notifications import notify
from portal.scheduler import Scheduler
from tests.portal.conftest import TEST_KIND

pytestmark = pytest.mark.django_db

CONTEXT = {"first_name": "Sanne", "accept_url": "http://x.example/", "expires_at": "1-1"}


def _lost_notification(participant):
    """A row whose send task never ran (the broker was down when it was written)."""
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        return notify(participant, "invitation", context=CONTEXT)


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_loop_of_make_run_scans_and_sweeps_when_due(
    daytime, ops_reminder, participant, trainer, django_capture_on_commit_callbacks
):
    ops_reminder.append(trainer)
    lost = _lost_notification(participant)
    clock, said = FakeClock(), []
    scheduler = Scheduler(interval=180, clock=clock, report=said.append)
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler.tick()
    assert (first.scan.found, first.scan.written, first.queued) == (1, 1, 1)
    lost.refresh_from_db()
    assert lost.status == Notification.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, trainer.email])
    assert "1 reminders due, 1 written" in said[0] and "1 outbox messages queued again" in said[0]
    clock.now += 179
    assert scheduler.tick() is None
    assert scheduler.wait() == 1
    clock.now += 1
    with django_capture_on_commit_callbacks(execute=True):
        again = scheduler.tick()
    assert (again.scan.found, again.scan.written, again.queued) == (1, 0, 0)
    assert len(mail.outbox) == 2
    assert len(said) == 1  # a pass that did nothing says nothing


def test_the_loop_writes_no_reminder_in_the_quiet_hours(ops_reminder, trainer):
    ops_reminder.append(trainer)
    night = timezone.localtime().replace(hour=23, minute=30)
    with time_machine.travel(night, tick=False):
        done = Scheduler(interval=180, clock=FakeClock(), report=print).tick()
    assert done.scan.quiet and not Notification.objects.exists()


def test_reminders_scan_command_prints_what_it_did(daytime, ops_reminder, trainer, coach):
    ops_reminder.extend([trainer, coach])
    out = io.StringIO()
    call_command("reminders_scan", stdout=out)
    call_command("reminders_scan", stdout=out)
    first, second = out.getvalue().split(f"  {TEST_KIND}:")[1:]
    assert "2 written" in first and "2 reminders due, 2 written" in first
    assert "0 written" in second and "2 reminders due, 0 written" in second
    assert "per second" in second
    assert Notification.objects.filter(kind=TEST_KIND).count() == 2


def test_reminders_scan_command_waits_in_the_quiet_hours(ops_reminder, trainer):
    ops_reminder.append(trainer)
    out = io.StringIO()
    with time_machine.travel(timezone.localtime().replace(hour=6, minute=59), tick=False):
        call_command("reminders_scan", stdout=out)
    assert "Quiet hours" in out.getvalue()
    assert not Notification.objects.exists()


def test_outbox_sweep_command_queues_lost_messages(participant, settings):
    lost = _lost_notification(participant)
    out = io.StringIO()
    call_command("outbox_sweep", stdout=out)
    assert out.getvalue().strip() == "1 outbox messages queued again."
    lost.refresh_from_db()
    assert lost.status == Notification.Status.SENT  # in-process here: tasks run eagerly


@pytest.mark.parametrize(
    ("eager", "run_main", "noreload", "started"),
    [
        (True, "true", False, True),  # the autoreloader's child, which serves
        (True, None, False, False),  # the autoreloader's parent only watches files
        (True, None, True, True),  # no autoreloader: this process serves
        (False, "true", False, False),  # a broker: beat and a worker do it
    ],
)
def test_serve_starts_the_loop_only_where_it_serves_without_a_broker(
    monkeypatch, settings, eager, run_main, noreload, started
):
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    if run_main:
        monkeypatch.setenv("RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    starts, served = [], []
    monkeypatch.setattr(Scheduler, "start", lambda self: starts.append(self.interval))
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: served.append(kwargs))
    args = ["--noreload"] if noreload else []
    call_command("serve", "127.0.0.1:8123", *args, stdout=io.StringIO())
    assert starts == (
        [settings.CELERY_BEAT_SCHEDULE["reminders-scan"]["schedule"]] if started else []
    )
    assert served == [{"use_reloader": not noreload}]


def test_celery_settings_bound_every_wait(settings):
    from portal import tasks
    from portal.notifications import MAX_ATTEMPTS

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    # A task counting down to its retry is not acknowledged yet: Redis must not hand it out
    # again while it waits, nor while the longest task runs.
    assert options["visibility_timeout"] >= tasks.RETRY_BACKOFF_MAX + 30 * 60
    # A broker that is down or mute stalls a publish (and so a request) a second or two.
    assert options["socket_connect_timeout"] <= 2 and options["socket_timeout"] <= 2
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 2
    send = tasks.notification_send_task
    assert settings.CELERY_TASK_ACKS_LATE and send.acks_late
    assert (send.retry_backoff, send.retry_jitter) == (True, True)
    assert send.retry_backoff_max == tasks.RETRY_BACKOFF_MAX
    # The row gives up at MAX_ATTEMPTS; the task must not give up before it.
    assert send.max_retries + 1 >= MAX_ATTEMPTS


def test_docker_compose_runs_exactly_one_beat():
    from django.conf import settings

    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    commands = [line.strip() for line in compose.splitlines() if line.strip().startswith("- ")]
    assert commands.count("- beat") == 1
    assert "--beat" not in compose and "- -B" not in compose


def test_postgresql_runs_the_portals_queries_without_its_jit_compiler():
    # Compiling the people export's query took 1.6 s of its 1.9 s (see postgresql_session).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
