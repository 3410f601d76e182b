from django.core.management.base import BaseCommand

from portal.notifications import notification_sweep


class Command(BaseCommand):
    help = "Queue outbox messages whose task was lost (one pass of the beat task)."

    def handle(self, **options):
        queued = notification_sweep()
        self.stdout.write(f"{queued} outbox messages queued again.")
