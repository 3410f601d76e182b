"""Demo data of the intervisie app, loaded by `python manage.py demo` after the leergang demo.

What it adds, on the leergang demo's cohorts and enrolments:

- Insights profiles (colour energies) for most participants of the running and the finished
  cohort, so the group suggestion has colours to mix;
- in the running Omgevingsprofessional cohort two groups led by the demo trainer, mixing
  organisations. Groep 1 (with the demo participant) has two held sessions, one planned in
  about two weeks with the trainer's own method and nobody bringing a case yet, and an open
  poll the demo participant has not answered; Groep 2 has one held session and an open poll;
- in the finished Beleidsfunctie cohort one group with three held sessions.

Everything goes through the services (``scenarios.py``), the prose is in ``content.py``.
Dates are relative to today (the finished cohort's to its own start).
"""

from intervisie.demo import scenarios
from intervisie.methods import METHODS
from intervisie.models import Group, Membership, Poll, Session
from leergang.models import InsightsProfile
from portal.demo import TRAINER_EMAIL
from portal.models import User


def load(*, command) -> None:
    """Create (once) the intervisie demo data; called by `python manage.py demo`."""
    for name, summary, steps in METHODS:
        scenarios.method(name, summary, steps)
    trainer = User.objects.get(email=TRAINER_EMAIL)
    # In the order it happened: the finished cohort's groups came first.
    finished = scenarios.cohort(
        "professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht"
    )
    if finished is not None:
        scenarios.finished_cohort(finished, trainer)
    running = scenarios.cohort("omgevingsprofessional", "Open uitvoering Midden-Nederland")
    if running is not None:
        scenarios.running_cohort(running, trainer)
    command.stdout.write(
        f"Intervisie: {Group.objects.count()} groepen, {Membership.objects.count()} leden, "
        f"{Session.objects.count()} bijeenkomsten, {Poll.objects.count()} datumprikkers, "
        f"{InsightsProfile.objects.count()} Insights-profielen."
    )
