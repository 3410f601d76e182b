"""The people and places of `make loadtest`, on top of `manage.py bench_data`.

bench_data gives five people a password; a load test signs in fifty at once, each as
themselves (a TOTP code is accepted once, so two simulated trainers cannot share one
account). ``prepare`` therefore:

* gives participants who follow a running cohort the bench's password and a verified
  address, and picks for each a module whose reflection is still open;
* adds trainers to running cohorts, each with a held bijeenkomst to record attendance of,
  and HR people to the client organisations, each staff member with a TOTP secret of
  their own (the load test computes the code of the moment from it, as an app would);
* opens two cohorts nobody is enrolled in: the burst's, with fewer seats than the burst
  has people (the seat limit and the waiting list under a crowd), and the baseline's, with
  room for everyone the sequential measurement enrols;

and returns the plan the locustfile reads: every person's addresses per journey step.
The secrets and the password are of bench accounts in a bench database only.
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from bench import data
from bench.journeys import ARGUMENTS, STEPS
from leergang.models import SEAT_STATES, Bijeenkomst, Cohort, Enrolment, Reflection
from portal.models import Organisation, Role, User, UserRole

# The load: 50 people, 30 of the participants enrolling in one cohort at the same moment.
LOAD = {"participant": 34, "trainer": 8, "hr": 8}
BURST = 30
BURST_SEATS = 20
# The sequential measurement signs in and enrols people of its own (a code is used once,
# an enrolment made once).
BASELINE = {"participant": 10, "trainer": 5, "hr": 5}

PARTICIPANT_STEPS = (
    "participant: home",
    "participant: mijn leergang",
    "participant: catalogue",
    "participant: enrolment",
    "participant: agenda",
    "participant: reflection form",
    "participant: reflection save",
)
TRAINER_STEPS = (
    "trainer: home",
    "trainer: cohorts",
    "trainer: cohort",
    "trainer: attendance form",
    "trainer: attendance save",
)
HR_STEPS = ("hr: home", "hr: dashboard", "hr: people", "hr: approvals")
SIGN_IN_STEPS = ("sign-in: form", "sign-in: password", "sign-in: code form", "sign-in: code")
ENROL_STEPS = ("enrol: form", "enrol: send")


def totp_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def urls(steps, **objects) -> dict[str, str]:
    """Each step's address for one person, from the objects the step's URL takes."""
    return {
        step: reverse(STEPS[step], args=[objects[name] for name in ARGUMENTS.get(STEPS[step], ())])
        for step in steps
    }


@transaction.atomic
def prepare(*, load=LOAD, baseline=BASELINE, burst=BURST, burst_seats=BURST_SEATS) -> dict:
    """The load test's people, cohorts and addresses, written into the bench database:
    ``load`` and ``baseline`` people per role, ``burst`` of the load's participants
    enrolling into a cohort of ``burst_seats``."""
    today = timezone.localdate()
    now = timezone.now()
    password = make_password(data.PASSWORD)
    running = Cohort.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("pk")
    burst_cohort = _open_cohort("Load burst", seats=burst_seats, today=today)
    baseline_cohort = _open_cohort("Load baseline", seats=baseline["participant"] * 2, today=today)

    wanted = load["participant"] + baseline["participant"]
    participants = []
    for enrolment in (
        Enrolment.objects.filter(
            cohort__in=running,
            state=Enrolment.State.ENROLLED,
            participant__email__startswith="p",
            participant__organisation__isnull=False,
        )
        .select_related("participant", "cohort__leergang")
        .order_by("participant__email")
    ):
        if any(p["email"] == enrolment.participant.email for p in participants):
            continue
        module = _open_module(enrolment)
        if module is None:
            continue
        participants.append(
            {
                "email": enrolment.participant.email,
                "user": enrolment.participant,
                "urls": urls(
                    PARTICIPANT_STEPS + SIGN_IN_STEPS[:2],
                    enrolment=enrolment.pk,
                    module_slug=module,
                ),
            }
        )
        if len(participants) == wanted:
            break
    if len(participants) < wanted:
        raise SystemExit(f"bench_data holds {len(participants)} people to load, not {wanted}.")
    for person in participants:
        person["user"].password = password
    User.objects.bulk_update([p["user"] for p in participants], ["password"])
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=p["user"], email=p["email"], primary=True, verified=True)
            for p in participants
        ],
        ignore_conflicts=True,
    )
    load_participants = participants[: load["participant"]]
    baseline_participants = participants[load["participant"] :]
    for person in load_participants[:burst]:
        person["urls"].update(urls(ENROL_STEPS, cohort=burst_cohort.pk))
    for person in baseline_participants:
        person["urls"].update(urls(ENROL_STEPS, cohort=baseline_cohort.pk))

    held = list(
        Bijeenkomst.objects.filter(cohort__in=running, starts_at__lt=now - timedelta(hours=8))
        .annotate(
            seated=Count("cohort__enrolments", filter=Q(cohort__enrolments__state__in=SEAT_STATES))
        )
        .filter(seated__gt=0)
        .order_by("cohort_id", "starts_at")
    )
    if not held:
        raise SystemExit("bench_data holds no held bijeenkomst of a running cohort.")
    provider = Organisation.objects.get(kind=Organisation.Kind.OPLEIDER, slug__startswith="bench-")
    trainers = []
    for n in range(load["trainer"] + baseline["trainer"]):
        bijeenkomst = held[n % len(held)]
        user = _staff(f"load-trainer-{n:02d}", provider, Role.TRAINER, password)
        bijeenkomst.cohort.trainers.add(user)
        trainers.append(
            _person(
                user,
                urls(
                    TRAINER_STEPS + SIGN_IN_STEPS,
                    cohort=bijeenkomst.cohort_id,
                    bijeenkomst=bijeenkomst.pk,
                ),
            )
        )
    # HR of the big municipality first: its dashboard is the largest.
    clients = sorted(
        Organisation.objects.filter(slug__startswith="bench-").exclude(pk=provider.pk),
        key=lambda o: (o.name != data.BIG_MUNICIPALITY, o.slug),
    )
    hr = [
        _person(
            _staff(f"load-hr-{n:02d}", clients[n % len(clients)], Role.HR, password),
            urls(HR_STEPS + SIGN_IN_STEPS),
        )
        for n in range(load["hr"] + baseline["hr"])
    ]
    for person in participants:
        del person["user"]
    return {
        "password": data.PASSWORD,
        "burst_cohort": burst_cohort.pk,
        "load": {
            "participant": load_participants,
            "trainer": trainers[: load["trainer"]],
            "hr": hr[: load["hr"]],
        },
        "baseline": {
            "participant": baseline_participants,
            "trainer": trainers[load["trainer"] :],
            "hr": hr[load["hr"] :],
        },
    }


def _open_cohort(name: str, *, seats: int, today) -> Cohort:
    """A cohort of the first leergang, starting in two months, open to everyone."""
    template = Cohort.objects.filter(organisation=None).order_by("pk").first()
    starts_on = today + timedelta(days=60)
    cohort = Cohort.objects.create(
        leergang=template.leergang,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=90),
        seats=seats,
        requires_approval=False,
        cancellation_deadline=starts_on - timedelta(days=14),
        location="Utrecht, Jaarbeurs",
    )
    cohort.trainers.add(User.objects.get(email=data.TRAINER_EMAIL))
    return cohort


def _open_module(enrolment: Enrolment) -> str | None:
    """The slug of a module of the enrolment's leergang without a submitted reflection."""
    submitted = set(
        Reflection.objects.filter(enrolment=enrolment, submitted_at__isnull=False).values_list(
            "module_id", flat=True
        )
    )
    for link in enrolment.cohort.leergang.module_links.select_related("module").order_by(
        "-position"
    ):
        if link.module_id not in submitted:
            return link.module.slug
    return None


def _staff(name: str, organisation, role, password: str) -> User:
    user = User.objects.create(
        email=f"{name}@{data.EMAIL_DOMAIN}",
        first_name="Load",
        last_name=name.replace("-", " ").title(),
        organisation=organisation,
        password=password,
    )
    UserRole.objects.create(user=user, role=role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _person(user: User, addresses: dict[str, str]) -> dict:
    secret = totp_secret()
    TOTP.activate(user, secret)
    return {"email": user.email, "totp_secret": secret, "urls": addresses}


def seats_exceeded() -> list[tuple[str, int, int]]:
    """Cohorts with more people holding a seat than it has seats: (name, held, seats)."""
    return list(
        Cohort.objects.annotate(
            held=Count("enrolments", filter=Q(enrolments__state__in=SEAT_STATES))
        )
        .filter(held__gt=F("seats"))
        .values_list("name", "held", "seats")
    )


def burst_outcome(cohort_id: int) -> dict[str, int]:
    """How the burst's enrolments ended: state -> count."""
    return dict(
        Enrolment.objects.filter(cohort_id=cohort_id)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
