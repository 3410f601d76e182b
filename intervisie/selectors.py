"""Reads that the intervisie pages need, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from intervisie.models import Group, Membership, Poll, Session, SessionAttendance, Slot, Vote
from intervisie.permissions import led_groups
from leergang.models import SEAT_STATES, Cohort, Enrolment, subquery_count
from portal import access
from portal.models import User


def group_members(group: Group):
    """The people in a group who still hold a seat in its cohort, by name."""
    return User.objects.filter(
        enrolments__intervisie_membership__group=group, enrolments__state__in=SEAT_STATES
    ).order_by("last_name", "first_name")


MEMBERS = Prefetch(
    "memberships",
    queryset=Membership.objects.filter(enrolment__state__in=SEAT_STATES).select_related(
        "enrolment__participant__organisation"
    ),
)


def _sessions(group: Group):
    now = timezone.now()
    sessions = list(group.sessions.all())
    cancelled = Session.Status.CANCELLED
    return {
        "upcoming": [s for s in sessions if s.ends_at >= now and s.status != cancelled],
        "past": [s for s in reversed(sessions) if s.ends_at < now or s.status == cancelled],
    }


def _a_member(user) -> Exists:
    """The groups the person is a member of (led ones aside), as EXISTS: no row twice."""
    return Exists(Membership.objects.filter(group=OuterRef("pk"), enrolment__participant=user))


def member_groups(user):
    """The person's groups with members, sessions and open polls (with their own answers)."""
    groups = list(
        access.visible(user, Group)
        .filter(_a_member(user))
        .select_related("cohort__leergang", "begeleider")
        .prefetch_related(
            MEMBERS,
            Prefetch("sessions", queryset=Session.objects.select_related("method", "case_bringer")),
            Prefetch(
                "polls",
                queryset=Poll.objects.filter(closed_at=None, closes_at__gt=timezone.now()),
                to_attr="open_polls",
            ),
        )
    )
    answered = set(
        Vote.objects.filter(voter=user, slot__poll__group__in=groups).values_list(
            "slot__poll_id", flat=True
        )
    )
    return [
        {
            "group": group,
            **_sessions(group),
            "open_polls": group.open_polls,
            "unanswered": [p for p in group.open_polls if p.pk not in answered],
        }
        for group in groups
    ]


def member_panel(user):
    """The home panel: per group its next sessions and the open polls the person has not
    answered yet, in three queries; no members and no session content."""
    now = timezone.now()
    answered = Vote.objects.filter(voter=user, slot__poll=OuterRef("pk"))
    groups = (
        access.visible(user, Group)
        .filter(_a_member(user))
        .select_related("cohort__leergang")
        # What the panel names: not the leergang's and cohort's long texts.
        .only("pk", "name", "cohort__leergang__title")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(ends_at__gte=now)
                .exclude(status=Session.Status.CANCELLED)
                .only("pk", "group_id", "starts_at", "ends_at", "status"),
                to_attr="upcoming",
            ),
            Prefetch(
                "polls",
                queryset=Poll.objects.filter(closed_at=None, closes_at__gt=now)
                .exclude(Exists(answered))
                .only("pk", "group_id", "title"),
                to_attr="unanswered",
            ),
        )
    )
    return [
        {"group": group, "upcoming": group.upcoming, "unanswered": group.unanswered}
        for group in groups
    ]


def trainer_cohorts(user):
    """Cohorts the trainer trains, each with the groups they lead and their numbers."""
    # One count subquery each: COUNT(DISTINCT) over three joins multiplied members by
    # polls by sessions before counting.
    group = OuterRef("pk")
    groups = led_groups(user).annotate(
        member_count=subquery_count(Membership.objects.filter(group=group)),
        open_poll_count=subquery_count(
            Poll.objects.filter(group=group, closed_at=None, closes_at__gt=timezone.now())
        ),
        session_count=subquery_count(Session.objects.filter(group=group)),
    )
    return (
        Cohort.objects.filter(trainers=user)
        .select_related("leergang")
        .order_by("-starts_on")
        .prefetch_related(Prefetch("intervisie_groups", queryset=groups, to_attr="my_groups"))
    )


def trainer_cohorts_for_page(user):
    """``trainer_cohorts`` for the paginated overview: running and upcoming cohorts first
    (soonest start first), then the finished ones (last to finish first)."""
    finished = Q(ends_on__lt=timezone.localdate())
    return trainer_cohorts(user).order_by(
        Case(When(finished, then=Value(1)), default=Value(0)),
        Case(When(finished, then=F("ends_on"))).desc(nulls_last=True),
        "starts_on",
        "pk",
    )


def cohort_groups(cohort: Cohort):
    """The groups of a cohort for its trainer, and who is not in a group yet."""
    groups = list(
        cohort.intervisie_groups.select_related("begeleider").prefetch_related(
            MEMBERS,
            Prefetch("polls", queryset=Poll.objects.order_by("-created_at")),
            Prefetch("sessions", queryset=Session.objects.select_related("case_bringer")),
        )
    )
    placed = {m.enrolment_id for g in groups for m in g.memberships.all()}
    unplaced = [
        e
        for e in cohort.enrolments.filter(state__in=SEAT_STATES)
        .select_related("participant__organisation")
        .order_by("participant__last_name")
        if e.pk not in placed
    ]
    return {"groups": groups, "unplaced": unplaced}


@dataclass
class PollMatrix:
    poll: Poll
    slots: list[Slot]
    rows: list[tuple]  # (member, [Vote.Answer or None per slot])
    totals: list[dict]  # per slot: yes, maybe, no, missing, score
    best: Slot | None
    missing: list  # members who answered nothing


def poll_matrix(poll: Poll) -> PollMatrix:
    slots = list(poll.slots.all())
    members = [
        m.enrolment.participant
        for m in Membership.objects.filter(
            group=poll.group, enrolment__state__in=SEAT_STATES
        ).select_related("enrolment__participant")
    ]
    answers = {
        (v.voter_id, v.slot_id): Vote.Answer(v.answer) for v in Vote.objects.filter(slot__poll=poll)
    }
    rows = [(member, [answers.get((member.pk, s.pk)) for s in slots]) for member in members]
    totals = []
    for index, _slot in enumerate(slots):
        column = [row[1][index] for row in rows]
        yes, maybe, no = (
            column.count(a) for a in (Vote.Answer.YES, Vote.Answer.MAYBE, Vote.Answer.NO)
        )
        # Most people who can come; "if need be" counts half.
        totals.append(
            {
                "yes": yes,
                "maybe": maybe,
                "no": no,
                "missing": column.count(None),
                "score": 2 * yes + maybe,
            }
        )
    best = None
    if slots and any(t["yes"] + t["maybe"] for t in totals):
        best = max(zip(slots, totals, strict=True), key=lambda pair: pair[1]["score"])[0]
    missing = [member for member, row in rows if not any(row)]
    return PollMatrix(poll, slots, rows, totals, best, missing)


def my_answers(poll: Poll, user) -> dict[int, str]:
    return dict(Vote.objects.filter(slot__poll=poll, voter=user).values_list("slot_id", "answer"))


def case_turns(group: Group) -> list[tuple]:
    """Per member: the sessions in which they brought a case, so turns stay fair."""
    turns = defaultdict(list)
    for session in group.sessions.exclude(case_bringer=None).order_by("starts_at"):
        turns[session.case_bringer_id].append(session)
    members = [m.enrolment.participant for m in group.memberships.all()]
    return sorted(((m, turns.get(m.pk, [])) for m in members), key=lambda pair: len(pair[1]))


def session_attendance(session: Session) -> dict[int, SessionAttendance]:
    return {a.participant_id: a for a in session.attendances.all()}


def attendance_counts(users) -> dict[int, tuple[int, int]]:
    """For HR: per person, sessions attended out of sessions held (counts only, no content)."""
    ids = [u.pk for u in users]
    held = dict(
        Enrolment.objects.filter(participant_id__in=ids, state__in=SEAT_STATES)
        .values("participant_id")
        .annotate(
            held=Count(
                "intervisie_membership__group__sessions",
                filter=Q(intervisie_membership__group__sessions__status=Session.Status.HELD),
            )
        )
        .values_list("participant_id", "held")
    )
    attended = dict(
        SessionAttendance.objects.filter(
            participant_id__in=ids,
            status=SessionAttendance.Status.PRESENT,
            session__status=Session.Status.HELD,
        )
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
    )
    return {pk: (attended.get(pk, 0), held.get(pk, 0)) for pk in ids}
