"""Data at scale for `make bench`, written with bulk inserts.

At scale 10: 50 client organisations, 10,000 participants, 400 cohorts with one
bijeenkomst per module (past, running and future), enrolments in every state, attendance
of held bijeenkomsten, reflections, intervisie groups with sessions and attendance,
coaching trajectories with sessions, evaluation answers, and one municipality with 2,000
people enrolled. Scale 1 is a tenth of that. The people the bench signs in as (one per
role) see the same amount of their own data at every scale: only the rest grows.

Bulk inserts skip ``save()`` and signals, so no service runs: nothing is mailed and no
outbox row is queued (any that exist are dropped at the end). The invariants the services
keep are kept here by construction: seats are never exceeded, a waiting list exists only
for a full cohort, a request only where approval is needed, a completed enrolment has its
``completed_at``, a certificate code, full attendance and every reflection.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from coaching.models import CoachingSession, Goal, Trajectory
from evaluations.models import Answer, Kind
from intervisie.methods import METHODS
from intervisie.models import Group, Membership, Method, Session, SessionAttendance
from leergang.demo.catalogue import catalogue_load
from leergang.models import (
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    InsightsProfile,
    Reflection,
)
from portal.demo import at, workday
from portal.models import Notification, Organisation, Role, User, UserRole

EMAIL_DOMAIN = "bench.example"
PASSWORD = "leergang-bench"
# The bench's staff have TOTP with this secret (base32): staff without a second factor
# reach only its setup page, which is not what a bench means to measure. Never anyone's
# real secret; `make loadtest` gives the people it signs in a secret each (bench.load).
TOTP_SECRET = "MJSW4Y3IEBZWKY3SMV2CA3TPOQQHEZLB"
BATCH = 2000

# The people the bench signs in as.
PARTICIPANT_EMAIL = f"deelnemer@{EMAIL_DOMAIN}"
TRAINER_EMAIL = f"trainer@{EMAIL_DOMAIN}"
COACH_EMAIL = f"coach@{EMAIL_DOMAIN}"
HR_EMAIL = f"hr@{EMAIL_DOMAIN}"
BEHEERDER_EMAIL = f"beheerder@{EMAIL_DOMAIN}"
LOGINS = {
    Role.DEELNEMER: PARTICIPANT_EMAIL,
    Role.TRAINER: TRAINER_EMAIL,
    Role.COACH: COACH_EMAIL,
    Role.HR: HR_EMAIL,
    Role.BEHEERDER: BEHEERDER_EMAIL,
}
BIG_MUNICIPALITY = "Gemeente Grootstad"

FIRST_NAMES = [
    "Anna",
    "Bas",
    "Chantal",
    "Daan",
    "Eva",
    "Fleur",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jasper",
    "Kim",
    "Lars",
    "Mila",
    "Noor",
    "Omar",
    "Pien",
    "Quinten",
    "Roos",
    "Sem",
    "Tess",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
    "Zoë",
]  # noqa: E501
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Yilmaz",
    "El Idrissi",
]  # noqa: E501
DEPARTMENTS = ["Ruimte", "Sociaal Domein", "Bedrijfsvoering", "Dienstverlening", "Veiligheid", ""]
KINDS = [Organisation.Kind.GEMEENTE] * 6 + [
    Organisation.Kind.PROVINCIE,
    Organisation.Kind.WATERSCHAP,
    Organisation.Kind.OMGEVINGSDIENST,
]


@dataclass
class Sizes:
    organisations: int
    participants: int
    big_municipality: int
    cohorts: int
    trainers: int
    coaches: int

    @classmethod
    def at_scale(cls, scale: float) -> Sizes:
        return cls(
            organisations=max(2, round(5 * scale)),
            participants=max(150, round(1000 * scale)),
            big_municipality=max(60, round(200 * scale)),
            cohorts=max(8, round(40 * scale)),
            trainers=max(2, round(4 * scale)),
            coaches=max(2, round(5 * scale)),
        )


class DatabaseHoldsOthers(Exception):
    """The database holds accounts the bench did not create: never write into it."""


def others_count() -> int:
    return User.objects.exclude(email__iendswith=f"@{EMAIL_DOMAIN}").count()


def generate(scale: float, *, seed: int = 12, force: bool = False) -> dict[str, int]:
    """Write the data in one transaction and return the counts. The same seed draws the
    same people into the same cohorts and states, so two runs measure the same pages."""
    if not force and (others := others_count()):
        raise DatabaseHoldsOthers(
            f"{others} account(s) in this database were not made by bench_data "
            f"(their address does not end in @{EMAIL_DOMAIN})."
        )
    with transaction.atomic():
        counts = _Generator(Sizes.at_scale(scale), random.Random(seed)).run()
    # Fresh statistics, as autovacuum would have them on a live database some minutes later:
    # straight after bulk inserts the planner guesses 3 rows where there are 2,000 and
    # picks nested loops that take seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


class _Generator:
    def __init__(self, sizes: Sizes, rng: random.Random):
        self.sizes = sizes
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.password = make_password(PASSWORD)
        self.unusable = make_password(None)

    def run(self) -> dict[str, int]:
        self.leergangen = list(catalogue_load().values())
        for name, summary, steps in METHODS:
            Method.objects.get_or_create(name=name, defaults={"summary": summary, "steps": steps})
        self.methods = list(Method.objects.all())
        self._organisations()
        self._people()
        self._cohorts()
        self._enrolments()
        self._attendance_and_reflections()
        self._intervisie()
        self._coaching()
        self._answers()
        # Nothing above queues mail; drop anything a migration or an earlier run left.
        Notification.objects.all().delete()
        return self.counts()

    def counts(self) -> dict[str, int]:
        return {
            "organisations": Organisation.objects.count(),
            "participants": User.objects.with_role(Role.DEELNEMER).count(),
            "cohorts": Cohort.objects.count(),
            "bijeenkomsten": Bijeenkomst.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "attendance": Attendance.objects.count(),
            "reflections": Reflection.objects.count(),
            "intervisie groups": Group.objects.count(),
            "intervisie sessions": Session.objects.count(),
            "coaching trajectories": Trajectory.objects.count(),
            "coaching sessions": CoachingSession.objects.count(),
            "evaluation answers": Answer.objects.count(),
        }

    # -- organisations and people -------------------------------------------------------

    def _organisations(self):
        self.provider, _ = Organisation.objects.get_or_create(
            slug="bench-opleider",
            defaults={"name": "Bench Academie", "kind": Organisation.Kind.OPLEIDER},
        )
        wanted = [
            Organisation(name=BIG_MUNICIPALITY, slug="bench-grootstad", kind="gemeente"),
            *(
                Organisation(
                    name=f"Bench organisatie {n:03d}",
                    slug=f"bench-organisatie-{n:03d}",
                    kind=KINDS[n % len(KINDS)],
                )
                for n in range(1, self.sizes.organisations)
            ),
        ]
        Organisation.objects.bulk_create(wanted, ignore_conflicts=True)
        self.clients = list(
            Organisation.objects.filter(slug__startswith="bench-").exclude(pk=self.provider.pk)
        )
        self.big = next(o for o in self.clients if o.slug == "bench-grootstad")

    def _user(self, email, organisation, *, login=False, number=0):
        return User(
            email=email,
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)],
            organisation=organisation,
            department=DEPARTMENTS[number % len(DEPARTMENTS)],
            job_title="Beleidsadviseur",
            password=self.password if login else self.unusable,
            date_joined=self.now - timedelta(days=400),
        )

    def _people(self):
        sizes = self.sizes
        users, roles = [], []

        def add(user, role):
            users.append(user)
            roles.append(role)

        add(self._user(PARTICIPANT_EMAIL, self.big, login=True), Role.DEELNEMER)
        add(self._user(TRAINER_EMAIL, self.provider, login=True), Role.TRAINER)
        add(self._user(COACH_EMAIL, self.provider, login=True), Role.COACH)
        add(self._user(HR_EMAIL, self.big, login=True), Role.HR)
        add(self._user(BEHEERDER_EMAIL, self.provider, login=True), Role.BEHEERDER)
        for n in range(1, sizes.trainers):
            add(self._user(f"trainer{n}@{EMAIL_DOMAIN}", self.provider, number=n), Role.TRAINER)
        for n in range(1, sizes.coaches):
            add(self._user(f"coach{n}@{EMAIL_DOMAIN}", self.provider, number=n), Role.COACH)
        for organisation in self.clients:
            if organisation != self.big:
                add(self._user(f"hr.{organisation.slug}@{EMAIL_DOMAIN}", organisation), Role.HR)
        # The big municipality's people first, the rest spread over the other organisations.
        others = [o for o in self.clients if o != self.big]
        for n in range(1, sizes.participants):
            organisation = self.big if n < sizes.big_municipality else others[n % len(others)]
            add(self._user(f"p{n:05d}@{EMAIL_DOMAIN}", organisation, number=n), Role.DEELNEMER)
        User.objects.bulk_create(users, batch_size=BATCH)
        by_email = dict(
            User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk")
        )
        UserRole.objects.bulk_create(
            [
                UserRole(user_id=by_email[u.email], role=r)
                for u, r in zip(users, roles, strict=True)
            ],
            batch_size=BATCH,
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=by_email[email], email=email, primary=True, verified=True)
                for email in LOGINS.values()
            ]
        )
        from allauth.mfa.totp.internal.auth import TOTP

        for user in User.objects.filter(
            email__in=[email for role, email in LOGINS.items() if role != Role.DEELNEMER]
        ):
            TOTP.activate(user, TOTP_SECRET)
        people = {u.email: by_email[u.email] for u in users}
        self.participant = people[PARTICIPANT_EMAIL]
        self.trainers = [people[TRAINER_EMAIL]] + [
            people[f"trainer{n}@{EMAIL_DOMAIN}"] for n in range(1, sizes.trainers)
        ]
        self.coaches = [people[COACH_EMAIL]] + [
            people[f"coach{n}@{EMAIL_DOMAIN}"] for n in range(1, sizes.coaches)
        ]
        self.organisation_of = {
            pk: organisation.pk
            for pk, organisation in (
                (by_email[u.email], u.organisation) for u, r in zip(users, roles, strict=True)
            )
        }
        big_people = [
            by_email[u.email]
            for u, r in zip(users, roles, strict=True)
            if r == Role.DEELNEMER and u.organisation == self.big and u.email != PARTICIPANT_EMAIL
        ]
        all_people = [
            by_email[u.email]
            for u, r in zip(users, roles, strict=True)
            if r == Role.DEELNEMER and u.email != PARTICIPANT_EMAIL
        ]
        self.rng.shuffle(big_people)
        self.rng.shuffle(all_people)
        self.big_pool = _Pool(big_people)
        self.open_pool = _Pool(all_people)
        profiles = []
        for pk in all_people[: len(all_people) // 2]:
            red, yellow, green = (self.rng.randint(5, 30) for _ in range(3))
            profiles.append(
                InsightsProfile(
                    participant_id=pk,
                    red=red,
                    yellow=yellow,
                    green=green,
                    blue=100 - red - yellow - green,
                )
            )
        InsightsProfile.objects.bulk_create(profiles, batch_size=BATCH)

    # -- cohorts and bijeenkomsten ------------------------------------------------------

    def _cohorts(self):
        sizes = self.sizes
        cohorts, self.plans = [], []
        tailored_every = 7  # one cohort in seven is op maat for the big municipality
        for n in range(sizes.cohorts):
            leergang = self.leergangen[n % len(self.leergangen)]
            # Spread over about 14 months back and 5 months ahead.
            starts_on = workday(self.today + timedelta(days=-420 + (n * 570) // sizes.cohorts))
            modules = [link.module for link in leergang.module_links.select_related("module")]
            days = [workday(starts_on + timedelta(days=21 * k)) for k in range(len(modules))]
            tailored = n % tailored_every == 6
            cohorts.append(
                Cohort(
                    leergang=leergang,
                    name=f"Bench {n + 1:04d}",
                    starts_on=starts_on,
                    ends_on=days[-1],
                    seats=24 if tailored else 32,
                    organisation=self.big if tailored else None,
                    requires_approval=tailored,
                    cancellation_deadline=starts_on - timedelta(days=14),
                    location="Utrecht, Jaarbeurs",
                )
            )
            self.plans.append((modules, days))
        cohorts = Cohort.objects.bulk_create(cohorts, batch_size=BATCH)
        through = Cohort.trainers.through
        links = []
        for n, cohort in enumerate(cohorts):
            links.append(through(cohort_id=cohort.pk, user_id=self.trainers[n % sizes.trainers]))
            if n % 3 == 0 and sizes.trainers > 1:
                second = self.trainers[(n + 1) % sizes.trainers]
                links.append(through(cohort_id=cohort.pk, user_id=second))
        through.objects.bulk_create(links, batch_size=BATCH)
        bijeenkomsten = []
        for cohort, (modules, days) in zip(cohorts, self.plans, strict=True):
            for module, day in zip(modules, days, strict=True):
                bijeenkomsten.append(
                    Bijeenkomst(
                        cohort=cohort,
                        module=module,
                        title=module.title,
                        starts_at=at(day, 9, 30),
                        ends_at=at(day, 16, 30),
                        location=cohort.location,
                    )
                )
        Bijeenkomst.objects.bulk_create(bijeenkomsten, batch_size=BATCH)
        self.cohorts = cohorts
        self.bijeenkomsten: dict[int, list[Bijeenkomst]] = {}
        for b in bijeenkomsten:
            self.bijeenkomsten.setdefault(b.cohort_id, []).append(b)

    def _phase(self, cohort: Cohort) -> str:
        if cohort.ends_on < self.today:
            return "past"
        if cohort.starts_on <= self.today:
            return "running"
        return "future"

    # -- enrolments ---------------------------------------------------------------------

    def _enrolments(self):
        rng = self.rng
        enrolments = []
        # The bench's participant: a completed leergang and a running one.
        mine = {}
        for phase in ("past", "running"):
            cohort = next(c for c in self.cohorts if self._phase(c) == phase)
            mine[cohort.pk] = Enrolment.State.COMPLETED if phase == "past" else "enrolled"
        offering = []
        # One future cohort at least is full and offers a freed seat.
        offers_first = next(c for c in self.cohorts if self._phase(c) == "future")
        for cohort in self.cohorts:
            phase = self._phase(cohort)
            pool = self.big_pool if cohort.organisation_id else self.open_pool
            seat_holders = (
                cohort.seats - rng.randint(0, 2)
                if phase != "future"
                else rng.randint(cohort.seats // 2, cohort.seats)
            )
            if cohort is offers_first:
                seat_holders = cohort.seats
            people = []
            if cohort.pk in mine:
                people.append((self.participant, mine[cohort.pk]))
            taken = {self.participant}
            for pk in pool.take(seat_holders - len(people), taken):
                if phase == "past":
                    state = Enrolment.State.COMPLETED if rng.random() < 0.85 else "enrolled"
                else:
                    state = Enrolment.State.ENROLLED
                people.append((pk, state))
            if seat_holders == cohort.seats:
                people += [(pk, "waitlisted") for pk in pool.take(rng.randint(1, 4), taken)]
                if phase == "future" and (cohort is offers_first or rng.random() < 0.5):
                    # A seat freed on a cohort that offers it: the first on the list has
                    # it on offer until they confirm (``leergang.offers``).
                    offered_to = next(i for i, (_pk, st) in enumerate(people) if st == "waitlisted")
                    people[offered_to] = (people[offered_to][0], "offered")
                    freed = next(i for i, (_pk, st) in enumerate(people) if st == "enrolled")
                    people[freed] = (people[freed][0], "cancelled")
                    cohort.waitlist_mode = Cohort.WaitlistMode.OFFER
                    offering.append(cohort)
            if cohort.requires_approval and phase == "future":
                people += [(pk, "requested") for pk in pool.take(rng.randint(1, 3), taken)]
            if cohort.requires_approval:
                people += [(pk, "rejected") for pk in pool.take(1, taken)]
            people += [(pk, "cancelled") for pk in pool.take(1, taken)]
            for pk, state in people:
                created = at(cohort.starts_on - timedelta(days=rng.randint(20, 90)), 10)
                enrolment = Enrolment(
                    cohort=cohort,
                    participant_id=pk,
                    state=state,
                    created_at=created,
                    waitlisted_at=created if state in ("waitlisted", "offered") else None,
                )
                if state == "offered":
                    enrolment.offer_expires_at = self.now + timedelta(hours=rng.randint(2, 47))
                if state == Enrolment.State.COMPLETED:
                    enrolment.completed_at = at(cohort.ends_on + timedelta(days=1), 9)
                    enrolment.certificate_code = secrets.token_hex(8)
                if state in ("cancelled", "rejected"):
                    enrolment.decision_reason = "Past niet in de planning."
                enrolments.append(enrolment)
        self.enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        Cohort.objects.bulk_update(offering, ["waitlist_mode"], batch_size=BATCH)

    # -- attendance and reflections -----------------------------------------------------

    def _attendance_and_reflections(self):
        rng = self.rng
        attendance, reflections = [], []
        self.present: list[tuple[Enrolment, Bijeenkomst]] = []
        by_cohort = {c.pk: c for c in self.cohorts}
        for enrolment in self.enrolments:
            if enrolment.state not in ("enrolled", "completed"):
                continue
            cohort = by_cohort[enrolment.cohort_id]
            completed = enrolment.state == "completed"
            for b in self.bijeenkomsten[cohort.pk]:
                if b.starts_at > self.now:
                    continue
                roll = rng.random()
                status = (
                    "present"
                    if completed or roll < 0.85
                    else ("absent" if roll < 0.95 else "excused")
                )
                attendance.append(
                    Attendance(
                        enrolment=enrolment,
                        bijeenkomst=b,
                        status=status,
                        reason="Ziek" if status == "excused" else "",
                        recorded_by_id=self.trainers[0],
                        recorded_at=b.ends_at,
                    )
                )
                if status == "present":
                    self.present.append((enrolment, b))
                roll = rng.random()
                if completed or roll < 0.8:
                    submitted = completed or roll < 0.7
                    reflections.append(
                        Reflection(
                            enrolment=enrolment,
                            module_id=b.module_id,
                            text="Wat ik meeneem uit deze bijeenkomst: "
                            + "een eerlijk gesprek. " * 8,
                            submitted_at=b.ends_at + timedelta(days=3) if submitted else None,
                            shared_with_trainer=roll < 0.3,
                        )
                    )
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        Reflection.objects.bulk_create(reflections, batch_size=BATCH)

    # -- intervisie ---------------------------------------------------------------------

    def _intervisie(self):
        rng = self.rng
        trainers_of = {}
        for cohort_id, user_id in Cohort.trainers.through.objects.filter(
            cohort__in=self.cohorts
        ).values_list("cohort_id", "user_id"):
            trainers_of.setdefault(cohort_id, user_id)
        seat_holders: dict[int, list[Enrolment]] = {}
        for e in self.enrolments:
            if e.state in ("enrolled", "completed"):
                seat_holders.setdefault(e.cohort_id, []).append(e)
        groups, members_of = [], []
        for cohort in self.cohorts:
            if self._phase(cohort) == "future":
                continue
            people = seat_holders.get(cohort.pk, [])
            chunks = [people[i : i + 6] for i in range(0, len(people), 6)]
            if len(chunks) > 1 and len(chunks[-1]) < 4:
                chunks[-2].extend(chunks.pop())
            for number, chunk in enumerate(chunks, start=1):
                groups.append(
                    Group(
                        cohort=cohort,
                        name=f"Groep {number}",
                        begeleider_id=trainers_of[cohort.pk],
                        created_at=at(cohort.starts_on, 9),
                    )
                )
                members_of.append((cohort, chunk))
        groups = Group.objects.bulk_create(groups, batch_size=BATCH)
        memberships, sessions, session_members = [], [], []
        for group, (cohort, chunk) in zip(groups, members_of, strict=True):
            memberships += [Membership(group=group, enrolment=e) for e in chunk]
            for k in range(3):
                day = workday(cohort.starts_on + timedelta(days=30 + 35 * k))
                starts = at(day, 14)
                held = starts < self.now
                sessions.append(
                    Session(
                        group=group,
                        starts_at=starts,
                        ends_at=at(day, 16),
                        location="Online",
                        status=Session.Status.HELD if held else Session.Status.PLANNED,
                        method=rng.choice(self.methods) if held else None,
                        case_bringer_id=chunk[k % len(chunk)].participant_id if held else None,
                        case_title="Een lastig gesprek met een bewoner" if held else "",
                        case_text="Vertrouwelijk: wat er in de groep besproken is." if held else "",
                    )
                )
                session_members.append(chunk if held else [])
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
        attendance = []
        for session, chunk in zip(sessions, session_members, strict=True):
            for e in chunk:
                roll = rng.random()
                attendance.append(
                    SessionAttendance(
                        session=session,
                        participant_id=e.participant_id,
                        status="present"
                        if roll < 0.85
                        else ("absent" if roll < 0.95 else "excused"),
                        recorded_at=session.ends_at,
                    )
                )
        SessionAttendance.objects.bulk_create(attendance, batch_size=BATCH)

    # -- coaching -----------------------------------------------------------------------

    def _coaching(self):
        rng = self.rng
        by_cohort = {c.pk: c for c in self.cohorts}
        candidates = [
            e
            for e in self.enrolments
            if e.state in ("enrolled", "completed") and e.participant_id != self.participant
        ]
        seen, chosen = set(), []
        for e in candidates:
            if e.participant_id not in seen:
                seen.add(e.participant_id)
                chosen.append(e)
        rng.shuffle(chosen)
        # One in ten participants has a trajectory; every coach about twenty.
        chosen = chosen[: 20 * len(self.coaches)]
        mine = next(e for e in self.enrolments if e.participant_id == self.participant)
        chosen.append(mine)
        trajectories, plans = [], []
        for n, e in enumerate(chosen):
            phase = self._phase(by_cohort[e.cohort_id])
            state = {"past": "completed", "running": "running", "future": "intake"}[phase]
            if state == "completed" and rng.random() < 0.1:
                state = "stopped"
            coach = self.coaches[n % len(self.coaches)]
            trajectories.append(
                Trajectory(
                    participant_id=e.participant_id,
                    coach_id=coach,
                    enrolment=e,
                    agreed_sessions=6,
                    state=state,
                    leervraag="Hoe houd ik mijn koers vast als de politiek iets anders vraagt?",
                    started_by_id=coach,
                    created_at=at(by_cohort[e.cohort_id].starts_on, 9),
                )
            )
            plans.append((by_cohort[e.cohort_id], state))
        trajectories = Trajectory.objects.bulk_create(trajectories, batch_size=BATCH)
        sessions, goals = [], []
        self.completed_trajectories = []
        for t, (cohort, state) in zip(trajectories, plans, strict=True):
            goals += [
                Goal(
                    trajectory=t,
                    description=f"Doel {k + 1}",
                    progress=rng.choice([20, 50, 80]),
                    position=k,
                )
                for k in range(2)
            ]
            held = {"completed": 6, "stopped": 2, "running": 3, "intake": 0}[state]
            planned = {"completed": 0, "stopped": 0, "running": 1, "intake": 1}[state]
            for k in range(held + planned):
                if k < held:
                    day = workday(cohort.starts_on + timedelta(days=14 * k))
                    day = min(day, self.today - timedelta(days=1))
                    status = CoachingSession.Status.HELD if rng.random() < 0.9 else "no_show"
                else:
                    day = workday(max(cohort.starts_on, self.today) + timedelta(days=7 + 7 * k))
                    status = CoachingSession.Status.PLANNED
                sessions.append(
                    CoachingSession(
                        trajectory=t,
                        starts_at=at(day, 10),
                        ends_at=at(day, 11),
                        location="Online",
                        status=status,
                        summary="Gedeelde samenvatting." if status == "held" else "",
                    )
                )
            if state == "completed":
                self.completed_trajectories.append(t)
        Goal.objects.bulk_create(goals, batch_size=BATCH)
        CoachingSession.objects.bulk_create(sessions, batch_size=BATCH)

    # -- evaluations --------------------------------------------------------------------

    def _answers(self):
        rng = self.rng
        by_cohort = {c.pk: c for c in self.cohorts}
        answers = []

        def score():
            return rng.choice([6, 7, 7, 8, 8, 8, 9, 9, 10]), rng.choice([5, 6, 7, 8, 8, 9, 9, 10])

        for enrolment, b in self.present:
            if rng.random() < 0.5:
                grade, recommendation = score()
                cohort = by_cohort[enrolment.cohort_id]
                answers.append(
                    Answer(
                        kind=Kind.BIJEENKOMST,
                        leergang_id=cohort.leergang_id,
                        cohort=cohort,
                        bijeenkomst=b,
                        module_id=b.module_id,
                        organisation_id=self.organisation_of[enrolment.participant_id],
                        answered_on=timezone.localdate(b.ends_at) + timedelta(days=2),
                        grade=grade,
                        recommendation=recommendation,
                        comments="Heel bruikbaar." if rng.random() < 0.3 else "",
                    )
                )
        for enrolment in self.enrolments:
            if enrolment.state == "completed" and rng.random() < 0.6:
                grade, recommendation = score()
                cohort = by_cohort[enrolment.cohort_id]
                answers.append(
                    Answer(
                        kind=Kind.LEERGANG,
                        leergang_id=cohort.leergang_id,
                        cohort=cohort,
                        organisation_id=self.organisation_of[enrolment.participant_id],
                        answered_on=cohort.ends_on + timedelta(days=5),
                        grade=grade,
                        recommendation=recommendation,
                    )
                )
        for t in self.completed_trajectories:
            grade, recommendation = score()
            answers.append(
                Answer(
                    kind=Kind.COACHING,
                    coach_id=t.coach_id,
                    organisation_id=self.organisation_of[t.participant_id],
                    answered_on=self.today - timedelta(days=rng.randint(10, 200)),
                    grade=grade,
                    recommendation=recommendation,
                )
            )
        Answer.objects.bulk_create(answers, batch_size=BATCH)


class _Pool:
    """People drawn in turn, so everyone is drawn once before anyone twice."""

    def __init__(self, people: list[int]):
        self.people = people
        self.next = 0

    def take(self, count: int, taken: set[int]) -> list[int]:
        drawn = []
        tries = 0
        while len(drawn) < count and tries < len(self.people):
            pk = self.people[self.next % len(self.people)]
            self.next += 1
            tries += 1
            if pk not in taken:
                taken.add(pk)
                drawn.append(pk)
        return drawn
