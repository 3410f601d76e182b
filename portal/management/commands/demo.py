"""Demo data for trying the portal: `python manage.py demo` (idempotent)."""

from importlib import import_module
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.models import Organisation, Role, User
from portal.services import user_set_roles

DEMO_PASSWORD = "leergang-demo"
DEMO_APPS = ("leergang", "intervisie", "coaching")
PROVIDER_NAME = "Academie voor Publiek Vakmanschap"

ORGANISATIONS = [
    ("Gemeente Utrecht", Organisation.Kind.GEMEENTE, "gemeente-utrecht"),
    ("Gemeente Nijmegen", Organisation.Kind.GEMEENTE, "gemeente-nijmegen"),
    ("Provincie Utrecht", Organisation.Kind.PROVINCIE, "provincie-utrecht"),
    ("Waterschap Rivierenland", Organisation.Kind.WATERSCHAP, "waterschap-rivierenland"),
    (
        "Omgevingsdienst Regio Utrecht",
        Organisation.Kind.OMGEVINGSDIENST,
        "omgevingsdienst-regio-utrecht",
    ),
    (PROVIDER_NAME, Organisation.Kind.OPLEIDER, "academie-publiek-vakmanschap"),
]

# (e-mail, first name, last name, organisation slug, job title, roles)
PEOPLE = [
    (
        "deelnemer@demo.example",
        "Sanne",
        "de Vries",
        "gemeente-utrecht",
        "Beleidsadviseur wonen",
        [Role.DEELNEMER],
    ),
    (
        "trainer@demo.example",
        "Marloes",
        "Bakker",
        "academie-publiek-vakmanschap",
        "Trainer",
        [Role.TRAINER],
    ),
    (
        "coach@demo.example",
        "Jeroen",
        "Visser",
        "academie-publiek-vakmanschap",
        "Loopbaancoach",
        [Role.COACH],
    ),
    (
        "coach2@demo.example",
        "Annemiek",
        "van der Linden",
        "academie-publiek-vakmanschap",
        "Coach persoonlijk leiderschap",
        [Role.COACH],
    ),
    (
        "hr@demo.example",
        "Fatima",
        "El Amrani",
        "gemeente-utrecht",
        "HR-adviseur opleidingen",
        [Role.HR],
    ),
    ("hr.nijmegen@demo.example", "Pieter", "Jansen", "gemeente-nijmegen", "HR-adviseur", [Role.HR]),
    (
        "beheerder@demo.example",
        "Ingrid",
        "Mulder",
        "academie-publiek-vakmanschap",
        "Programmabureau",
        [Role.BEHEERDER],
    ),
]


class Command(BaseCommand):
    help = "Create demo organisations and one person per role (running it again changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        organisations = {}
        for name, kind, slug in ORGANISATIONS:
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        for email, first_name, last_name, slug, job_title, roles in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                    organisation=organisations[slug],
                    job_title=job_title,
                )
            user_set_roles(user=user, roles=set(user.roles) | set(roles))
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
        # Each app adds its own demo data in `<app>/demo.py` (portal imports no app).
        for config in apps.get_app_configs():
            if config.name in DEMO_APPS and find_spec(f"{config.name}.demo"):
                import_module(f"{config.name}.demo").load(command=self)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        for email, *_rest, roles in PEOPLE:
            self.stdout.write(f"  {email:<28} {DEMO_PASSWORD}   ({', '.join(roles)})")
