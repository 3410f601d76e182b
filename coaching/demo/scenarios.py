"""Plays the coaching stories through the services, each step at its own moment.

A story becomes a list of steps (a moment and a service call), sorted by moment and run
inside ``backdated(moment)``: the services check their rules as they were then and stamp
that time. What follows from a step is the services' business, not the demo's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial

from coaching import services
from coaching.demo.content import COACH, Session, Story
from coaching.models import AvailabilitySlot, CoachingSession, Trajectory
from leergang.models import Enrolment
from portal.demo import at, backdated, workday
from portal.models import User

Status = CoachingSession.Status
Step = tuple[datetime, Callable[[], object]]
# After a session: the coach marks it, writes the summary, then the private note.
MARKED, SUMMARISED, NOTED = (timedelta(minutes=m) for m in (5, 10, 12))
# The next session is arranged half an hour after the previous one (or the start).
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


def publish_free_moments(coach: User, moments, today: date) -> None:
    """The coach's free moments, published once: a coach with any moment keeps them."""
    if AvailabilitySlot.objects.filter(coach=coach).exists():
        return
    for ahead, hour, minute, where in moments:
        starts_at = at(workdays(today, ahead), hour, minute)
        services.slot_publish(
            coach=coach, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), **place(where)
        )


def play(story: Story, today: date) -> Trajectory | None:
    """Tell the story once: nothing when its trajectory (participant, coach) exists."""
    participant = User.objects.filter(email=story.participant).first()
    coach = User.objects.get(email=story.coach)
    if (
        participant is None
        or Trajectory.objects.filter(participant=participant, coach=coach).exists()
    ):
        return None
    run = _Run(story, participant, coach, today)
    for moment, step in sorted(run.steps(), key=lambda step: step[0]):
        with backdated(moment):
            step()
    return run.trajectory


class _Run:
    """One story being told: the steps, and the rows they made so far."""

    def __init__(self, story: Story, participant: User, coach: User, today: date):
        self.story, self.participant, self.coach = story, participant, coach
        self.enrolment = None
        if story.cohort is not None:
            slug, name = story.cohort
            self.enrolment = (
                Enrolment.objects.filter(
                    participant=participant, cohort__leergang__slug=slug, cohort__name=name
                )
                .select_related("cohort")
                .first()
            )
        self.today = today
        self.cohort_start = (
            self.enrolment.cohort.starts_on if self.enrolment else today - timedelta(days=200)
        )
        self.trajectory: Trajectory | None = None
        self.goals = []
        self.sessions: dict[int, CoachingSession] = {}

    def moment(self, when: tuple[int, int, int]) -> datetime:
        day, hour, minute = when
        if self.story.from_cohort_start:
            return at(workday(self.cohort_start + timedelta(days=day)), hour, minute)
        return at(workdays(self.today, day), hour, minute)

    def person(self, who: str) -> User:
        return self.coach if who == COACH else self.participant

    def steps(self) -> Iterator[Step]:
        story = self.story
        started = self.moment(story.started)
        yield started, self.start
        if story.written is not None:
            yield self.moment(story.written), self.write
        for number, goal in enumerate(story.goals):
            for when, who, progress, note in goal.updates:
                yield self.moment(when), partial(self.update_goal, number, who, progress, note)
        arranged = started
        for number, session in enumerate(story.sessions):
            starts_at = self.moment(session.at)
            ends_at = starts_at + timedelta(minutes=session.minutes)
            yield from self.session_steps(number, session, arranged + ARRANGED, starts_at, ends_at)
            arranged = ends_at
        if story.ending is not None:
            when, state, reason = story.ending
            yield self.moment(when), partial(self.end, state, reason)

    def session_steps(
        self, number: int, session: Session, arranged: datetime, starts_at, ends_at
    ) -> Iterator[Step]:
        yield arranged, partial(self.arrange, number, session, starts_at, ends_at)
        if session.cancelled is not None:
            yield self.moment(session.cancelled), partial(self.cancel, number)
        if session.outcome in {Status.HELD, Status.NO_SHOW}:
            yield ends_at + MARKED, partial(self.mark, number, session.outcome)
        if session.summary:
            yield ends_at + SUMMARISED, partial(self.summarise, number, session.summary)
        if session.note:
            yield ends_at + NOTED, partial(self.note, number, session.note)
        if session.comment:
            yield ends_at + COMMENTED, partial(self.comment, number, session)

    # The steps: each one service call.

    def start(self) -> None:
        self.trajectory = services.trajectory_start(
            participant=self.participant,
            coach=self.coach,
            agreed_sessions=self.story.agreed_sessions,
            by=User.objects.get(email=self.story.started_by),
            enrolment=self.enrolment,
        )

    def write(self) -> None:
        """The participant words the leervraag and adds the goals."""
        story = self.story
        services.leervraag_set(
            trajectory=self.trajectory, text=story.leervraag, by=self.participant
        )
        self.goals = [
            services.goal_add(
                trajectory=self.trajectory, description=goal.description, by=self.participant
            )
            for goal in story.goals
        ]

    def update_goal(self, number: int, who: str, progress: int, note: str) -> None:
        services.goal_update(
            goal=self.goals[number], progress=progress, note=note, by=self.person(who)
        )

    def arrange(self, number: int, session: Session, starts_at, ends_at) -> None:
        """Booked from a moment the coach offers, or planned by the coach."""
        if session.booked:
            slot = services.slot_publish(
                coach=self.coach, starts_at=starts_at, ends_at=ends_at, **place(session.place)
            )
            made = services.session_book(trajectory=self.trajectory, slot=slot, by=self.participant)
        else:
            made = services.session_plan(
                trajectory=self.trajectory,
                starts_at=starts_at,
                ends_at=ends_at,
                **place(session.place),
            )
        if session.preparation:
            services.session_participant_text_set(
                session=made,
                preparation=session.preparation,
                participant_comment="",
                by=self.participant,
            )
        self.sessions[number] = made

    def cancel(self, number: int) -> None:
        services.session_cancel(session=self.sessions[number], by=self.participant)

    def mark(self, number: int, status: str) -> None:
        services.session_mark(session=self.sessions[number], status=status, by=self.coach)

    def summarise(self, number: int, summary: str) -> None:
        services.session_summary_set(session=self.sessions[number], summary=summary, by=self.coach)

    def note(self, number: int, text: str) -> None:
        services.private_note_add(session=self.sessions[number], coach=self.coach, text=text)

    def comment(self, number: int, session: Session) -> None:
        services.session_participant_text_set(
            session=self.sessions[number],
            preparation=session.preparation,
            participant_comment=session.comment,
            by=self.participant,
        )

    def end(self, state: str, reason: str) -> None:
        """Completed or stopped by the coach; the service cancels what is still planned."""
        services.trajectory_transition(
            trajectory=self.trajectory, to_state=state, by=self.coach, reason=reason
        )
