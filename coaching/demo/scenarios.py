"""When things happened in the coaching demo, and one loop that plays it through the services.

A story becomes a list of steps (a moment and a service call), sorted by moment and run
inside ``backdated(moment)``: the services check their rules as they were then and stamp
that time. What follows from a step is the services' business (a held intake makes the
trajectory running, an ending cancels what is still planned), not the demo's.

A moment is ``(day, hour, minute)``: workdays from today, or for a story in
``FROM_COHORT_START`` workdays from the start of its cohort.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from itertools import cycle
from typing import NamedTuple

from coaching import services
from coaching.demo import content
from coaching.demo.content import ELINE, ESTHER, KARIN, KEES, SANNE, THIJS
from coaching.models import AvailabilitySlot, CoachingSession, Trajectory
from leergang.models import Enrolment
from portal.demo import (
    BEHEERDER_EMAIL,
    COACH_EMAIL,
    HR_NIJMEGEN_EMAIL,
    HR_UTRECHT_EMAIL,
    SECOND_COACH_EMAIL,
    at,
    backdated,
)
from portal.models import User

Moment = tuple[int, int, int]
Step = tuple[datetime, Callable[[], object]]
State = Trajectory.State
HELD, NO_SHOW = CoachingSession.Status.HELD, CoachingSession.Status.NO_SHOW
PARTICIPANT, COACH = "participant", "coach"
BOOKED, BY_COACH = True, False  # booked from a moment the coach offered, or planned by the coach
JEROEN, ANNEMIEK = COACH_EMAIL, SECOND_COACH_EMAIL

# (leergang slug, cohort name) of the leergang demo's cohorts.
RUNNING_COHORT = ("omgevingsprofessional", "Open uitvoering Midden-Nederland")
FINISHED_COHORT = ("professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht")

KAMER_2_14 = "Academie, Utrecht – kamer 2.14"
KAMER_2_16 = "Academie, Utrecht – kamer 2.16"
NIJMEGEN = "Nijmegen, Huis van de Stad – spreekkamer 0.12"
ONLINE_JEROEN = "https://meet.example.org/coaching-jeroen-visser"
ONLINE_ANNEMIEK = "https://meet.example.org/coaching-annemiek-van-der-linden"

# The free moments each coach offers, an hour each at their places in turn:
# (workdays from today, hour, minute).
FREE_MOMENTS = {
    JEROEN: [(2, 9, 0), (3, 11, 0), (6, 14, 0), (8, 9, 30), (10, 13, 0), (13, 15, 0)],
    ANNEMIEK: [(1, 16, 0), (4, 9, 0), (5, 13, 30), (9, 10, 0), (11, 14, 0), (14, 11, 0)],
}
FREE_MOMENT_PLACES = {
    JEROEN: [KAMER_2_14, ONLINE_JEROEN],
    ANNEMIEK: [ONLINE_ANNEMIEK, NIJMEGEN, KAMER_2_16],
}


class Start(NamedTuple):
    """Who starts the trajectory and when; the participant writes leervraag and goals at
    ``written``."""

    coach: str
    by: str
    at: Moment
    agreed_sessions: int
    cohort: tuple[str, str] | None = None
    written: Moment | None = None


class Session(NamedTuple):
    """Arranged half an hour after the previous session ended (the first: after the start);
    ``outcome`` (held, no-show, or None: still planned) is marked just after it ends."""

    at: Moment
    minutes: int
    place: str
    booked: bool
    outcome: str | None


STARTS = {
    SANNE: Start(JEROEN, BEHEERDER_EMAIL, (-24, 10, 15), 6, RUNNING_COHORT, (-19, 20, 0)),
    ESTHER: Start(JEROEN, HR_UTRECHT_EMAIL, (-6, 11, 5), 4),
    ELINE: Start(JEROEN, BEHEERDER_EMAIL, (6, 14, 30), 4, FINISHED_COHORT, (10, 19, 0)),
    THIJS: Start(ANNEMIEK, BEHEERDER_EMAIL, (-22, 9, 40), 5, RUNNING_COHORT, (-17, 20, 0)),
    KARIN: Start(ANNEMIEK, HR_NIJMEGEN_EMAIL, (-3, 9, 20), 4, None, (-2, 19, 45)),
    KEES: Start(ANNEMIEK, BEHEERDER_EMAIL, (-62, 13, 10), 6, None, (-58, 19, 0)),
}
FROM_COHORT_START = {ELINE}

SESSIONS = {
    SANNE: [
        Session((-20, 13, 30), 90, KAMER_2_14, BY_COACH, HELD),
        Session((-11, 10, 0), 60, ONLINE_JEROEN, BOOKED, HELD),
        Session((-4, 14, 0), 60, KAMER_2_14, BY_COACH, None),
        Session((4, 10, 0), 60, KAMER_2_14, BOOKED, None),
    ],
    # Tomorrow (the next workday): with `make run` its reminders go out while you look.
    ESTHER: [Session((1, 15, 30), 90, KAMER_2_14, BY_COACH, None)],
    ELINE: [
        Session((10, 10, 0), 90, KAMER_2_14, BY_COACH, HELD),
        Session((30, 15, 0), 60, ONLINE_JEROEN, BOOKED, HELD),
        Session((50, 9, 30), 60, KAMER_2_14, BOOKED, HELD),
        Session((70, 13, 0), 60, ONLINE_JEROEN, BOOKED, HELD),
    ],
    THIJS: [
        Session((-17, 9, 30), 90, NIJMEGEN, BY_COACH, HELD),
        Session((-7, 16, 0), 60, ONLINE_ANNEMIEK, BOOKED, HELD),
        Session((6, 9, 0), 60, NIJMEGEN, BOOKED, None),
    ],
    KEES: [
        Session((-58, 8, 30), 90, ONLINE_ANNEMIEK, BY_COACH, HELD),
        Session((-48, 8, 30), 60, ONLINE_ANNEMIEK, BOOKED, HELD),
        Session((-38, 8, 30), 60, ONLINE_ANNEMIEK, BOOKED, NO_SHOW),
        Session((-30, 8, 30), 60, ONLINE_ANNEMIEK, BY_COACH, None),
    ],
}

# The participant cancels a planned session: (session number, moment).
CANCELLATIONS = {SANNE: [(3, (-5, 16, 40))]}

# Goal progress: (moment, goal number, by whom, progress %); the note is in content.
PROGRESS = {
    SANNE: [
        ((-19, 20, 10), 1, PARTICIPANT, 20),
        ((-19, 20, 15), 3, PARTICIPANT, 10),
        ((-11, 11, 20), 1, COACH, 40),
        ((-11, 11, 25), 2, COACH, 30),
        ((-11, 11, 30), 3, COACH, 20),
        ((-7, 17, 35), 1, PARTICIPANT, 55),
        ((-6, 9, 5), 2, PARTICIPANT, 50),
    ],
    ELINE: [
        ((11, 9, 0), 1, PARTICIPANT, 10),
        ((30, 16, 20), 1, COACH, 45),
        ((30, 16, 25), 2, COACH, 30),
        ((52, 11, 0), 2, PARTICIPANT, 70),
        ((70, 14, 30), 1, PARTICIPANT, 90),
        ((70, 14, 35), 2, PARTICIPANT, 100),
    ],
    THIJS: [
        ((-16, 8, 45), 1, PARTICIPANT, 20),
        ((-7, 17, 20), 1, COACH, 45),
        ((-7, 17, 22), 2, COACH, 25),
    ],
    KEES: [((-57, 7, 50), 1, PARTICIPANT, 10), ((-48, 9, 45), 1, COACH, 30)],
}

# The coach ends the trajectory (why: content.ENDINGS); the service cancels what is planned.
ENDINGS = {ELINE: ((70, 17, 0), State.COMPLETED), KEES: ((-36, 11, 45), State.STOPPED)}

# After a session: the coach marks it, writes the summary, then the private note.
MARKED, SUMMARISED, NOTED = (timedelta(minutes=m) for m in (5, 10, 12))
ARRANGED = timedelta(minutes=30)
# The participant looks back on a session about a week later.
COMMENTED = timedelta(days=7)


def workdays(day: date, count: int) -> date:
    """The workday ``count`` workdays after ``day``, or before it when ``count`` is negative."""
    step = timedelta(days=1 if count > 0 else -1)
    left = abs(count)
    while left:
        day += step
        if day.weekday() < 5:
            left -= 1
    return day


def place(where: str) -> dict[str, str]:
    """An appointment's place: a room, or the coach's online meeting room."""
    if where.startswith("https://"):
        return {"location": "", "online_url": where}
    return {"location": where, "online_url": ""}


def publish_free_moments(today: date) -> None:
    """Each coach's free moments, published once: a coach with any moment keeps them."""
    for email, moments in FREE_MOMENTS.items():
        coach = User.objects.get(email=email)
        if AvailabilitySlot.objects.filter(coach=coach).exists():
            continue
        places = cycle(FREE_MOMENT_PLACES[email])
        for (ahead, hour, minute), where in zip(moments, places, strict=False):
            starts_at = at(workdays(today, ahead), hour, minute)
            ends_at = starts_at + timedelta(hours=1)
            services.slot_publish(coach=coach, starts_at=starts_at, ends_at=ends_at, **place(where))


def play(participant_email: str, today: date) -> Trajectory | None:
    """Tell one story once: nothing when its trajectory (participant, coach) exists."""
    start = STARTS[participant_email]
    participant = User.objects.filter(email=participant_email).first()
    coach = User.objects.get(email=start.coach)
    if (
        participant is None
        or Trajectory.objects.filter(participant=participant, coach=coach).exists()
    ):
        return None
    story = _Story(participant, coach, start, today)
    for moment, step in sorted(story.steps(), key=lambda step: step[0]):
        with backdated(moment):
            step()
    return story.trajectory


class _Story:
    """One story being told: its steps, and the rows they made so far."""

    def __init__(self, participant: User, coach: User, start: Start, today: date):
        self.participant, self.coach, self.start, self.today = participant, coach, start, today
        self.key = participant.email
        self.enrolment = None
        if start.cohort is not None:
            slug, name = start.cohort
            self.enrolment = (
                Enrolment.objects.filter(
                    participant=participant, cohort__leergang__slug=slug, cohort__name=name
                )
                .select_related("cohort")
                .first()
            )
        self.cohort_start = (
            self.enrolment.cohort.starts_on if self.enrolment else today - timedelta(days=200)
        )
        self.trajectory: Trajectory | None = None
        self.goals = []
        self.sessions: dict[int, CoachingSession] = {}

    def moment(self, when: Moment) -> datetime:
        day, hour, minute = when
        anchor = self.cohort_start if self.key in FROM_COHORT_START else self.today
        return at(workdays(anchor, day), hour, minute)

    def steps(self) -> Iterator[Step]:
        key = self.key
        arranged = self.moment(self.start.at)
        yield arranged, self.begin
        if self.start.written is not None:
            yield self.moment(self.start.written), self.write
        for when, goal, who, progress in PROGRESS.get(key, []):
            yield self.moment(when), partial(self.update_goal, goal, who, progress)
        for number, session in enumerate(SESSIONS.get(key, []), start=1):
            starts_at = self.moment(session.at)
            ends_at = starts_at + timedelta(minutes=session.minutes)
            yield from self.session_steps(number, session, arranged + ARRANGED, starts_at, ends_at)
            arranged = ends_at
        for number, when in CANCELLATIONS.get(key, []):
            yield self.moment(when), partial(self.cancel, number)
        if key in ENDINGS:
            when, state = ENDINGS[key]
            yield self.moment(when), partial(self.end, state)

    def session_steps(
        self, number: int, session: Session, arranged: datetime, starts_at, ends_at
    ) -> Iterator[Step]:
        yield arranged, partial(self.arrange, number, session, starts_at, ends_at)
        if session.outcome is not None:
            yield ends_at + MARKED, partial(self.mark, number, session.outcome)
        if (self.key, number) in content.SUMMARIES:
            yield ends_at + SUMMARISED, partial(self.summarise, number)
        if (self.key, number) in content.PRIVATE_NOTES:
            yield ends_at + NOTED, partial(self.note, number)
        if (self.key, number) in content.COMMENTS:
            yield ends_at + COMMENTED, partial(self.participant_text, number)

    # The steps: each one or two service calls.

    def begin(self) -> None:
        self.trajectory = services.trajectory_start(
            participant=self.participant,
            coach=self.coach,
            agreed_sessions=self.start.agreed_sessions,
            by=User.objects.get(email=self.start.by),
            enrolment=self.enrolment,
        )

    def write(self) -> None:
        """The participant words the leervraag and adds the goals."""
        services.leervraag_set(
            trajectory=self.trajectory, text=content.LEERVRAGEN[self.key], by=self.participant
        )
        self.goals = [
            services.goal_add(trajectory=self.trajectory, description=goal, by=self.participant)
            for goal in content.GOALS.get(self.key, [])
        ]

    def update_goal(self, goal: int, who: str, progress: int) -> None:
        services.goal_update(
            goal=self.goals[goal - 1],
            progress=progress,
            note=content.PROGRESS_NOTES.get((self.key, goal, progress), ""),
            by=self.coach if who == COACH else self.participant,
        )

    def arrange(self, number: int, session: Session, starts_at, ends_at) -> None:
        """Booked from a moment the coach offers, or planned by the coach."""
        where = place(session.place)
        if session.booked:
            slot = services.slot_publish(
                coach=self.coach, starts_at=starts_at, ends_at=ends_at, **where
            )
            made = services.session_book(trajectory=self.trajectory, slot=slot, by=self.participant)
        else:
            made = services.session_plan(
                trajectory=self.trajectory, starts_at=starts_at, ends_at=ends_at, **where
            )
        self.sessions[number] = made
        if (self.key, number) in content.PREPARATIONS:
            self.participant_text(number)

    def participant_text(self, number: int) -> None:
        services.session_participant_text_set(
            session=self.sessions[number],
            preparation=content.PREPARATIONS.get((self.key, number), ""),
            participant_comment=content.COMMENTS.get((self.key, number), ""),
            by=self.participant,
        )

    def cancel(self, number: int) -> None:
        services.session_cancel(session=self.sessions[number], by=self.participant)

    def mark(self, number: int, status: str) -> None:
        services.session_mark(session=self.sessions[number], status=status, by=self.coach)

    def summarise(self, number: int) -> None:
        summary = content.SUMMARIES[(self.key, number)]
        services.session_summary_set(session=self.sessions[number], summary=summary, by=self.coach)

    def note(self, number: int) -> None:
        text = content.PRIVATE_NOTES[(self.key, number)]
        services.private_note_add(session=self.sessions[number], coach=self.coach, text=text)

    def end(self, state: str) -> None:
        services.trajectory_transition(
            trajectory=self.trajectory,
            to_state=state,
            by=self.coach,
            reason=content.ENDINGS[self.key],
        )
