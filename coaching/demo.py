"""Demo data of the coaching app, loaded by `python manage.py demo` after the leergang and
intervisie demos.

What it adds, for the two demo coaches:

- free moments of each coach over the coming three weeks, at the Academie, in Nijmegen or
  online, so the demo participant can book one in the browser;
- with Jeroen Visser: the demo participant's running trajectory (part of her enrolment in the
  running Omgevingsprofessional cohort) with a leervraag, three goals with their progress
  history, two held sessions with shared summaries and the coach's private notes, one she
  cancelled and one she booked; an intake that HR of Gemeente Utrecht started and the
  organisation pays; a trajectory completed during the finished Beleidsfunctie cohort;
- with Annemiek van der Linden: a running trajectory, an intake that HR of Gemeente Nijmegen
  started, and a trajectory that stopped after a missed session.

Rows are written directly, not through the services, so the demo queues no e-mail. They follow
the services' rules all the same: who may start a trajectory and who pays (``trajectory_start``),
every state change along ``TRAJECTORY_TRANSITIONS`` with its audit row, a held intake making
the trajectory running (``session_mark``), never more counted sessions than agreed, a booked
session copying its moment (``session_book``), an ending cancelling what was still planned.

Running it again changes nothing: a trajectory is keyed on (participant, coach) and created
once with everything in it, and a coach's free moments are published once (a coach who has any
moment keeps them as they are). A second run neither duplicates rows nor moves dates or states.
Dates are relative to the day of the first run (the completed trajectory's to the start of its
cohort), on workdays, so a fresh demo always looks current.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from coaching.models import (
    TRAJECTORY_TRANSITIONS,
    AvailabilitySlot,
    CoachingSession,
    Goal,
    GoalUpdate,
    PrivateNote,
    Trajectory,
    TrajectoryTransition,
)
from coaching.permissions import may_start_trajectory
from coaching.selectors import free_slots
from coaching.services import COUNTED, OPEN_STATES
from leergang.demo import _at, _workday
from leergang.models import Enrolment
from portal.models import Role, User

State = Trajectory.State
Funding = Trajectory.Funding
Status = CoachingSession.Status

COACH_EMAIL = "coach@demo.example"
SECOND_COACH_EMAIL = "coach2@demo.example"
PARTICIPANT_EMAIL = "deelnemer@demo.example"
HR_UTRECHT_EMAIL = "hr@demo.example"
HR_NIJMEGEN_EMAIL = "hr.nijmegen@demo.example"
BEHEERDER_EMAIL = "beheerder@demo.example"

# (leergang slug, cohort name) as created by leergang/demo.py
RUNNING_COHORT = ("omgevingsprofessional", "Open uitvoering Midden-Nederland")
FINISHED_COHORT = ("professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht")

KAMER_2_14 = "Academie, Utrecht – kamer 2.14"
KAMER_2_16 = "Academie, Utrecht – kamer 2.16"
NIJMEGEN = "Nijmegen, Huis van de Stad – spreekkamer 0.12"
ONLINE_JEROEN = "https://meet.example.org/coaching-jeroen-visser"
ONLINE_ANNEMIEK = "https://meet.example.org/coaching-annemiek-van-der-linden"

INTAKE_HELD = "Intake gehouden"

# Free moments of an hour: (workdays from the first run, hour, minute, place).
FREE_MOMENTS = {
    COACH_EMAIL: [
        (2, 9, 0, KAMER_2_14),
        (3, 11, 0, ONLINE_JEROEN),
        (6, 14, 0, KAMER_2_14),
        (8, 9, 30, ONLINE_JEROEN),
        (10, 13, 0, KAMER_2_14),
        (13, 15, 0, ONLINE_JEROEN),
    ],
    SECOND_COACH_EMAIL: [
        (1, 16, 0, ONLINE_ANNEMIEK),
        (4, 9, 0, NIJMEGEN),
        (5, 13, 30, KAMER_2_16),
        (9, 10, 0, ONLINE_ANNEMIEK),
        (11, 14, 0, NIJMEGEN),
        (14, 11, 0, ONLINE_ANNEMIEK),
    ],
}

# --------------------------------------------------------------------------- helpers


def _workdays(day: date, count: int) -> date:
    """The workday ``count`` workdays after ``day``, or before it when ``count`` is negative."""
    step = timedelta(days=1 if count > 0 else -1)
    left = abs(count)
    while left:
        day += step
        if day.weekday() < 5:
            left -= 1
    return day


def _place(place: str) -> dict[str, str]:
    """An Appointment's place: a room, or the coach's online meeting room."""
    if place.startswith("https://"):
        return {"location": "", "online_url": place}
    return {"location": place, "online_url": ""}


def _enrolment(participant: User, cohort: tuple[str, str], state: str) -> Enrolment | None:
    slug, name = cohort
    return (
        Enrolment.objects.filter(
            participant=participant, cohort__leergang__slug=slug, cohort__name=name, state=state
        )
        .select_related("cohort")
        .first()
    )


def _publish(coach: User, moments: list[tuple[int, int, int, str]], today: date) -> None:
    """The coach's free moments, published once: a coach with any moment keeps them as they are."""
    if AvailabilitySlot.objects.filter(coach=coach).exists():
        return
    for ahead, hour, minute, place in moments:
        starts_at = _at(_workdays(today, ahead), hour, minute)
        ends_at = starts_at + timedelta(hours=1)
        AvailabilitySlot.objects.create(
            coach=coach, starts_at=starts_at, ends_at=ends_at, **_place(place)
        )


def _start(
    participant: User | None,
    coach: User,
    *,
    by: User,
    at: datetime,
    agreed_sessions: int,
    enrolment: Enrolment | None = None,
    leervraag: str = "",
) -> Trajectory | None:
    """A trajectory in intake with its first audit row, as ``trajectory_start`` makes it.

    None when there is nothing to create: the participant is missing, already has a trajectory
    with this coach (a second run), or has another one that has not ended.
    """
    if participant is None:
        return None
    if Trajectory.objects.filter(participant=participant, coach=coach).exists():
        return None
    if participant.coaching_trajectories.filter(state__in=OPEN_STATES).exists():
        return None
    if not (
        may_start_trajectory(by, participant)
        and coach.has_role(Role.COACH)
        and participant.has_role(Role.DEELNEMER)
    ):
        raise ValueError(f"Demo: {by} cannot start coaching of {participant} by {coach}")
    trajectory = Trajectory.objects.create(
        participant=participant,
        coach=coach,
        enrolment=enrolment,
        agreed_sessions=agreed_sessions,
        # HR starts only what its organisation pays for.
        funded_by=Funding.PROGRAMME if by.is_beheerder else Funding.ORGANISATION,
        state=State.INTAKE,
        leervraag=leervraag,
        started_by=by,
        created_at=at,
    )
    TrajectoryTransition.objects.create(trajectory=trajectory, to_state=State.INTAKE, by=by, at=at)
    return trajectory


def _move(trajectory: Trajectory, to_state: str, *, at: datetime, by: User, reason: str = ""):
    if to_state not in TRAJECTORY_TRANSITIONS[trajectory.state]:
        raise ValueError(f"Demo trajectory cannot go from {trajectory.state!r} to {to_state!r}")
    if to_state == State.STOPPED and not reason:
        raise ValueError("Demo: say why the trajectory stops")
    if to_state not in OPEN_STATES and trajectory.sessions.filter(status=Status.PLANNED).exists():
        raise ValueError("Demo: an ended trajectory has no planned sessions")
    TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=trajectory.state,
        to_state=to_state,
        by=by,
        at=at,
        reason=reason,
    )
    trajectory.state = to_state
    trajectory.save(update_fields=["state"])


def _session(
    trajectory: Trajectory,
    starts_at: datetime,
    *,
    place: str,
    minutes: int = 60,
    status: str = Status.PLANNED,
    booked: bool = False,
    preparation: str = "",
    summary: str = "",
    comment: str = "",
    note: str = "",
    cancelled_by: User | None = None,
    cancelled_at: datetime | None = None,
) -> CoachingSession:
    """One session; ``booked`` from a moment the coach offered (which it then copies).

    A held session of a trajectory in intake makes it running, as ``session_mark`` does.
    """
    ends_at = starts_at + timedelta(minutes=minutes)
    now = timezone.now()
    if trajectory.state not in OPEN_STATES:
        raise ValueError(f"Demo: {trajectory} has ended")
    if status in {Status.HELD, Status.NO_SHOW} and ends_at > now:
        raise ValueError("Demo: only a past session is held or missed")
    if status == Status.PLANNED and starts_at <= now:
        raise ValueError("Demo: a planned session lies ahead")
    if (status == Status.CANCELLED) != (cancelled_by is not None and cancelled_at is not None):
        raise ValueError("Demo: a cancelled session records by whom and when")
    if (summary or comment) and status != Status.HELD:
        raise ValueError("Demo: only a held session has a summary")
    if booked and status == Status.CANCELLED:
        raise ValueError("Demo: cancelling frees the booked moment")
    if status in COUNTED and (
        trajectory.sessions.filter(status__in=COUNTED).count() >= trajectory.agreed_sessions
    ):
        raise ValueError(f"Demo: {trajectory} would use more sessions than agreed")
    if (
        status == Status.PLANNED
        and CoachingSession.objects.filter(
            trajectory__coach=trajectory.coach_id,
            status=Status.PLANNED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).exists()
    ):
        raise ValueError(f"Demo: {trajectory.coach} has another session then")
    slot = None
    if booked:
        slot = AvailabilitySlot.objects.create(
            coach=trajectory.coach, starts_at=starts_at, ends_at=ends_at, **_place(place)
        )
    session = CoachingSession.objects.create(
        trajectory=trajectory,
        slot=slot,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        cancelled_by=cancelled_by,
        cancelled_at=cancelled_at,
        preparation=preparation,
        summary=summary,
        participant_comment=comment,
        **_place(place),
    )
    if note:
        PrivateNote.objects.create(
            session=session,
            coach=trajectory.coach,
            text=note,
            created_at=ends_at + timedelta(minutes=12),
        )
    if status == Status.HELD and trajectory.state == State.INTAKE:
        _move(
            trajectory,
            State.RUNNING,
            at=ends_at + timedelta(minutes=25),
            by=trajectory.coach,
            reason=INTAKE_HELD,
        )
    return session


def _goal(
    trajectory: Trajectory, description: str, updates: list[tuple[datetime, User, int, str]]
) -> Goal:
    """A goal the participant added, with its first updates: (at, by, progress, note)."""
    if trajectory.state not in OPEN_STATES:
        raise ValueError(f"Demo: {trajectory} has ended")
    goal = Goal.objects.create(
        trajectory=trajectory, description=description, position=trajectory.goals.count()
    )
    for at, by, progress, note in updates:
        _progress(goal, at, by, progress, note)
    return goal


def _progress(goal: Goal, at: datetime, by: User, progress: int, note: str) -> None:
    """How far a goal is, as ``goal_update`` records it: every update is kept."""
    trajectory = goal.trajectory
    if trajectory.state not in OPEN_STATES:
        raise ValueError(f"Demo: {trajectory} has ended")
    if by.pk not in {trajectory.participant_id, trajectory.coach_id}:
        raise ValueError("Demo: only the participant and the coach update goals")
    goal.progress = progress
    goal.save(update_fields=["progress"])
    GoalUpdate.objects.create(goal=goal, progress=progress, note=note, by=by, at=at)


# --------------------------------------------------------------------------- Jeroen Visser


def _sanne_running(*, sanne: User, coach: User, beheerder: User, today: date) -> None:
    """Four weeks in: intake and one session held, one cancelled, the next one booked."""

    def day(count: int) -> date:
        return _workdays(today, count)

    t = _start(
        sanne,
        coach,
        by=beheerder,
        at=_at(day(-24), 10, 15),
        agreed_sessions=6,
        enrolment=_enrolment(sanne, RUNNING_COHORT, Enrolment.State.ENROLLED),
        leervraag=(
            "Hoe kan ik in overleggen met ontwikkelaars, collega's en bestuurders sneller en "
            "duidelijker mijn standpunt innemen, ook als ik nog niet alles weet, zonder mijn "
            "zorgvuldigheid kwijt te raken?"
        ),
    )
    if t is None:
        return
    _session(
        t,
        _at(day(-20), 13, 30),
        minutes=90,
        place=KAMER_2_14,
        status=Status.HELD,
        summary=(
            "Kennismaking en intake.\n\n"
            "Sanne werkt drie jaar als beleidsadviseur wonen bij de gemeente Utrecht en volgt "
            "de leergang Omgevingsprofessional. In overleggen met ontwikkelaars, collega's van "
            "andere afdelingen en bestuurders blijft ze lang doorvragen en maakt ze veel "
            "voorbehouden, terwijl de ander een duidelijk standpunt verwacht. Haar "
            "zorgvuldigheid is een kracht, maar kost haar soms invloed.\n\n"
            "Afspraken over de coaching: zes gesprekken van een uur, de intake meegerekend, "
            "ongeveer eens per twee weken, op de Academie of online. Wat we bespreken blijft "
            "tussen ons; deze samenvatting is voor ons beiden. Sanne schrijft vóór het volgende "
            "gesprek haar leervraag uit en kiest twee of drie doelen."
        ),
        note=(
            "Reflectief, goed voorbereid en erg kritisch op zichzelf. Begint een standpunt vaak "
            "met een verontschuldiging ('misschien zie ik het verkeerd, maar...'). Werkdruk "
            "speelt mee: ze leest 's avonds nog stukken. Niet zelf aansnijden, wel op letten. "
            "Volgende keer: rollenspel met een lastig overleg uit haar eigen agenda."
        ),
    )
    _goal(
        t,
        "In overleg met ontwikkelaars en collega's zeg ik eerst wat de gemeente wél mogelijk "
        "vindt, en pas daarna wat de voorwaarden zijn.",
        [
            (
                _at(day(-19), 20, 10),
                sanne,
                20,
                "Sinds de leergang gaat het beter, maar onder tijdsdruk val ik terug in uitleg "
                "en voorbehouden.",
            ),
            (
                _at(day(-11), 11, 20),
                coach,
                40,
                "In het rollenspel opende Sanne twee keer met haar standpunt. Nu in het echte "
                "overleg proberen.",
            ),
            (
                _at(day(-7), 17, 35),
                sanne,
                55,
                "Het overleg over de woningbouwlocatie geopend met wat er wél kan. Kort en "
                "helder gesprek.",
            ),
        ],
    )
    _goal(
        t,
        "Voordat ik aan een advies begin, vraag ik de bestuursadviseur wat er bestuurlijk speelt.",
        [
            (
                _at(day(-11), 11, 25),
                coach,
                30,
                "Gesprek met de bestuursadviseur is gepland; we hebben besproken hoe ze het opent.",
            ),
            (
                _at(day(-6), 9, 5),
                sanne,
                50,
                "Twintig minuten gesproken over de huisvestingsverordening. Nu snap ik wat de "
                "wethouder gevoelig vindt.",
            ),
        ],
    )
    _goal(
        t,
        "Ik zeg vaker 'nee' of 'nu niet' tegen extra verzoeken, en leg kort uit waarom.",
        [
            (
                _at(day(-19), 20, 15),
                sanne,
                10,
                "Ik merk dat ik bijna alles aanneem wat op mijn bureau komt.",
            ),
            (
                _at(day(-11), 11, 30),
                coach,
                20,
                "Geoefend met drie verzoeken uit haar eigen week. 'Nu niet, wel na de "
                "raadsvergadering' voelde haalbaar.",
            ),
        ],
    )
    _session(
        t,
        _at(day(-11), 10, 0),
        place=ONLINE_JEROEN,
        booked=True,
        status=Status.HELD,
        preparation=(
            "Volgende week heb ik overleg met de ontwikkelaar van de nieuwe woningbouwlocatie. "
            "Vorige keer ging het gesprek alle kanten op. Ik wil oefenen met de opening: wat "
            "zeg ik in de eerste vijf minuten?"
        ),
        summary=(
            "We hebben het overleg met de ontwikkelaar geoefend in een rollenspel; Jeroen "
            "speelde de ontwikkelaar. In de eerste ronde begon Sanne met de achtergrond en de "
            "voorwaarden, en na een paar minuten was ze het initiatief kwijt. In de tweede ronde "
            "opende ze met één zin: wat de gemeente op deze plek wél mogelijk vindt. Daarna ging "
            "het gesprek over de uitwerking in plaats van over de vraag óf het kan.\n\n"
            "Wat Sanne meeneemt: eerst het standpunt, dan de onderbouwing. Voorbehouden mogen, "
            "maar pas als de ander weet waar ze staat.\n\n"
            "Afspraken: Sanne schrijft haar openingszin vooraf op en gebruikt die in het "
            "overleg. Ze vraagt de bestuursadviseur om een kort gesprek voordat ze aan het "
            "volgende advies begint."
        ),
        comment=(
            "Het rollenspel was spannend, maar heel nuttig. Ik had niet door hoe vaak ik "
            "'misschien' zeg. Het overleg met de ontwikkelaar is inmiddels geweest: ik heb mijn "
            "openingszin gebruikt en we waren in een halfuur klaar."
        ),
        note=(
            "Rollenspel werkte goed: in de tweede ronde veel meer overtuigingskracht, ook in "
            "houding en stem. Ze relativeert haar succes meteen weg. Volgende keer het nee "
            "zeggen concreet maken; ze noemde drie verzoeken van haar teamleider die ze "
            "eigenlijk niet had willen aannemen."
        ),
    )
    cancelled_day = day(-4)
    _session(
        t,
        _at(cancelled_day, 14, 0),
        place=KAMER_2_14,
        status=Status.CANCELLED,
        cancelled_by=sanne,
        cancelled_at=_at(_workdays(cancelled_day, -1), 16, 40),
    )
    _session(
        t,
        _at(day(4), 10, 0),
        place=KAMER_2_14,
        booked=True,
        preparation=(
            "Ik wil het hebben over nee zeggen. Mijn teamleider vroeg me om het dossier "
            "studentenhuisvesting erbij te nemen en ik zei meteen ja. Nu loopt mijn advies over "
            "de huisvestingsverordening vertraging op. Hoe bespreek ik dat alsnog met haar? Ik "
            "neem mijn weekplanning mee."
        ),
    )


def _esther_intake(*, esther: User | None, coach: User, hr: User, today: date) -> None:
    """Started by HR last week and paid by Gemeente Utrecht; the intake is planned."""
    t = _start(
        esther,
        coach,
        by=hr,
        at=_at(_workdays(today, -6), 11, 5),
        agreed_sessions=4,
    )
    if t is None:
        return
    _session(t, _at(_workdays(today, 3), 15, 30), minutes=90, place=KAMER_2_14)


def _eline_completed(*, eline: User | None, coach: User, beheerder: User, today: date) -> None:
    """Four sessions during the finished Beleidsfunctie cohort, then completed."""
    enrolment = _enrolment(eline, FINISHED_COHORT, Enrolment.State.COMPLETED) if eline else None
    start = enrolment.cohort.starts_on if enrolment else today - timedelta(days=200)

    def day(offset: int) -> date:
        return _workday(start + timedelta(days=offset))

    t = _start(
        eline,
        coach,
        by=beheerder,
        at=_at(day(8), 14, 30),
        agreed_sessions=4,
        enrolment=enrolment,
        leervraag=(
            "Hoe breng ik mijn inhoudelijke zorgen op tijd en overtuigend in bij mijn "
            "teamleider en de wethouder, in plaats van in te stemmen en er achteraf mee te "
            "blijven zitten?"
        ),
    )
    if t is None:
        return
    _session(
        t,
        _at(day(14), 10, 0),
        minutes=90,
        place=KAMER_2_14,
        status=Status.HELD,
        summary=(
            "Kennismaking en intake.\n\n"
            "Eline is beleidsadviseur sociaal domein bij de gemeente Nijmegen en volgt de "
            "leergang Professionaliseren van de beleidsfunctie. Aanleiding voor de coaching: ze "
            "stemt in overleggen vaak in met een planning of aanpak waar ze inhoudelijk aan "
            "twijfelt, en blijft daar daarna mee zitten. Recent voorbeeld: de nota over "
            "vroegsignalering van schulden, die binnen zes weken naar de raad moet.\n\n"
            "Afspraken: vier gesprekken, de intake meegerekend, verspreid over de looptijd van "
            "de leergang. Eline werkt haar leervraag en doelen uit in het portaal."
        ),
        note=(
            "Loyaal en zorgvuldig; legt de oorzaak steeds bij zichzelf. Haar aarzeling lijkt "
            "samen te hangen met een vorige werkgever, waar kritiek niet gewaardeerd werd. Daar "
            "alleen op ingaan als zij erover begint."
        ),
    )
    eline_goal_1 = _goal(
        t,
        "Als ik het niet eens ben met een planning of besluit, zeg ik dat in hetzelfde overleg, "
        "met één concreet voorstel.",
        [
            (
                _at(day(15), 9, 0),
                eline,
                10,
                "Bij de nota vroegsignalering heb ik weer ingestemd terwijl ik twijfels had.",
            ),
        ],
    )
    eline_goal_2 = _goal(
        t,
        "Ik bereid belangrijke overleggen voor met een notitie van één A4: wat we winnen, wat we "
        "overslaan en wat ik voorstel.",
        [],
    )
    _session(
        t,
        _at(day(42), 15, 0),
        place=ONLINE_JEROEN,
        booked=True,
        status=Status.HELD,
        summary=(
            "We bespraken het gesprek met haar teamleider over de nota vroegsignalering. Eline "
            "had een notitie van één A4 gemaakt: wat de snelle route oplevert, wat die "
            "overslaat, en haar voorstel voor twee gesprekken met ervaringsdeskundigen. De "
            "teamleider nam het voorstel over. Eline was verrast hoe weinig weerstand er was.\n\n"
            "We verkenden waar haar aarzeling vandaan komt: ze wil loyaal zijn en ziet bezwaar "
            "maken als dwarsliggen. Afspraak: de komende weken let ze op momenten waarop ze "
            "'ja' zegt en 'nee' bedoelt, en schrijft ze er twee op."
        ),
        note=(
            "Duidelijke stap gezet, maar ze maakt haar eigen succes klein. Volgende keer haar "
            "expliciet laten benoemen wat zíj anders deed."
        ),
    )
    _progress(
        eline_goal_1,
        _at(day(42), 16, 20),
        coach,
        45,
        "Notitie aan de teamleider voorgelegd; het voorstel voor gesprekken met "
        "ervaringsdeskundigen is overgenomen.",
    )
    _progress(eline_goal_2, _at(day(42), 16, 25), coach, 30, "Eerste notitie geschreven.")
    _session(
        t,
        _at(day(70), 9, 30),
        place=KAMER_2_14,
        booked=True,
        status=Status.HELD,
        preparation=(
            "Volgende maand is er bestuurlijk overleg over de nota. De wethouder wil versnellen; "
            "ik wil voorstellen om eerst de gesprekken met ervaringsdeskundigen af te ronden. "
            "Daar wil ik me samen op voorbereiden."
        ),
        summary=(
            "Voorbereiding op het bestuurlijk overleg met de wethouder. We oefenden de kern van "
            "haar boodschap in drie zinnen en bedachten welke vragen de wethouder kan stellen. "
            "Eline merkte dat ze rustiger wordt als ze vooraf weet waar haar grens ligt: de "
            "gesprekken met ervaringsdeskundigen moeten in de nota terugkomen, de datum mag "
            "schuiven.\n\n"
            "Afspraak: Eline stuurt haar notitie een week vooraf naar de bestuursadviseur."
        ),
        comment=(
            "Het overleg is goed gegaan. De wethouder vond de gesprekken met "
            "ervaringsdeskundigen juist een sterk punt richting de raad. De notitie vooraf "
            "heeft veel geholpen."
        ),
    )
    _progress(
        eline_goal_2,
        _at(day(72), 11, 0),
        eline,
        70,
        "Twee keer gedaan; de tweede notitie ging rechtstreeks naar de wethouder.",
    )
    final = _session(
        t,
        _at(day(98), 13, 0),
        place=ONLINE_JEROEN,
        booked=True,
        status=Status.HELD,
        summary=(
            "Laatste gesprek en evaluatie. We keken terug op haar leervraag en doelen. Eline "
            "zegt nu vaker in het overleg zelf wat ze ervan vindt, en haar notitie van één A4 "
            "is een vaste werkwijze geworden die ook collega's gebruiken. Bij bestuurders vindt "
            "ze het nog spannend, maar ze weet hoe ze zich voorbereidt.\n\n"
            "Wat ze meeneemt: bezwaar maken is geen dwarsliggen, maar bijdragen aan een beter "
            "besluit. Ze spreekt met haar teamleider af dat ze elk kwartaal samen terugkijken."
        ),
    )
    _progress(
        eline_goal_1,
        final.ends_at + timedelta(minutes=30),
        eline,
        90,
        "Het lukt me nu meestal in het overleg zelf. Bij de wethouder vind ik het nog spannend.",
    )
    _progress(
        eline_goal_2,
        final.ends_at + timedelta(minutes=35),
        eline,
        100,
        "Vaste gewoonte geworden; collega's gebruiken mijn opzet nu ook.",
    )
    _move(
        t,
        State.COMPLETED,
        at=final.ends_at + timedelta(hours=3),
        by=coach,
        reason="Vier gesprekken gehouden en het traject samen geëvalueerd.",
    )


# --------------------------------------------------------------------------- Annemiek


def _thijs_running(*, thijs: User | None, coach: User, beheerder: User, today: date) -> None:
    """Intake and one session held, the next one booked."""

    def day(count: int) -> date:
        return _workdays(today, count)

    enrolment = _enrolment(thijs, RUNNING_COHORT, Enrolment.State.ENROLLED) if thijs else None
    t = _start(
        thijs,
        coach,
        by=beheerder,
        at=_at(day(-22), 9, 40),
        agreed_sessions=5,
        enrolment=enrolment,
        leervraag=(
            "Hoe blijf ik rustig en betrokken in gesprekken met boze of teleurgestelde inwoners, "
            "zonder me achter de regels te verschuilen en zonder toezeggingen te doen die ik "
            "niet kan waarmaken?"
        ),
    )
    if t is None:
        return
    _session(
        t,
        _at(day(-17), 9, 30),
        minutes=90,
        place=NIJMEGEN,
        status=Status.HELD,
        summary=(
            "Kennismaking en intake.\n\n"
            "Thijs is vergunningverlener bij de gemeente Nijmegen en volgt de leergang "
            "Omgevingsprofessional. Aanleiding: een reeks telefoongesprekken met een bewoner "
            "die boos was over de vergunning voor de uitbouw van zijn buren. Thijs merkte dat "
            "hij zich ging verdedigen met de regels en het gesprek kortaf beëindigde. Hij "
            "bracht dit ook al in bij zijn intervisiegroep.\n\n"
            "Afspraken: vijf gesprekken van een uur, de intake meegerekend, in Nijmegen of "
            "online. Thijs schrijft zijn leervraag en doelen uit in het portaal."
        ),
        note=(
            "Betrokken en eerlijk over zijn eigen aandeel. Reageert lichamelijk op kritiek: "
            "praat sneller, kruist de armen. Koppelt kritiek op een vergunning direct aan zijn "
            "eigen vakmanschap."
        ),
    )
    goal_1 = _goal(
        t,
        "In een lastig gesprek benoem ik eerst de zorg van de inwoner, en pas daarna de procedure.",
        [
            (
                _at(day(-16), 8, 45),
                thijs,
                20,
                "Het terugbelgesprek met de bewoner over de uitbouw ging al rustiger.",
            ),
        ],
    )
    goal_2 = _goal(
        t,
        "Ik merk op tijd dat een gesprek me te veel raakt, en las dan bewust een pauze in.",
        [],
    )
    held = _session(
        t,
        _at(day(-7), 16, 0),
        place=ONLINE_ANNEMIEK,
        booked=True,
        status=Status.HELD,
        summary=(
            "We keken naar het gesprek op locatie met de bewoner en een collega van bezwaar en "
            "beroep. Het begin ging goed: Thijs vroeg eerst naar de zorgen over schaduw en "
            "privacy. Toen de bewoner de gemeente partijdig noemde, schoot hij weer in de "
            "uitleg over de procedure. We speelden dat moment na en zochten een zin die erkent "
            "zonder toe te geven: 'Ik snap dat het zo voelt; laten we kijken wat er nog wél "
            "kan.'\n\n"
            "Afspraak: Thijs schrijft na elk lastig gesprek in twee zinnen op wat hij deed op "
            "het moment dat het spannend werd."
        ),
        comment=(
            "Die zin ga ik gebruiken. Ik merk wel dat het lastig is om hem te menen als iemand "
            "me persoonlijk aanvalt."
        ),
        note=(
            "Vooruitgang zichtbaar. Volgende keer oefenen met vertragen; misschien werken met "
            "een 'stoplicht' voor zijn eigen spanning."
        ),
    )
    _progress(
        goal_1,
        held.ends_at + timedelta(minutes=20),
        coach,
        45,
        "Lukt aan de telefoon; bij gesprekken op locatie valt hij nog terug op uitleg.",
    )
    _progress(
        goal_2,
        held.ends_at + timedelta(minutes=22),
        coach,
        25,
        "Eerste signalen benoemd: sneller praten, en het woord 'rechtmatig'.",
    )
    _session(t, _at(day(6), 9, 0), place=NIJMEGEN, booked=True)


def _karin_intake(*, karin: User | None, coach: User, hr: User, today: date) -> None:
    """Started by HR of Gemeente Nijmegen three days ago; nothing booked yet."""
    _start(
        karin,
        coach,
        by=hr,
        at=_at(_workdays(today, -3), 9, 20),
        agreed_sessions=4,
        leervraag=(
            "Ik ben van functie gewisseld en word teamleider van het team duurzaamheid, waar ik "
            "zelf adviseur was. Hoe vind ik mijn rol als leidinggevende van mijn oud-collega's, "
            "en hoe houd ik tijd over voor de inhoud?"
        ),
    )


def _kees_stopped(*, kees: User | None, coach: User, beheerder: User, today: date) -> None:
    """Two sessions held, one missed, then stopped; the session still planned was cancelled."""

    def day(count: int) -> date:
        return _workdays(today, count)

    t = _start(
        kees,
        coach,
        by=beheerder,
        at=_at(day(-62), 13, 10),
        agreed_sessions=6,
        leervraag=(
            "Hoe kan ik bij controles duidelijk zijn over de regels en tegelijk de samenwerking "
            "met ondernemers goed houden?"
        ),
    )
    if t is None:
        return
    _session(
        t,
        _at(day(-58), 8, 30),
        minutes=90,
        place=ONLINE_ANNEMIEK,
        status=Status.HELD,
        summary=(
            "Kennismaking en intake.\n\n"
            "Kees is toezichthouder milieu bij de Omgevingsdienst Regio Utrecht. Hij merkt dat "
            "controles bij ondernemers die hij al jaren kent soms te gemoedelijk worden, en "
            "dat het daarna lastig is om streng te zijn als het nodig is.\n\n"
            "Afspraken: zes gesprekken, de intake meegerekend, online op de vroege ochtend, "
            "zodat ze passen tussen zijn controles."
        ),
    )
    goal = _goal(
        t,
        "Ik sluit elk controlebezoek af met een heldere afspraak: wat de ondernemer doet, en "
        "wanneer ik terugkom.",
        [(_at(day(-57), 7, 50), kees, 10, "")],
    )
    held = _session(
        t,
        _at(day(-48), 8, 30),
        place=ONLINE_ANNEMIEK,
        booked=True,
        status=Status.HELD,
        summary=(
            "We bespraken twee controles van de afgelopen weken. Bij de eerste maakte Kees aan "
            "het eind een duidelijke afspraak met een termijn; bij de tweede liet hij het bij "
            "'we houden contact'. We oefenden hoe hij het gesprek afsluit: samenvatten, de "
            "afspraak noemen en de datum van het hercontrole noemen.\n\n"
            "Afspraak: Kees probeert dit bij de komende drie controles."
        ),
        note="Weinig tijd en veel onrust door de reorganisatie; hij keek vaak op zijn telefoon.",
    )
    _progress(goal, held.ends_at + timedelta(minutes=15), coach, 30, "Bij één van twee gelukt.")
    missed = _session(
        t,
        _at(day(-38), 8, 30),
        place=ONLINE_ANNEMIEK,
        booked=True,
        status=Status.NO_SHOW,
        note=(
            "Niet verschenen en niet afgemeld. 's Middags belde hij terug: een spoedcontrole bij "
            "een bedrijf met een lekkende opslagtank. Hij twijfelt of hij nu tijd heeft voor "
            "coaching."
        ),
    )
    stop_at = _at(_workdays(timezone.localdate(missed.starts_at), 2), 11, 45)
    # The trajectory stops: what was still planned is cancelled at the same moment.
    _session(
        t,
        _at(day(-30), 8, 30),
        place=ONLINE_ANNEMIEK,
        status=Status.CANCELLED,
        cancelled_by=coach,
        cancelled_at=stop_at,
    )
    _move(
        t,
        State.STOPPED,
        at=stop_at,
        by=coach,
        reason=(
            "Kees stopt op eigen verzoek. Door de reorganisatie bij de omgevingsdienst en veel "
            "spoedzaken heeft hij nu geen ruimte voor de gesprekken. Hij kan zich later opnieuw "
            "aanmelden via het programmabureau."
        ),
    )


# --------------------------------------------------------------------------- entry point


def load(*, command) -> None:
    """Create (once) the coaching demo data; called by `python manage.py demo`."""
    today = timezone.localdate()
    people = {
        u.email: u
        for u in User.objects.filter(
            email__in=[
                "esther.boersma@utrecht.example",
                "eline.vos@nijmegen.example",
                "thijs.verhoeven@nijmegen.example",
                "karin.bosman@nijmegen.example",
                "kees.brouwer@odru.example",
            ]
        )
    }
    jeroen = User.objects.get(email=COACH_EMAIL)
    annemiek = User.objects.get(email=SECOND_COACH_EMAIL)
    beheerder = User.objects.get(email=BEHEERDER_EMAIL)
    for coach in (jeroen, annemiek):
        _publish(coach, FREE_MOMENTS[coach.email], today)

    _sanne_running(
        sanne=User.objects.get(email=PARTICIPANT_EMAIL),
        coach=jeroen,
        beheerder=beheerder,
        today=today,
    )
    _esther_intake(
        esther=people.get("esther.boersma@utrecht.example"),
        coach=jeroen,
        hr=User.objects.get(email=HR_UTRECHT_EMAIL),
        today=today,
    )
    _eline_completed(
        eline=people.get("eline.vos@nijmegen.example"),
        coach=jeroen,
        beheerder=beheerder,
        today=today,
    )
    _thijs_running(
        thijs=people.get("thijs.verhoeven@nijmegen.example"),
        coach=annemiek,
        beheerder=beheerder,
        today=today,
    )
    _karin_intake(
        karin=people.get("karin.bosman@nijmegen.example"),
        coach=annemiek,
        hr=User.objects.get(email=HR_NIJMEGEN_EMAIL),
        today=today,
    )
    _kees_stopped(
        kees=people.get("kees.brouwer@odru.example"),
        coach=annemiek,
        beheerder=beheerder,
        today=today,
    )

    trajectories = Trajectory.objects.order_by()
    states = dict(trajectories.values_list("state").annotate(count=Count("pk")))
    command.stdout.write(
        f"Coaching: {trajectories.count()} trajecten bij "
        f"{trajectories.values('coach').distinct().count()} coaches "
        f"({states.get(State.INTAKE, 0)} intake, {states.get(State.RUNNING, 0)} lopend, "
        f"{states.get(State.COMPLETED, 0)} afgerond, {states.get(State.STOPPED, 0)} gestopt), "
        f"{CoachingSession.objects.count()} sessies, {free_slots().count()} vrije momenten."
    )
