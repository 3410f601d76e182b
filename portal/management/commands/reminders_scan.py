from django.core.management.base import BaseCommand

from portal.reminders import reminders_scan


class Command(BaseCommand):
    help = "Write the outbox rows of every reminder due now (one pass of the beat task)."

    def handle(self, **options):
        result = reminders_scan()
        if result.quiet:
            self.stdout.write("Quiet hours: no reminders go now; they wait for the morning.")
            return
        for kind, written in result.per_kind.items():
            self.stdout.write(f"  {kind}: {written} written")
        self.stdout.write(
            f"{result.found} reminders due, {result.written} written (the rest were "
            f"already), in {result.seconds:.2f} s: {result.rate:.0f} per second."
        )
