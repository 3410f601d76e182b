"""Reads that the coaching pages need, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from coaching.models import (
    COUNTED,
    OPEN_STATES,
    USED,
    AvailabilitySlot,
    CoachingSession,
    Goal,
    GoalUpdate,
    PrivateNote,
    Trajectory,
    TrajectoryTransition,
)
from coaching.permissions import managed_trajectories
from leergang.models import Reflection, subquery_count
from portal import access
from portal.models import Role, User, full_name

# Sessions held, missed or planned: what the agreed number limits ("3 of 6 used or planned").
BOOKED = Count("sessions", filter=Q(sessions__status__in=COUNTED))
# Sessions held or missed: what HR and the programme office count as used ("2 of 6").
SPENT = Count("sessions", filter=Q(sessions__status__in=USED))


def free_slots():
    """Future moments nobody booked and the coach has not filled with a planned session."""
    clash = CoachingSession.objects.filter(
        trajectory__coach=OuterRef("coach"),
        status=CoachingSession.Status.PLANNED,
        starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"),
    )
    return (
        AvailabilitySlot.objects.filter(session=None, starts_at__gt=timezone.now())
        .exclude(Exists(clash))
        .order_by("starts_at")
    )


def has_coaching_page(user) -> bool:
    """Whether the menu shows "Coaching": every coach, and a participant with a trajectory
    (open or ended: its history and summaries stay theirs to read). One EXISTS query, and
    only for people who are no coach."""
    if user.has_role(Role.COACH):
        return True
    return Trajectory.objects.filter(participant=user).exists()


def participant_trajectories(user):
    """The person's trajectories with sessions, goals and their coach's free moments."""
    return list(
        Trajectory.objects.filter(participant=user)
        .select_related("coach")
        .annotate(used=BOOKED)
        .prefetch_related(
            "goals",
            Prefetch("sessions", queryset=CoachingSession.objects.order_by("starts_at")),
            Prefetch("coach__coaching_slots", queryset=free_slots(), to_attr="free_slots"),
        )
    )


def participant_panel_trajectories(user):
    """The home panel: each trajectory's coach and sessions booked out of agreed, in one
    query (the coaching page reads sessions, goals and free moments)."""
    return list(
        Trajectory.objects.filter(participant=user).select_related("coach").annotate(used=BOOKED)
    )


def coach_trajectories(user):
    """A coach's coachees with sessions used out of agreed and the next session."""
    now = timezone.now()
    return list(
        Trajectory.objects.filter(coach=user)
        .select_related("participant__organisation")
        .annotate(used=BOOKED)
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.filter(
                    status=CoachingSession.Status.PLANNED, ends_at__gte=now
                ).order_by("starts_at"),
                to_attr="upcoming",
            ),
        )
        .order_by(
            # Open trajectories first, then the ended ones.
            Case(
                When(state__in=OPEN_STATES, then=Value(0)),
                default=Value(1),
            ),
            "participant__last_name",
        )
    )


def coach_slots(user):
    return (
        AvailabilitySlot.objects.filter(coach=user, ends_at__gte=timezone.now())
        .select_related("session__trajectory__participant")
        .order_by("starts_at")
    )


def trajectory_page(trajectory_pk: int, user):
    """One trajectory for its participant or coach, with everything its page shows.

    The coach's private notes come along only for that coach.
    """
    sessions = (
        CoachingSession.objects.order_by("starts_at")
        .select_related("cancelled_by")
        .prefetch_related(
            # Through the access policy: for anyone but the session's own coach this is empty.
            Prefetch(
                "private_notes", queryset=access.visible(user, PrivateNote), to_attr="my_notes"
            )
        )
    )
    return (
        Trajectory.objects.filter(pk=trajectory_pk)
        .select_related(
            "participant__organisation", "coach", "enrolment__cohort__leergang", "started_by"
        )
        .annotate(used=BOOKED)
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    Prefetch("updates", queryset=GoalUpdate.objects.select_related("by"))
                ),
            ),
            Prefetch("sessions", queryset=sessions),
            Prefetch("transitions", queryset=TrajectoryTransition.objects.select_related("by")),
            Prefetch("coach__coaching_slots", queryset=free_slots(), to_attr="free_slots"),
        )
    )


def shared_reflections(trajectory, user):
    """The leerlog entries the participant shares with their coach, for the trajectory page.

    Through the reflection policy: the coach gets them only while the trajectory is open;
    the participant sees what they share, so they know what their coach can read.
    """
    if not trajectory.is_open:
        return []
    return list(
        access.visible(user, Reflection)
        .filter(enrolment__participant_id=trajectory.participant_id, shared_with_coach=True)
        .select_related("module", "enrolment__cohort__leergang")
        .defer("text")
        .order_by("enrolment__cohort__starts_on", "module__title")
    )


def managed_list(user):
    """The frame of the trajectories a beheerder or HR may list: never their content."""
    return list(
        managed_trajectories(user)
        .select_related("participant__organisation", "coach")
        .annotate(
            used=SPENT,
            planned=Count("sessions", filter=Q(sessions__status=CoachingSession.Status.PLANNED)),
        )
        .order_by("participant__organisation__name", "participant__last_name", "-created_at")
    )


def _sessions_of(statuses):
    return subquery_count(
        CoachingSession.objects.filter(trajectory=OuterRef("pk"), status__in=statuses)
    )


def managed_for_page(user):
    """``managed_list`` for the paginated page, as values: sessions counted per row in a
    subquery (cheap to page through), open trajectories first, then the newest. (Sorting
    every trajectory by organisation and name joined all the people first: 6.5 ms for a
    thousand trajectories; the organisation filter and the columns sort so.)
    ``managed_table`` names the people of a page."""
    return (
        managed_trajectories(user)
        .annotate(
            used=_sessions_of(USED),
            planned=_sessions_of([CoachingSession.Status.PLANNED]),
        )
        .order_by(
            Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1)),
            "-created_at",
            "-pk",
        )
        .values(
            "participant_id",
            "coach_id",
            "state",
            "agreed_sessions",
            "funded_by",
            "created_at",
            "used",
            "planned",
        )
    )


@dataclass(frozen=True)
class ManagedRow:
    """One line of the trajectories page, its texts ready."""

    participant: str
    organisation: str
    coach: str
    state: str
    used: str
    planned: int
    funded_by: str
    started: datetime.date


def managed_table(trajectories) -> list[ManagedRow]:
    """The lines of a page of ``managed_for_page``, its people read apart in one query
    (joined, PostgreSQL would join every trajectory to its people before choosing the
    fifty) and written here once per page rather than by a template tag per cell (fifty
    lines of seven cells cost the template ~10 ms)."""
    trajectories = list(trajectories)
    people = {
        pk: (full_name(first_name, last_name), organisation or "")
        for pk, first_name, last_name, organisation in User.objects.filter(
            pk__in={row["participant_id"] for row in trajectories}
            | {row["coach_id"] for row in trajectories}
        ).values_list("pk", "first_name", "last_name", "organisation__name")
    }
    states = dict(Trajectory.State.choices)
    funding = dict(Trajectory.Funding.choices)
    used_of = gettext("%(used)s of %(agreed)s")
    lines = []
    for row in trajectories:
        participant, organisation = people[row["participant_id"]]
        lines.append(
            ManagedRow(
                participant=participant,
                organisation=organisation,
                coach=people[row["coach_id"]][0],
                state=str(states.get(row["state"], row["state"])),
                used=used_of % {"used": row["used"], "agreed": row["agreed_sessions"]},
                planned=row["planned"],
                funded_by=str(funding.get(row["funded_by"], row["funded_by"])),
                started=timezone.localdate(row["created_at"]),
            )
        )
    return lines


def coachees_for_page(user):
    """``coach_trajectories`` as a queryset to page through: open trajectories first."""
    now = timezone.now()
    return (
        Trajectory.objects.filter(coach=user)
        .select_related("participant__organisation")
        .annotate(used=_sessions_of(COUNTED))
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.filter(
                    status=CoachingSession.Status.PLANNED, ends_at__gte=now
                ).order_by("starts_at"),
                to_attr="upcoming",
            ),
        )
        .order_by(
            Case(When(state__in=OPEN_STATES, then=Value(0)), default=Value(1)),
            "participant__last_name",
            "pk",
        )
    )


def coach_upcoming_sessions(user, limit: int = 5):
    """The coach's next planned sessions, soonest first."""
    return list(
        CoachingSession.objects.filter(
            trajectory__coach=user,
            status=CoachingSession.Status.PLANNED,
            ends_at__gte=timezone.now(),
        )
        .select_related("trajectory__participant")
        .order_by("starts_at")[:limit]
    )
