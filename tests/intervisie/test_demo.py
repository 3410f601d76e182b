"""`python manage.py demo` fills the intervisie app: what the pages show, idempotent, no e-mail.

The demo goes through the services, so these tests check what it shows, not the services'
rules again (their own tests do).
"""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from intervisie import selectors
from intervisie.demo.content import TRAINER_METHOD
from intervisie.models import (
    MAX_GROUP_SIZE,
    MIN_GROUP_SIZE,
    Group,
    Membership,
    Poll,
    Session,
    SessionAttendance,
    Slot,
    Vote,
)
from leergang.models import SEAT_STATES, Cohort, Enrolment, InsightsProfile
from portal.models import Notification, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

PARTICIPANT = "deelnemer@demo.example"
TRAINER = "trainer@demo.example"


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _snapshot():
    """What a second run must not move: dates, states and answers."""
    return {
        "sessions": list(
            Session.objects.order_by("pk").values_list(
                "pk", "group_id", "starts_at", "status", "case_bringer_id", "method_id"
            )
        ),
        "polls": list(
            Poll.objects.order_by("pk").values_list(
                "pk", "group_id", "closes_at", "closed_at", "chosen_slot_id", "created_at"
            )
        ),
        "slots": list(Slot.objects.order_by("pk").values_list("pk", "starts_at", "ends_at")),
        "votes": list(
            Vote.objects.order_by("pk").values_list("slot_id", "voter_id", "answer", "updated_at")
        ),
        "members": list(Membership.objects.order_by("pk").values_list("group_id", "enrolment_id")),
        "attendance": list(
            SessionAttendance.objects.order_by("pk").values_list(
                "session_id", "participant_id", "status", "recorded_at"
            )
        ),
        "profiles": list(
            InsightsProfile.objects.order_by("pk").values_list(
                "participant_id", "red", "yellow", "green", "blue", "updated_at"
            )
        ),
    }


def _running_cohort():
    return Cohort.objects.get(
        leergang__slug="omgevingsprofessional",
        enrolments__participant__email=PARTICIPANT,
        enrolments__state=Enrolment.State.ENROLLED,
    )


def _finished_cohort():
    return Cohort.objects.get(leergang__slug="professionaliseren-van-de-beleidsfunctie")


def test_running_demo_twice_changes_nothing():
    first, snapshot = _counts(), _snapshot()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert _counts() == first
    assert _snapshot() == snapshot
    assert first["intervisie.Group"] == 3
    assert first["intervisie.Session"] == 7
    assert "Intervisie:" in out.getvalue()


def test_the_demo_queues_no_intervisie_mail():
    assert not Notification.objects.filter(kind__startswith="intervisie_").exists()


def test_groups_of_the_running_cohort_mix_organisations():
    cohort = _running_cohort()
    groups = list(cohort.intervisie_groups.order_by("name"))
    assert [g.name for g in groups] == ["Groep 1", "Groep 2"]
    assert sorted(g.memberships.count() for g in groups) == [4, 5]
    # Every participant of the cohort is placed.
    assert Membership.objects.filter(group__cohort=cohort).count() == (
        cohort.enrolments.filter(state__in=SEAT_STATES).count()
    )
    for group in groups:
        organisations = Counter(
            group.memberships.values_list("enrolment__participant__organisation", flat=True)
        )
        assert 2 * max(organisations.values()) <= group.memberships.count()
    assert groups[0].memberships.filter(enrolment__participant__email=PARTICIPANT).exists()
    for group in Group.objects.annotate(size=Count("memberships")):
        assert MIN_GROUP_SIZE <= group.size <= MAX_GROUP_SIZE, group
        assert group.begeleider.email == TRAINER
        assert group.cohort.trainers.filter(pk=group.begeleider_id).exists()


def test_some_participants_have_an_insights_profile():
    cohort = _running_cohort()
    with_profile = InsightsProfile.objects.filter(participant__enrolments__cohort=cohort).count()
    assert 0 < with_profile < cohort.enrolments.count()


def test_the_demo_participant_has_an_open_poll_to_answer():
    sanne = User.objects.get(email=PARTICIPANT)
    now = timezone.now()
    group = _running_cohort().intervisie_groups.get(name="Groep 1")
    poll = group.polls.get(closed_at=None)
    assert poll.is_open and poll.title == "Volgende intervisie"
    assert now + timedelta(days=3) < poll.closes_at < now + timedelta(days=8)
    assert poll.slots.count() == 3
    assert not Vote.objects.filter(slot__poll=poll, voter=sanne).exists()
    answers = set(Vote.objects.filter(slot__poll=poll).values_list("answer", flat=True))
    assert answers == {"yes", "maybe", "no"}
    # What the participant's page shows.
    overview = next(o for o in selectors.member_groups(sanne) if o["group"] == group)
    assert overview["unanswered"] == [poll]


def test_the_demo_participant_has_held_and_planned_sessions():
    sanne = User.objects.get(email=PARTICIPANT)
    now = timezone.now()
    group = _running_cohort().intervisie_groups.get(name="Groep 1")
    held = list(group.sessions.filter(status=Session.Status.HELD))
    assert len(held) == 2
    assert len({s.case_bringer_id for s in held}) == 2
    for session in held:
        assert session.ends_at < now
        assert session.method and session.case_title and session.case_text
        assert session.notes and session.agreements
    planned = group.sessions.get(status=Session.Status.PLANNED)
    assert now + timedelta(days=10) < planned.starts_at < now + timedelta(days=21)
    local = timezone.localtime(planned.starts_at)
    assert (local.hour, local.minute) == (13, 30)
    assert timezone.localtime(planned.ends_at).hour == 16
    assert planned.case_bringer is None and not planned.attendances.exists()
    # The method the trainer added herself.
    assert planned.method.name == TRAINER_METHOD[0]
    assert planned.method.created_by.email == TRAINER
    # What the participant's page shows: the planned session ahead, the held ones behind.
    overview = next(o for o in selectors.member_groups(sanne) if o["group"] == group)
    assert overview["upcoming"] == [planned]
    assert set(overview["past"]) == set(held)


def test_held_sessions_show_who_was_there():
    now = timezone.now()
    statuses = Counter()
    for session in Session.objects.filter(status=Session.Status.HELD).select_related("group"):
        members = set(session.group.memberships.values_list("enrolment__participant_id", flat=True))
        attendance = {a.participant_id: a for a in session.attendances.all()}
        assert set(attendance) == members
        assert attendance[session.case_bringer_id].status == SessionAttendance.Status.PRESENT
        statuses.update(row.status for row in attendance.values())
    assert statuses["present"] > 5 * (statuses["excused"] + statuses["absent"])
    assert statuses["excused"] >= 2 and statuses["absent"] >= 1
    # Groep 2 met once, the finished cohort's group three times.
    groep_2 = _running_cohort().intervisie_groups.get(name="Groep 2")
    assert groep_2.sessions.filter(status="held").count() == 1
    assert groep_2.polls.filter(closed_at=None, closes_at__gt=now).count() == 1
    assert Vote.objects.filter(slot__poll__group=groep_2, slot__poll__closed_at=None).exists()
    finished = _finished_cohort()
    group = finished.intervisie_groups.get()
    assert group.sessions.filter(status="held").count() == 3
    for session in group.sessions.all():
        assert finished.starts_on <= timezone.localdate(session.starts_at) <= finished.ends_on


def test_the_history_carries_the_dates_it_happened():
    """Each step was taken on its own day in the past, not all at once today."""
    now = timezone.now()
    for poll in Poll.objects.select_related("group").exclude(closed_at=None):
        assert poll.group.created_at < poll.created_at < poll.closed_at < poll.closes_at < now
        for vote in Vote.objects.filter(slot__poll=poll):
            assert poll.created_at < vote.updated_at < poll.closed_at
    for row in SessionAttendance.objects.select_related("session"):
        if row.status == SessionAttendance.Status.EXCUSED:
            assert row.reason
        assert row.session.ends_at < row.recorded_at < now - timedelta(days=5)
    for profile in InsightsProfile.objects.all():
        assert profile.updated_at < now - timedelta(days=30)


def test_hr_counts_are_not_zero_for_the_finished_cohort():
    members = User.objects.filter(
        enrolments__intervisie_membership__group__cohort=_finished_cohort()
    )
    counts = selectors.attendance_counts(members)
    assert len(counts) == 6
    assert all(held >= 3 and attended >= 2 for attended, held in counts.values())
    assert any(attended < held for attended, held in counts.values())
