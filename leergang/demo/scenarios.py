"""The history of the demo's cohorts, told through the leergang services.

Each scenario writes down what happened in one cohort: who enrolled when, what HR decided,
who cancelled, the attendance of each bijeenkomst held, the leerlog. ``History.play`` then
runs every step in the order it happened, each ``backdated`` to its moment, so the services
apply their rules as they stood then (seats, the waiting list, deadlines, completion) and
stamp that time. The scenarios only say what people did; what follows from it (a seat or a
place on the waiting list, a certificate) is the services' answer.

A cohort's history is told once, in the run that creates the cohort; a second run finds the
cohort and leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from leergang.demo.catalogue import PlannedCohort, cohort_ensure
from leergang.demo.content import DEMO_PARTICIPANT_REFLECTIONS, INSIGHTS, REFLECTIONS
from leergang.models import Attendance, Cohort, Enrolment, Leergang
from leergang.services import (
    attendance_excuse,
    attendance_record,
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_move,
    insights_profile_save,
    reflection_save,
)
from portal.demo import (
    BEHEERDER_EMAIL,
    HR_UTRECHT_EMAIL,
    PARTICIPANT_EMAIL,
    TRAINER_EMAIL,
    backdated,
    ensure_person,
)
from portal.models import Organisation, User

Present, Absent = Attendance.Status.PRESENT, Attendance.Status.ABSENT

# The cohorts as (leergang slug, cohort name); the intervisie and coaching demos build on the
# running and the finished one.
TAILORED_COHORT = ("urban-professional", "Op maat Gemeente Utrecht")
RUNNING_COHORT = ("omgevingsprofessional", "Open uitvoering Midden-Nederland")
FULL_COHORT = ("businessprofessional", "Open uitvoering Bedrijfsvoering")
FINISHED_COHORT = ("professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht")
OPEN_COHORT = ("urban-professional", "Open uitvoering Nijmegen")
STADSKANTOOR = "Utrecht, Stadskantoor"
PROVINCIEHUIS = "Utrecht, Provinciehuis"
HUIS_VAN_DE_STAD = "Nijmegen, Huis van de Stad"
# Who earned a certificate in the finished cohort.
FINISHERS = [
    PARTICIPANT_EMAIL,
    "maarten.dewit@utrecht.example",
    "eline.vos@nijmegen.example",
    "joost.vandam@provincie-utrecht.example",
    "iris.meijer@utrecht.example",
    "tom.schouten@rivierenland.example",
]


class History:
    """Steps written down in any order and played in the order they happened."""

    def __init__(self):
        self.steps: list[tuple[datetime, Callable[[], object]]] = []

    def add(self, moment: datetime, step: Callable[[], object]) -> None:
        self.steps.append((moment, step))

    def play(self) -> None:
        now = timezone.now()
        for moment, step in sorted(self.steps, key=lambda entry: entry[0]):
            if moment > now:
                raise ValueError(f"The demo's history cannot happen in the future ({moment}).")
            with backdated(moment):
                step()


class CohortStory:
    """What the people of one cohort do, written into the history."""

    def __init__(self, history: History, planned: PlannedCohort, trainer: User):
        self.history = history
        self.cohort = planned.cohort
        self.bijeenkomsten = planned.bijeenkomsten
        self.day = planned.day
        self.trainer = trainer

    def enrolment(self, person: User) -> Enrolment:
        return Enrolment.objects.get(cohort=self.cohort, participant=person)

    def enrol(self, person: User, moment: datetime) -> None:
        self.history.add(moment, lambda: enrolment_create(cohort=self.cohort, participant=person))

    def approve(self, person: User, moment: datetime, *, by: User) -> None:
        self.history.add(moment, lambda: enrolment_approve(enrolment=self.enrolment(person), by=by))

    def cancel(self, person: User, moment: datetime, *, reason: str) -> None:
        self.history.add(
            moment,
            lambda: enrolment_cancel(enrolment=self.enrolment(person), by=person, reason=reason),
        )

    def fill_in_profile(self, person: User, moment: datetime) -> None:
        """The Insights questionnaire, as the participant enters it after the first module."""
        red, yellow, green, blue = INSIGHTS[person.email]
        self.history.add(
            moment,
            lambda: insights_profile_save(
                participant=person, red=red, yellow=yellow, green=green, blue=blue
            ),
        )

    def excuse(self, person: User, number: int, reason: str) -> None:
        """An afmelding two days before bijeenkomst ``number``."""
        bijeenkomst = self.bijeenkomsten[number - 1]
        self.history.add(
            bijeenkomst.starts_at - timedelta(days=2, hours=3),
            lambda: attendance_excuse(
                bijeenkomst=bijeenkomst, enrolment=self.enrolment(person), reason=reason
            ),
        )

    def record(self, number: int, people: list[User], *, absent: tuple[User, ...] = ()) -> None:
        """The trainer records bijeenkomst ``number`` just after it: ``people`` were there
        except the ``absent``."""
        bijeenkomst = self.bijeenkomsten[number - 1]

        def step():
            entries = {
                self.enrolment(person).pk: (Absent if person in absent else Present, "")
                for person in people
            }
            attendance_record(bijeenkomst=bijeenkomst, by=self.trainer, entries=entries)

        self.history.add(bijeenkomst.ends_at + timedelta(minutes=20), step)

    def reflect(
        self,
        person: User,
        number: int,
        text: str,
        moment: datetime,
        *,
        submit: bool = True,
        shared_with_trainer: bool = False,
    ) -> None:
        """A leerlog entry on the module of bijeenkomst ``number``: submitted, or a draft."""
        module = self.bijeenkomsten[number - 1].module
        self.history.add(
            moment,
            lambda: reflection_save(
                enrolment=self.enrolment(person),
                module=module,
                text=text,
                submit=submit,
                shared_with_trainer=shared_with_trainer,
                shared_with_coach=False,
            ),
        )

    def after(self, number: int, **delta) -> datetime:
        """A moment after bijeenkomst ``number`` ended."""
        return self.bijeenkomsten[number - 1].ends_at + timedelta(**delta)

    def module_number(self, slug: str) -> int:
        return next(n for n, b in enumerate(self.bijeenkomsten, start=1) if b.module.slug == slug)


# (leergang slug, cohort name, how the cohort is planned, the function telling its history)
SCENARIOS: list[tuple[str, str, dict, Callable[[CohortStory, dict[str, User]], None]]] = []


def scenario(slug: str, name: str, **plan):
    """Register the history of cohort ``name`` of leergang ``slug``, planned as ``plan``
    (the arguments of ``cohort_ensure``)."""

    def register(tell):
        SCENARIOS.append((slug, name, plan, tell))
        return tell

    return register


def scenarios_play(leergangen: dict[str, Leergang], people: dict[str, User]) -> None:
    """Plan every cohort and tell the history of those this run created, in time order."""
    history = History()
    trainer = people[TRAINER_EMAIL]
    for slug, name, plan, tell in SCENARIOS:
        planned = cohort_ensure(leergangen[slug], name, trainer=trainer, **plan)
        if planned.created:
            tell(CohortStory(history, planned, trainer), people)
    history.play()


def _reflection_text(story: CohortStory, number: int, turn: int) -> str:
    texts = REFLECTIONS[story.bijeenkomsten[number - 1].module.slug]
    return texts[turn % len(texts)]


@scenario(
    *TAILORED_COHORT,
    days=[21, 42, 63, 91],
    seats=16,
    location=STADSKANTOOR,
    organisation="gemeente-utrecht",
    requires_approval=True,
)
def op_maat_utrecht(story: CohortStory, people: dict[str, User]) -> None:
    """Tailored for Gemeente Utrecht, starting in three weeks; HR approved three requests and
    two wait for an answer."""
    hr = people[HR_UTRECHT_EMAIL]
    for name, day in [("daan.kramer", -48), ("lotte.smit", -44), ("yusuf.demir", -39)]:
        person = people[f"{name}@utrecht.example"]
        story.enrol(person, story.day(day, 10, 5))
        story.approve(person, story.day(day + 2, 9, 40), by=hr)
    for name, day, hour in [("ruben.vandijk", -26, 11), ("esther.boersma", -25, 16)]:
        story.enrol(people[f"{name}@utrecht.example"], story.day(day, hour, 20))


@scenario(
    *RUNNING_COHORT, days=[-35, -21, -7, 28, 90], seats=14, location=PROVINCIEHUIS, online={5}
)
def running_omgevingsprofessional(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, started five weeks ago: three bijeenkomsten held, two to come."""
    sanne = people[PARTICIPANT_EMAIL]
    noor, thijs, anouk, jasper, merel, bram, kees, priya = others = [
        people[email]
        for email in [
            "noor.hendriks@utrecht.example",
            "thijs.verhoeven@nijmegen.example",
            "anouk.peters@nijmegen.example",
            "jasper.vandenberg@provincie-utrecht.example",
            "merel.dekker@provincie-utrecht.example",
            "bram.hoekstra@rivierenland.example",
            "kees.brouwer@odru.example",
            "priya.ramdin@odru.example",
        ]
    ]
    everyone = [sanne, *others]
    story.enrol(sanne, story.day(-58, 20, 12))
    for turn, person in enumerate(others):
        story.enrol(person, story.day(-56 + 3 * turn, 9 + turn, 15))
        # Sanne filled in hers in her first leergang; Priya has not filled in hers.
        if person.email in INSIGHTS:
            story.fill_in_profile(person, story.after(1, days=1, hours=turn))

    story.record(1, everyone, absent=(kees,))
    story.excuse(
        thijs,
        2,
        "Hoorzitting van de bezwaarcommissie over een omgevingsvergunning; die kon niet "
        "worden verplaatst.",
    )
    story.record(2, [person for person in everyone if person != thijs])
    story.record(3, everyone, absent=(anouk,))

    # The demo participant's own leerlog: two submitted (one shared), one draft.
    for module_slug, text, submitted, shared in DEMO_PARTICIPANT_REFLECTIONS:
        number = story.module_number(module_slug)
        story.reflect(
            sanne,
            number,
            text,
            story.after(number, days=3 if submitted else 2, hours=4),
            submit=submitted,
            shared_with_trainer=shared,
        )
    # The others: who has written what so far.
    written = {
        1: [person for person in others if person not in {kees, bram}],
        2: [noor, jasper, merel, priya],
        3: [noor],
    }
    for number, writers in written.items():
        for turn, person in enumerate(writers):
            story.reflect(
                person,
                number,
                _reflection_text(story, number, turn),
                story.after(number, days=1 + turn % 4, hours=3),
                shared_with_trainer=person == noor and number == 1,
            )


@scenario(*FULL_COHORT, days=[42, 63, 84, 112], seats=6, location=HUIS_VAN_DE_STAD, online={3})
def full_businessprofessional(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, starting in six weeks: every seat taken, three on the waiting list. The
    programme office offers freed seats here (``Cohort.WaitlistMode.OFFER``): Hanneke
    cancelled this morning, so her seat is offered to the demo participant, who joined the
    waiting list first and has two days to confirm."""
    Cohort.objects.filter(pk=story.cohort.pk).update(
        waitlist_mode=Cohort.WaitlistMode.OFFER, offer_hours=48
    )
    first = [
        "ilse.koster@provincie-utrecht.example",
        "mohamed.bouzid@nijmegen.example",
        "linda.willems@nijmegen.example",
        "sophie.vermeulen@rivierenland.example",
        "gerrit.postma@odru.example",
        "hanneke.degroot@utrecht.example",
    ]
    for turn, email in enumerate(first):
        story.enrol(people[email], story.day(-90 + 4 * turn, 10 + turn, 30))
    late = [
        ("fleur.vanleeuwen@utrecht.example", -60),
        ("rik.mertens@rivierenland.example", -52),
        ("samira.achahbar@nijmegen.example", -47),
    ]
    story.enrol(people[PARTICIPANT_EMAIL], story.day(-62, 11, 5))
    for email, day in late:
        story.enrol(people[email], story.day(day, 14, 45))
    morning = timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0)
    story.cancel(
        people["hanneke.degroot@utrecht.example"],
        min(morning, timezone.now() - timedelta(minutes=5)),
        reason="Andere functie binnen de gemeente.",
    )


@scenario(*FINISHED_COHORT, days=[-200, -165, -130, -95, -60], seats=12, location=STADSKANTOOR)
def finished_beleidsfunctie(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, ended two months ago: certificates for all but one who cancelled."""
    finishers = [people[email] for email in FINISHERS]
    last = len(story.bijeenkomsten)
    for turn, person in enumerate(finishers):
        story.enrol(person, story.day(-70 + 5 * turn, 9 + turn, 10))
        story.fill_in_profile(person, story.after(1, days=1, hours=turn))
        for number in range(1, last + 1):
            # The last reflection, after full attendance, earns the certificate.
            story.reflect(
                person,
                number,
                _reflection_text(story, number, turn),
                story.after(number, days=2 + turn, hours=2 + turn)
                if number == last
                else story.after(number, days=2 + turn % 3, hours=4),
                shared_with_trainer=turn % 2 == 1,
            )
    for number in range(1, last + 1):
        story.record(number, finishers)
    karin = people["karin.bosman@nijmegen.example"]
    story.enrol(karin, story.day(-62, 11, 0))
    story.cancel(
        karin,
        story.day(-16, 8, 50),
        reason="Ik ben van functie gewisseld en kan de bijeenkomsten niet combineren met mijn "
        "nieuwe werk. Misschien schrijf ik me volgend jaar opnieuw in.",
    )


@scenario(*OPEN_COHORT, days=[60, 81, 102, 130], seats=16, location=HUIS_VAN_DE_STAD)
def open_nijmegen(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, starting in two months, with free seats."""
    early = [
        ("rachid.elidrissi@nijmegen.example", -75),
        ("femke.brink@provincie-utrecht.example", -70),
        ("lars.timmermans@nijmegen.example", -66),
    ]
    for email, day in early:
        story.enrol(people[email], story.day(day, 15, 5))
    # Yusuf cannot make the dates of Utrecht's tailored cohort: the programme office moved
    # him here (the Inschrijvingen page shows both enrolments and why).
    yusuf = people["yusuf.demir@utrecht.example"]
    story.history.add(
        story.day(-65, 11, 30),
        lambda: enrolment_move(
            enrolment=Enrolment.objects.get(
                participant=yusuf, cohort__name=TAILORED_COHORT[1], state=Enrolment.State.ENROLLED
            ),
            to_cohort=story.cohort,
            by=people[BEHEERDER_EMAIL],
            reason="De data van de uitvoering op maat vallen samen met zijn verlof.",
        ),
    )


# Participants of the earlier cohort only: what retention pseudonymises once it is due.
ALUMNI = [
    (
        "wouter.bakker@provincie-utrecht.example",
        "Wouter",
        "Bakker",
        "provincie-utrecht",
        "Beleidsadviseur mobiliteit",
        "Mobiliteit",
    ),
    (
        "marieke.jansen@rivierenland.example",
        "Marieke",
        "Jansen",
        "waterschap-rivierenland",
        "Adviseur watersystemen",
        "Watersystemen",
    ),
    (
        "sander.devries@odru.example",
        "Sander",
        "de Vries",
        "omgevingsdienst-regio-utrecht",
        "Toezichthouder bouw",
        "Toezicht",
    ),
]


@scenario(
    "omgevingsprofessional",
    "Eerdere uitvoering Amersfoort",
    days=[-490, -455, -420, -385, -352],
    seats=12,
    location="Amersfoort, Stadhuis",
)
def earlier_omgevingsprofessional(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, ended nearly a year ago: its retention period (12 months) is over in a
    few weeks, so the programme office sees it on the Bewaartermijnen page. Three took part
    in nothing else (they will be pseudonymised); Jasper is in the running cohort too."""
    alumni = [
        ensure_person(
            email,
            first,
            last,
            Organisation.objects.get(slug=organisation),
            job,
            department=department,
        )
        for email, first, last, organisation, job, department in ALUMNI
    ]
    finishers = [*alumni, people["jasper.vandenberg@provincie-utrecht.example"]]
    last = len(story.bijeenkomsten)
    for turn, person in enumerate(finishers):
        story.enrol(person, story.day(-40 + 3 * turn, 10 + turn, 15))
        for number in range(1, last + 1):
            story.reflect(
                person,
                number,
                _reflection_text(story, number, turn),
                story.after(number, days=2 + turn % 3, hours=3),
            )
    for number in range(1, last + 1):
        story.record(number, finishers)


@scenario(
    "omgevingsprofessional",
    "Open uitvoering Zwolle",
    days=[-10, 12, 33, 54, 75],
    seats=12,
    location="Zwolle, Provinciehuis Overijssel",
)
def open_zwolle(story: CohortStory, people: dict[str, User]) -> None:
    """Open to all, started ten days ago, with room for guests: two people of the running
    cohort make up a bijeenkomst they missed here (inhalen). The programme office approved
    Thijs's (he had reported absence for the second module); Anouk's (absent at the third)
    waits for the programme office or the trainer."""
    from leergang.makeup import make_up_approve, make_up_request

    three = [
        people[email]
        for email in [
            "rachid.elidrissi@nijmegen.example",
            "femke.brink@provincie-utrecht.example",
            "lars.timmermans@nijmegen.example",
        ]
    ]
    for turn, person in enumerate(three):
        story.enrol(person, story.day(-35 + 4 * turn, 10, 40))
    story.record(1, three)
    running = Cohort.objects.get(leergang__slug=RUNNING_COHORT[0], name=RUNNING_COHORT[1])

    def ask(email: str, number: int):
        enrolment = Enrolment.objects.get(cohort=running, participant=people[email])
        missed = running.bijeenkomsten.get(module=story.bijeenkomsten[number - 1].module)
        return make_up_request(
            enrolment=enrolment, missed=missed, bijeenkomst=story.bijeenkomsten[number - 1]
        )

    thijs = "thijs.verhoeven@nijmegen.example"
    story.history.add(story.day(1, 9, 10), lambda: ask(thijs, 2))
    story.history.add(
        story.day(2, 14, 30),
        lambda: make_up_approve(
            make_up=ask(thijs, 2),  # asked already: the same request
            by=people[BEHEERDER_EMAIL],
        ),
    )
    story.history.add(story.day(5, 16, 45), lambda: ask("anouk.peters@nijmegen.example", 3))
