"""`manage.py bench_data --scale 10`: data at scale for `make bench` (see bench.data)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bench import data
from portal.models import User


class Command(BaseCommand):
    help = (
        "Fill a benchmark database: at --scale 10 50 organisations, 10,000 participants, "
        "400 cohorts and their history. Refuses a database with accounts it did not make."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a tenth of 10.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even when the database holds accounts bench_data did not make.",
        )

    def handle(self, *args, scale, force, **options):
        if scale <= 0 or scale > 50:
            raise CommandError("--scale must be above 0 and at most 50.")
        if not force and (others := data.others_count()):
            raise CommandError(
                f"Refusing: {others} account(s) in this database were not made by bench_data "
                f"(their address does not end in @{data.EMAIL_DOMAIN}). Use an empty "
                "database, or --force."
            )
        started = time.monotonic()
        if User.objects.exists():
            # A second run starts from an empty database: only bench accounts are in it.
            call_command("flush", interactive=False, verbosity=0)
        counts = data.generate(scale, force=force)
        seconds = time.monotonic() - started
        for name, count in counts.items():
            self.stdout.write(f"  {name:<24} {count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Bench data at scale {scale:g} in {seconds:.1f} s."))
