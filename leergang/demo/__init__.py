"""Demo data of the leergang app, loaded by `python manage.py demo`.

The portal's demo command creates the organisations and one person per role, then calls
``load``, which adds:

- the catalogue (``content`` holds the texts, ``catalogue`` writes them): five modules with
  their material and four leergangen, updated in place on every run;
- 31 invented participants in five organisations;
- seven cohorts, dated relative to the day they are created: a finished one with
  certificates and a cancellation, a running one (the demo participant's) with attendance
  and leerlogs, a full one with a waiting list (its freed seat offered to the demo
  participant, who has two days to confirm), a tailored one with requests for HR, an
  open one with free seats, a second running one where two people of the first make up a
  bijeenkomst they missed (one approved, one waiting), and an earlier one that ended nearly
  a year ago, whose retention period is over within a month (three of its participants,
  made for it, took part in nothing else). Their history is told through the services
  (``scenarios``);
- an interest list (``interest``): people of four organisations waiting for a cohort of
  Professionaliseren van de beleidsfunctie or Omgevingsprofessional, in several regions.

Running it again changes nothing; ``demo --reset`` builds it anew relative to today. The
intervisie and coaching demos build on ``RUNNING_COHORT``, ``FINISHED_COHORT`` (with its
``FINISHERS``) and the ``INSIGHTS`` profiles, exported here.
"""

from __future__ import annotations

from leergang.demo.catalogue import catalogue_load
from leergang.demo.content import INSIGHTS as INSIGHTS
from leergang.demo.content import PARTICIPANTS
from leergang.demo.interest import interest_load
from leergang.demo.scenarios import FINISHED_COHORT as FINISHED_COHORT
from leergang.demo.scenarios import FINISHERS as FINISHERS
from leergang.demo.scenarios import RUNNING_COHORT as RUNNING_COHORT
from leergang.demo.scenarios import scenarios_play
from leergang.models import Bijeenkomst, Cohort, Enrolment, Leergang, Module
from portal.demo import DEMO_PASSWORD, PARTICIPANT_EMAIL, ensure_person
from portal.demo import at as _at  # noqa: F401 (the coaching demo's import)
from portal.demo import workday as _workday  # noqa: F401 (the coaching demo's import)
from portal.models import Organisation, User


def load(*, command) -> None:
    """Create (once) the leergang demo data; called by `python manage.py demo`."""
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for (slug, domain), rows in PARTICIPANTS.items():
        for first, last, job, department in rows:
            email = f"{first}.{last.replace(' ', '')}@{domain}".lower()
            ensure_person(email, first, last, organisations[slug], job, department=department)
    # The demo login's participant (made by the portal's demo) works at Wonen.
    User.objects.filter(email=PARTICIPANT_EMAIL, department="").update(department="Wonen")
    people = {user.email: user for user in User.objects.all()}

    scenarios_play(catalogue_load(), people)
    interest_load()

    participants = sum(len(rows) for rows in PARTICIPANTS.values())
    command.stdout.write(
        f"Leergangen: {Module.objects.count()} modules, {Leergang.objects.count()} leergangen, "
        f"{Cohort.objects.count()} uitvoeringen, {Bijeenkomst.objects.count()} bijeenkomsten, "
        f"{Enrolment.objects.count()} inschrijvingen ({participants} extra deelnemers "
        f"met wachtwoord {DEMO_PASSWORD})."
    )
