"""Offered seats under fire: cancellations, confirmations, declines, expiring offers and
reminders of one cohort at the same moment, in real PostgreSQL transactions; and the beat
tasks twice at once on a real Celery worker. No seat is given twice or lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from leergang import offers, services
from leergang.models import SEAT_CLAIMING_STATES, Cohort, Enrolment
from leergang.tasks import offer_reminders_task, offers_expire_task
from portal.models import Notification, Role
from tests.concurrency import run_in_parallel
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory
from tests.worker import celery_on, idle, wait_until, workers

pytestmark = pytest.mark.django_db(transaction=True)
State = Enrolment.State


def _cohort(*, seats, waiting):
    cohort = CohortFactory(
        seats=seats, participants=seats, waitlist_mode=Cohort.WaitlistMode.OFFER, offer_hours=48
    )
    now = timezone.now()
    queue = [
        EnrolmentFactory(
            cohort=cohort,
            state=State.WAITLISTED,
            waitlisted_at=now + timedelta(seconds=i),
            participant=UserFactory(roles=[Role.DEELNEMER]),
        )
        for i in range(waiting)
    ]
    return cohort, list(cohort.enrolments.filter(state=State.ENROLLED).order_by("pk")), queue


def _cancel(enrolment):
    return services.enrolment_cancel(enrolment=enrolment, by=enrolment.participant)


def _assert_no_seat_given_twice_or_lost(cohort):
    cohort.refresh_from_db()
    enrolments = list(cohort.enrolments.order_by("pk"))
    claiming = [e for e in enrolments if e.state in SEAT_CLAIMING_STATES]
    waiting = [e for e in enrolments if e.state == State.WAITLISTED]
    # Never more held or offered than there are seats.
    assert len(claiming) <= cohort.seats
    # Nobody holds two: one live enrolment a person, each offered and enrolled at most once.
    people = [e.participant_id for e in enrolments if e.is_live]
    assert len(people) == len(set(people))
    for enrolment in enrolments:
        moves = list(enrolment.transitions.values_list("to_state", flat=True))
        assert moves.count(State.OFFERED) <= 1 and moves.count(State.ENROLLED) <= 1, moves
        offered_mails = Notification.objects.filter(
            about_id=enrolment.pk, kind="enrolment_offered"
        ).count()
        assert offered_mails == moves.count(State.OFFERED)
        reminders = Notification.objects.filter(
            about_id=enrolment.pk, kind="enrolment_offer_reminder"
        ).count()
        assert reminders <= 1
    # No seat lost: while someone waits, every seat is held or offered.
    if waiting:
        assert len(claiming) == cohort.seats, (len(claiming), cohort.seats, len(waiting))
    # The waiting list was served in its order: everyone offered a seat joined it before
    # anyone still waiting.
    served = [e for e in enrolments if e.transitions.filter(to_state=State.OFFERED).exists()]
    if served and waiting:
        assert max(e.waitlisted_at for e in served) < min(e.waitlisted_at for e in waiting)
    return claiming, waiting


def test_parallel_cancellations_confirmations_declines_and_expiry_lose_no_seat(clock):
    cohort, holders, queue = _cohort(seats=8, waiting=30)
    # Two offers made 50 hours ago (lapsed), two 20 hours ago (running).
    for holder in holders[:2]:
        _cancel(holder)
    clock.travel(hours=30)
    for holder in holders[2:4]:
        _cancel(holder)
    clock.travel(hours=20)
    lapsed, running = queue[:2], queue[2:4]
    assert all(Enrolment.objects.get(pk=e.pk).state == State.OFFERED for e in queue[:4])

    def confirm(enrolment):
        return lambda: offers.offer_confirm(enrolment=enrolment, by=enrolment.participant)

    def decline(enrolment):
        return lambda: offers.offer_decline(enrolment=enrolment, by=enrolment.participant)

    actions = (
        [lambda holder=holder: _cancel(holder) for holder in holders[4:]]  # four seats freed
        + [confirm(running[0]), decline(running[1])]
        + [confirm(lapsed[0]), confirm(lapsed[1])]  # too late: refused, passed on
        + [offers_expire_task] * 3
        + [offer_reminders_task] * 2
        + [lambda enrolment=enrolment: _cancel(enrolment) for enrolment in queue[10:13]]
    )
    pending = iter(actions)
    outcomes = run_in_parallel(lambda: next(pending)(), len(actions))

    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)
    ]
    assert not unexpected, unexpected
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refusals) == 2 and {r.code for r in refusals} <= {"lapsed", "handled"}
    states = {e.pk: Enrolment.objects.get(pk=e.pk).state for e in queue}
    assert states[running[0].pk] == State.ENROLLED
    assert states[running[1].pk] == State.CANCELLED
    assert states[lapsed[0].pk] == states[lapsed[1].pk] == State.CANCELLED
    claiming, waiting = _assert_no_seat_given_twice_or_lost(cohort)
    # Every holder cancelled: the one who confirmed holds a seat, seven are offered.
    assert len(claiming) == 8 and waiting
    assert sum(1 for e in claiming if e.state == State.ENROLLED) == 1

    # Later: every offer made in the rush lapses, and the seats go on down the list.
    clock.travel(hours=48)
    outcomes = run_in_parallel(offers_expire_task, 4)
    assert sum(outcomes) == 7
    _assert_no_seat_given_twice_or_lost(cohort)


def test_many_confirmations_of_one_offer_at_once_enrol_once(clock):
    cohort, holders, queue = _cohort(seats=1, waiting=2)
    _cancel(holders[0])
    offered = queue[0]
    outcomes = run_in_parallel(
        lambda: offers.offer_confirm(enrolment=offered, by=offered.participant).state, 8
    )
    assert outcomes.count(State.ENROLLED) == 1
    assert all(isinstance(o, ValidationError) for o in outcomes if o != State.ENROLLED)
    assert offered.transitions.filter(to_state=State.ENROLLED).count() == 1
    _assert_no_seat_given_twice_or_lost(cohort)


def test_a_confirmation_racing_the_expiry_at_the_deadline_gives_the_seat_once(clock):
    for _round in range(5):
        cohort, holders, queue = _cohort(seats=1, waiting=2)
        _cancel(holders[0])
        offered = queue[0]
        clock.travel(hours=48)
        actions = iter(
            [
                lambda offered=offered: offers.offer_confirm(
                    enrolment=offered, by=offered.participant
                ),
                offers_expire_task,
                offers_expire_task,
            ]
        )
        run_in_parallel(lambda actions=actions: next(actions)(), 3)
        assert Enrolment.objects.get(pk=offered.pk).state == State.CANCELLED
        assert Enrolment.objects.get(pk=queue[1].pk).state == State.OFFERED
        _assert_no_seat_given_twice_or_lost(cohort)


@pytest.fixture
def celery_app(settings):
    with celery_on(settings.CELERY_BROKER_URL) as app:
        yield app


@pytest.mark.worker
def test_the_beat_tasks_twice_at_once_on_a_real_worker_pass_each_seat_on_once(celery_app, clock):
    cohort, holders, queue = _cohort(seats=3, waiting=5)
    for holder in holders:
        _cancel(holder)
    clock.travel(hours=37)  # past the reminder's moment
    with workers(2):
        offer_reminders_task.delay()
        offer_reminders_task.delay()
        # Three cancelled and three offered mails, and one reminder for each offer.
        assert wait_until(lambda: idle() and len(mail.outbox) >= 9)
        clock.travel(hours=12)  # lapsed
        offers_expire_task.delay()
        offers_expire_task.delay()
        assert wait_until(
            lambda: (
                idle()
                and Enrolment.objects.filter(cohort=cohort, state=State.OFFERED).count() == 2
                and len(mail.outbox) >= 9 + 3 + 2
            )
        )
    kinds = sorted(message.subject.split(":")[0] for message in mail.outbox)
    assert len(mail.outbox) == 14, kinds
    assert [Enrolment.objects.get(pk=e.pk).state for e in queue] == [State.CANCELLED] * 3 + [
        State.OFFERED
    ] * 2
    for enrolment in queue[:3]:
        assert (
            Notification.objects.filter(
                about_id=enrolment.pk, kind="enrolment_offer_reminder"
            ).count()
            == 1
        )
    _assert_no_seat_given_twice_or_lost(cohort)
