"""What every app's demo shares: the demo logins, dates relative to today, and a clock.

The demo tells months of history (enrolments, attendance, sessions) through the same
services the pages call. ``backdated(moment)`` sets the clock those services read
(``timezone.now()``) to a moment in the past, so a request made "six weeks ago" is
checked by the rules as they were then and stamped with that date; ``muted()`` keeps
all that history out of anyone's mailbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from portal.mfa import has_second_factor, requires_two_factor
from portal.models import Organisation, Role, User
from portal.services import user_set_roles

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "leergang-demo"
# Demo staff have TOTP with this secret (base32), so the demo works without an
# authenticator app: `manage.py demo_code <e-mail>` prints the code of the moment. Add it
# to an app to try the real thing. Never a secret of anyone but a demo person.
DEMO_TOTP_SECRET = "KRUGKIDDN5SGKIDPNYQGIZLNN4QGC3TE"
# Every demo address ends in the reserved top-level domain .example (RFC 2606): a
# database with any other address holds real people, and ``demo --reset`` refuses it.
DEMO_EMAIL_SUFFIX = ".example"
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

# The demo logins, one per role: (e-mail, first name, last name, organisation slug,
# job title, roles). Apps' demos look these people up by the constants below.
PARTICIPANT_EMAIL = "deelnemer@demo.example"
TRAINER_EMAIL = "trainer@demo.example"
COACH_EMAIL = "coach@demo.example"
SECOND_COACH_EMAIL = "coach2@demo.example"
HR_UTRECHT_EMAIL = "hr@demo.example"
HR_NIJMEGEN_EMAIL = "hr.nijmegen@demo.example"
BEHEERDER_EMAIL = "beheerder@demo.example"

LOGINS = [
    (
        PARTICIPANT_EMAIL,
        "Sanne",
        "de Vries",
        "gemeente-utrecht",
        "Beleidsadviseur wonen",
        [Role.DEELNEMER],
    ),
    (TRAINER_EMAIL, "Marloes", "Bakker", "academie-publiek-vakmanschap", "Trainer", [Role.TRAINER]),
    (
        COACH_EMAIL,
        "Jeroen",
        "Visser",
        "academie-publiek-vakmanschap",
        "Loopbaancoach",
        [Role.COACH],
    ),
    (
        SECOND_COACH_EMAIL,
        "Annemiek",
        "van der Linden",
        "academie-publiek-vakmanschap",
        "Coach persoonlijk leiderschap",
        [Role.COACH],
    ),
    (
        HR_UTRECHT_EMAIL,
        "Fatima",
        "El Amrani",
        "gemeente-utrecht",
        "HR-adviseur opleidingen",
        [Role.HR],
    ),
    (HR_NIJMEGEN_EMAIL, "Pieter", "Jansen", "gemeente-nijmegen", "HR-adviseur", [Role.HR]),
    (
        BEHEERDER_EMAIL,
        "Ingrid",
        "Mulder",
        "academie-publiek-vakmanschap",
        "Programmabureau",
        [Role.BEHEERDER],
    ),
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock moment in the Netherlands on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def workday(day: date) -> date:
    """Move a Saturday or Sunday to the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@contextmanager
def backdated(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment``: the services' rules and time stamps see
    that time. The clock stands still inside, so one step has one time."""
    with time_machine.travel(moment, tick=False):
        yield


@cache
def _demo_password_hash() -> str:
    # Hashed once for all demo people: a deliberately slow hash per person made most of the
    # time of `manage.py demo`.
    return make_password(DEMO_PASSWORD)


def ensure_person(
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    job_title: str,
    roles=(Role.DEELNEMER,),
    department: str = "",
) -> User:
    """A demo person who can sign in with ``DEMO_PASSWORD`` (created once, roles added)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            job_title=job_title,
            department=department,
        )
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    user_set_roles(user=user, roles=set(user.roles) | set(roles))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    if requires_two_factor(user) and not has_second_factor(user):
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
    return user


def people_outside_the_demo() -> int:
    """How many accounts are not demo people (their address does not end in .example)."""
    return User.objects.exclude(email__iendswith=DEMO_EMAIL_SUFFIX).count()
