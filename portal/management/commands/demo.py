"""Demo data for trying the portal: `python manage.py demo` (idempotent).

`python manage.py demo --reset` empties the database first and builds the demo again
relative to today, so that "running" cohorts are running again; it refuses when the
database holds anyone who is not a demo person.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo
from portal.models import Organisation
from portal.notifications import muted

DEMO_APPS = ("leergang", "intervisie", "coaching", "evaluations", "sso")


class Command(BaseCommand):
    help = "Create demo organisations, people and history (running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete everything and build the demo again relative to today "
            "(refused when the database holds people who are not demo people).",
        )

    def handle(self, *args, reset=False, **options):
        if reset:
            others = demo.people_outside_the_demo()
            if others:
                raise CommandError(
                    f"Refusing to reset: {others} account(s) in this database are not demo "
                    f"people (their e-mail address does not end in {demo.DEMO_EMAIL_SUFFIX})."
                )
        # One transaction: a rebuild that fails leaves the old demo in place. The demo
        # replays history through the services: nobody gets mail about it.
        with transaction.atomic(), muted():
            if reset:
                call_command("flush", interactive=False, verbosity=0)
            self._load()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        for email, *_rest, roles in demo.LOGINS:
            self.stdout.write(f"  {email:<28} {demo.DEMO_PASSWORD}   ({', '.join(roles)})")

    def _load(self):
        organisations = {}
        for name, kind, slug in demo.ORGANISATIONS:
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        for email, first_name, last_name, slug, job_title, roles in demo.LOGINS:
            demo.ensure_person(
                email, first_name, last_name, organisations[slug], job_title, roles=roles
            )
        # Each app adds its own demo data in `<app>/demo` (portal imports no app).
        for config in apps.get_app_configs():
            if config.name in DEMO_APPS and find_spec(f"{config.name}.demo"):
                import_module(f"{config.name}.demo").load(command=self)
