"""Who is invited, and when: after a held bijeenkomst, at the end of a leergang, at the end
of a coaching trajectory. Each once, however often the scan runs; by the scan, in bulk."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import Trajectory, TrajectoryTransition
from evaluations import services
from evaluations.models import Invitation
from evaluations.reminders import evaluation_invitations
from leergang.models import Attendance, Enrolment
from portal.models import Notification
from portal.reminders import reminders_scan
from tests.evaluations.conftest import held_cohort
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db


def scan(capture):
    with capture(execute=True):
        return reminders_scan()


def test_a_held_bijeenkomst_invites_each_participant_once(
    morning, django_capture_on_commit_callbacks
):
    cohort, bijeenkomst, people = held_cohort(participants=3)
    scan(django_capture_on_commit_callbacks)
    scan(django_capture_on_commit_callbacks)
    morning.shift(timedelta(hours=3))
    scan(django_capture_on_commit_callbacks)

    invitations = Invitation.objects.filter(bijeenkomst=bijeenkomst)
    assert sorted(invitations.values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    assert Notification.objects.filter(kind="evaluation_invitation").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(
        invitations.get(recipient=p).token in m.body
        for p, m in zip(
            sorted(people, key=lambda p: p.email),
            sorted(mail.outbox, key=lambda m: m.to[0]),
            strict=True,
        )
    )


def test_nobody_is_invited_before_the_bijeenkomst_ends(morning):
    cohort, bijeenkomst, people = held_cohort(participants=2)
    bijeenkomst.ends_at = timezone.now() + timedelta(minutes=30)
    bijeenkomst.save()
    assert services.invitations_create() == 0
    morning.shift(timedelta(minutes=31))
    assert services.invitations_create() == 2


def test_absent_and_excused_and_cancelled_participants_are_not_invited(morning):
    cohort, bijeenkomst, (present, absent, excused) = held_cohort(participants=3)
    for person, status in ((absent, "absent"), (excused, "excused"), (present, "present")):
        Attendance.objects.create(
            enrolment=person.enrolments.get(), bijeenkomst=bijeenkomst, status=status
        )
    cancelled = EnrolmentFactory(cohort=cohort, state=Enrolment.State.CANCELLED)
    waiting = EnrolmentFactory(cohort=cohort, state=Enrolment.State.WAITLISTED)
    services.invitations_create()
    invited = set(Invitation.objects.values_list("recipient_id", flat=True))
    assert invited == {present.pk}
    assert cancelled.participant_id not in invited and waiting.participant_id not in invited


def test_a_guest_who_made_up_the_bijeenkomst_there_is_invited_too(morning):
    from leergang.models import MakeUpRequest

    cohort, bijeenkomst, (host_participant,) = held_cohort(participants=1)
    elsewhere = CohortFactory(leergang=cohort.leergang)
    missed = BijeenkomstFactory(cohort=elsewhere, module=bijeenkomst.module)

    def guest(state, attendance=None):
        enrolment = EnrolmentFactory(cohort=elsewhere)
        MakeUpRequest.objects.create(
            enrolment=enrolment, missed=missed, bijeenkomst=bijeenkomst, state=state
        )
        if attendance:
            Attendance.objects.create(
                enrolment=enrolment, bijeenkomst=bijeenkomst, status=attendance
            )
        return enrolment.participant

    came = guest("approved", "present")
    unrecorded = guest("approved")
    stayed_away = guest("approved", "absent")
    only_asked = guest("requested")
    services.invitations_create()
    services.invitations_create()
    invited = sorted(Invitation.objects.values_list("recipient_id", flat=True))
    assert invited == sorted([host_participant.pk, came.pk, unrecorded.pk])
    assert stayed_away.pk not in invited and only_asked.pk not in invited


def test_a_bijeenkomst_long_ago_invites_nobody(morning, settings):
    cohort, bijeenkomst, people = held_cohort(participants=2)
    morning.shift(timedelta(days=settings.EVALUATION_INVITE_WITHIN_DAYS, hours=1))
    assert services.invitations_create() == 0


def test_a_completed_enrolment_invites_to_the_leergang_evaluation_once(morning):
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(starts_on=timezone.localdate() - timedelta(days=100)),
        state=Enrolment.State.COMPLETED,
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    assert services.invitations_create() == 1
    invitation = Invitation.objects.get()
    assert invitation.is_about_leergang and invitation.cohort_id == enrolment.cohort_id
    # The cohort ending later asks nothing again.
    cohort = enrolment.cohort
    cohort.ends_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    assert services.invitations_create() == 0
    assert Invitation.objects.count() == 1


def test_the_end_of_a_cohort_invites_who_held_a_seat(morning):
    cohort = CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=100),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    enrolled = EnrolmentFactory(cohort=cohort)
    EnrolmentFactory(cohort=cohort, state=Enrolment.State.CANCELLED)
    assert services.invitations_create() == 1
    assert Invitation.objects.get().recipient == enrolled.participant
    assert services.invitations_create() == 0


def test_a_running_cohort_invites_nobody_to_the_leergang_evaluation(morning):
    EnrolmentFactory(cohort=CohortFactory(starts_on=timezone.localdate() - timedelta(days=10)))
    assert services.invitations_create() == 0


def test_a_completed_trajectory_invites_its_participant_once(morning):
    trajectory = TrajectoryFactory(state=Trajectory.State.COMPLETED)
    stopped = TrajectoryFactory(state=Trajectory.State.STOPPED)
    for t in (trajectory, stopped):
        TrajectoryTransition.objects.create(trajectory=t, to_state=t.state, at=timezone.now())
    assert services.invitations_create() == 1
    invitation = Invitation.objects.get()
    assert invitation.is_about_coaching and invitation.recipient == trajectory.participant
    assert services.invitations_create() == 0


def _world(size):
    """``size`` participants in each of: a held bijeenkomst, a completed leergang, a
    completed coaching trajectory."""
    held_cohort(participants=size)
    cohort = CohortFactory(starts_on=timezone.localdate() - timedelta(days=100))
    for _n in range(size):
        EnrolmentFactory(cohort=cohort, state=Enrolment.State.COMPLETED)
    Enrolment.objects.filter(cohort=cohort).update(completed_at=timezone.now())
    for _n in range(size):
        t = TrajectoryFactory(state=Trajectory.State.COMPLETED)
        TrajectoryTransition.objects.create(trajectory=t, to_state=t.state, at=timezone.now())


def _find_queries(now):
    from django.contrib.contenttypes.models import ContentType

    # Both runs look the notifications' content type up, whatever an earlier one cached.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        found = list(evaluation_invitations(now))
    return len(queries), len(found)


def test_inviting_costs_the_same_queries_for_ten_times_the_people(morning):
    _world(3)
    few, found_few = _find_queries(timezone.now())
    Invitation.objects.all().delete()
    _world(30)
    many, found_many = _find_queries(timezone.now())
    assert (found_few, found_many) == (9, 99)
    assert many == few


def test_a_trajectory_completed_through_the_service_is_evaluated_once(morning, coach):
    from coaching import services as coaching_services

    trajectory = TrajectoryFactory(coach=coach, state=Trajectory.State.RUNNING)
    coaching_services.trajectory_transition(
        trajectory=trajectory, to_state=Trajectory.State.COMPLETED, by=coach
    )
    reminders_scan()
    reminders_scan()
    invitation = Invitation.objects.get()
    assert invitation.trajectory == trajectory and invitation.recipient == trajectory.participant
    assert Notification.objects.filter(kind="evaluation_invitation").count() == 1


def test_a_stopped_trajectory_is_not_evaluated(morning, coach):
    from coaching import services as coaching_services

    trajectory = TrajectoryFactory(coach=coach, state=Trajectory.State.RUNNING)
    coaching_services.trajectory_transition(
        trajectory=trajectory, to_state=Trajectory.State.STOPPED, by=coach, reason="Verhuisd"
    )
    assert services.invitations_create() == 0


def test_a_leergang_completed_through_the_service_is_evaluated_once(morning):
    from leergang import services as leergang_services

    cohort = CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=60),
        reflections_required=False,
        min_attendance_percent=0,
        bijeenkomsten=1,
    )
    bijeenkomst = cohort.bijeenkomsten.get()
    bijeenkomst.starts_at = timezone.now() - timedelta(days=40)
    bijeenkomst.ends_at = bijeenkomst.starts_at + timedelta(hours=3)
    bijeenkomst.save()
    enrolment = EnrolmentFactory(cohort=cohort)
    assert leergang_services.enrolment_check_completion(enrolment=enrolment)
    reminders_scan()
    reminders_scan()
    invitation = Invitation.objects.get()
    assert invitation.is_about_leergang and invitation.cohort == cohort
    assert Notification.objects.filter(kind="evaluation_invitation").count() == 1
