"""Seats under fire: parallel requests with real PostgreSQL transactions, no mocks."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from leergang import services
from leergang.models import Cohort, Enrolment
from portal.models import Role
from tests.concurrency import run_in_parallel
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Enrolment.State


def test_twenty_four_parallel_enrolments_never_overbook_the_last_seats():
    cohort = CohortFactory(seats=10, participants=7)  # three seats left
    people = iter(UserFactory.create_batch(24, roles=[Role.DEELNEMER]))

    def enrol():
        return services.enrolment_create(cohort=cohort, participant=next(people)).state

    outcomes = run_in_parallel(enrol, 24)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert outcomes.count(State.ENROLLED) == 3
    assert outcomes.count(State.WAITLISTED) == 21
    assert cohort.enrolments.filter(state=State.ENROLLED).count() == 10
    # The waiting list is in the order the requests got the seat lock.
    waiting = list(cohort.enrolments.filter(state=State.WAITLISTED).order_by("waitlisted_at"))
    assert [e.pk for e in waiting] == sorted(e.pk for e in waiting)
    assert len({e.waitlisted_at for e in waiting}) == 21


def test_parallel_double_clicks_enrol_a_person_once(participant):
    cohort = CohortFactory(seats=5)
    outcomes = run_in_parallel(
        lambda: services.enrolment_create(cohort=cohort, participant=participant).state, 10
    )
    assert outcomes.count(State.ENROLLED) == 1
    assert cohort.enrolments.filter(participant=participant).count() == 1


def test_parallel_cancellations_promote_distinct_people_in_order():
    cohort = CohortFactory(seats=4, participants=4)
    holders = list(cohort.enrolments.all())
    waiting = [EnrolmentFactory(cohort=cohort, state=State.WAITLISTED) for _ in range(6)]
    cancels = iter(holders)

    def cancel():
        enrolment = next(cancels)
        return services.enrolment_cancel(enrolment=enrolment, by=enrolment.participant).state

    assert run_in_parallel(cancel, 4) == [State.CANCELLED] * 4
    states = [Enrolment.objects.get(pk=e.pk).state for e in waiting]
    assert states == [State.ENROLLED] * 4 + [State.WAITLISTED] * 2
    assert cohort.enrolments.filter(state=State.ENROLLED).count() == 4


def test_parallel_approvals_of_the_last_seat_give_it_once(utrecht, hr):
    cohort = CohortFactory(seats=1, requires_approval=True)
    requests = iter(
        [
            EnrolmentFactory(
                cohort=cohort, state=State.REQUESTED, participant=UserFactory(organisation=utrecht)
            )
            for _ in range(6)
        ]
    )
    outcomes = run_in_parallel(
        lambda: services.enrolment_approve(enrolment=next(requests), by=hr).state, 6
    )
    assert outcomes.count(State.ENROLLED) == 1
    assert outcomes.count(State.WAITLISTED) == 5


def test_a_completion_check_does_not_wait_for_the_cohorts_row():
    """A reflection saved checks completion of its enrolment only. It locked the cohort's row
    too, and deadlocked with a trainer's attendance sheet (which checks every enrolment of
    the cohort in one transaction) under `make loadtest`."""
    enrolment = EnrolmentFactory(cohort=CohortFactory())
    locked, release = threading.Event(), threading.Event()

    def sheet_holding_the_cohort():
        try:
            with transaction.atomic():
                Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=sheet_holding_the_cohort)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            assert services.enrolment_check_completion(enrolment=enrolment) is False
    finally:
        release.set()
        holder.join()


def test_parallel_moves_into_the_last_seats_fill_them_once():
    beheerder = UserFactory(roles=[Role.BEHEERDER])
    source = CohortFactory(seats=12, participants=8)
    target = CohortFactory(leergang=source.leergang, seats=5, participants=3)  # two seats left
    movers = iter(list(source.enrolments.all()))

    def move():
        return services.enrolment_move(enrolment=next(movers), to_cohort=target, by=beheerder)

    outcomes = run_in_parallel(move, 8)
    moved = [o for o in outcomes if isinstance(o, Enrolment)]
    refused = [o for o in outcomes if not isinstance(o, Enrolment)]
    assert len(moved) == 2 and len(refused) == 6
    assert all(isinstance(o, ValidationError) and o.code == "cannot_move" for o in refused)
    assert target.enrolments.holding_seat().count() == 5
    # Those refused keep the seat they had.
    assert source.enrolments.filter(state=State.ENROLLED).count() == 6


def test_moves_in_opposite_directions_at_once_do_not_deadlock():
    beheerder = UserFactory(roles=[Role.BEHEERDER])
    first = CohortFactory(seats=10, participants=5)
    second = CohortFactory(leergang=first.leergang, seats=10, participants=5)
    # Five each way, released at the same moment: both cohorts are locked in id order.
    there = [(enrolment, second) for enrolment in first.enrolments.all()]
    back = [(enrolment, first) for enrolment in second.enrolments.all()]
    pairs = iter(there + back)

    def move():
        enrolment, to = next(pairs)
        return services.enrolment_move(enrolment=enrolment, to_cohort=to, by=beheerder).cohort_id

    outcomes = run_in_parallel(move, 10)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == sorted([second.pk] * 5 + [first.pk] * 5)
    assert first.enrolments.holding_seat().count() == second.enrolments.holding_seat().count() == 5
