"""``runserver`` plus the in-process scheduler of ``portal.scheduler`` (``make run``)."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Run the development server; without a broker also scan for due reminders and "
        "sweep the outbox every REMINDERS_SCAN_SECONDS, in-process."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="Do not restart on changes.")

    def handle(self, *args, addrport, noreload, **options):
        # The autoreloader's parent process only watches files and restarts the child
        # (RUN_MAIN=true), which serves: the loop runs there, once.
        serving = noreload or os.environ.get("RUN_MAIN") == "true"
        if serving:
            self.start_scheduler()
        call_command("runserver", addrport, use_reloader=not noreload)

    def start_scheduler(self):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write(
                "A broker is configured: reminders and the outbox sweep need celery beat "
                "and a worker (see README)."
            )
            return None
        interval = settings.CELERY_BEAT_SCHEDULE["reminders-scan"]["schedule"]
        self.stdout.write(f"Scanning for due reminders every {interval:.0f} s, in-process.")
        return Scheduler(interval=interval, report=self.stdout.write).start()
