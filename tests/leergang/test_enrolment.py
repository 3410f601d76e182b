from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from leergang import services
from leergang.models import TRANSITIONS, Enrolment, EnrolmentTransition
from portal.models import Notification, Role
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db
State = Enrolment.State


def _participant(organisation=None):
    return (
        UserFactory(organisation=organisation, roles=[Role.DEELNEMER])
        if organisation
        else UserFactory(roles=[Role.DEELNEMER])
    )


ALL_PAIRS = [(a, b) for a in State.values for b in State.values]


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS)
def test_state_machine_allows_exactly_the_listed_transitions(from_state, to_state):
    enrolment = EnrolmentFactory(state=from_state)
    allowed = to_state in TRANSITIONS[State(from_state)]
    if allowed:
        services._transition(enrolment, to_state, by=None)
        enrolment.refresh_from_db()
        assert enrolment.state == to_state
        last = enrolment.transitions.last()
        assert (last.from_state, last.to_state) == (from_state, to_state)
    else:
        with pytest.raises(ValidationError):
            services._transition(enrolment, to_state, by=None)
        enrolment.refresh_from_db()
        assert enrolment.state == from_state


def test_final_states_are_final():
    for state in (State.COMPLETED, State.CANCELLED, State.REJECTED):
        assert TRANSITIONS[state] == set()


def test_enrolling_in_an_open_cohort_gives_a_seat_and_an_email(
    participant, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(bijeenkomsten=2)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_create(cohort=cohort, participant=participant)
    assert enrolment.state == State.ENROLLED
    assert [t.to_state for t in enrolment.transitions.all()] == [State.REQUESTED, State.ENROLLED]
    assert enrolment.transitions.last().by == participant
    (message,) = mail.outbox
    assert "ingeschreven" in message.subject
    assert message.alternatives[0][1] == "text/html"
    (attachment,) = message.attachments
    assert attachment[0] == "bijeenkomsten.ics"
    assert "BEGIN:VEVENT" in str(attachment[1])


def test_a_full_cohort_puts_people_on_the_waiting_list():
    cohort = CohortFactory(seats=1, participants=1)
    enrolment = services.enrolment_create(cohort=cohort, participant=_participant())
    assert enrolment.state == State.WAITLISTED
    assert enrolment.waitlisted_at is not None


def test_enrolling_twice_is_refused_with_a_dutch_message(participant):
    cohort = CohortFactory()
    services.enrolment_create(cohort=cohort, participant=participant)
    with pytest.raises(ValidationError, match="al ingeschreven"):
        services.enrolment_create(cohort=cohort, participant=participant)
    assert cohort.enrolments.count() == 1


def test_after_cancelling_one_may_enrol_again(participant):
    cohort = CohortFactory()
    first = services.enrolment_create(cohort=cohort, participant=participant)
    services.enrolment_cancel(enrolment=first, by=participant)
    second = services.enrolment_create(cohort=cohort, participant=participant)
    assert second.state == State.ENROLLED


def test_op_maat_cohort_of_another_organisation_is_refused(outsider, utrecht):
    cohort = CohortFactory(organisation=utrecht)
    with pytest.raises(ValidationError, match="andere organisatie"):
        services.enrolment_create(cohort=cohort, participant=outsider)
    assert not cohort.enrolments.exists()


def test_only_participants_enrol(hr):
    with pytest.raises(ValidationError):
        services.enrolment_create(cohort=CohortFactory(), participant=hr)


def test_an_ended_cohort_takes_no_enrolments(participant):
    past = timezone.localdate() - timedelta(days=100)
    cohort = CohortFactory(starts_on=past, ends_on=past + timedelta(days=30))
    with pytest.raises(ValidationError, match="afgelopen"):
        services.enrolment_create(cohort=cohort, participant=participant)


def test_approval_cohort_waits_for_hr_and_tells_them(participant, hr, outsider_hr):
    cohort = CohortFactory(requires_approval=True)
    enrolment = services.enrolment_create(cohort=cohort, participant=participant)
    assert enrolment.state == State.REQUESTED
    told = set(
        Notification.objects.filter(kind="enrolment_approval_needed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {hr.pk}  # not Nijmegen's HR


def test_a_pending_request_holds_no_seat(participant):
    cohort = CohortFactory(seats=1, requires_approval=True)
    services.enrolment_create(cohort=cohort, participant=participant)
    assert cohort.free_seats() == 1


def test_approval_gives_a_seat_or_the_waiting_list(participant, hr):
    cohort = CohortFactory(seats=1, requires_approval=True)
    first = services.enrolment_create(cohort=cohort, participant=participant)
    second = services.enrolment_create(cohort=cohort, participant=_participant(hr.organisation))
    assert services.enrolment_approve(enrolment=first, by=hr).state == State.ENROLLED
    assert services.enrolment_approve(enrolment=second, by=hr).state == State.WAITLISTED


def test_rejection_needs_a_reason_and_is_recorded(participant, hr):
    enrolment = services.enrolment_create(
        cohort=CohortFactory(requires_approval=True), participant=participant
    )
    with pytest.raises(ValidationError, match="reden"):
        services.enrolment_reject(enrolment=enrolment, by=hr, reason="  ")
    services.enrolment_reject(enrolment=enrolment, by=hr, reason="Geen budget dit jaar")
    enrolment.refresh_from_db()
    assert enrolment.state == State.REJECTED
    assert enrolment.decision_reason == "Geen budget dit jaar"
    last = enrolment.transitions.last()
    assert (last.by, last.reason) == (hr, "Geen budget dit jaar")


def test_a_request_is_decided_once(participant, hr):
    enrolment = services.enrolment_create(
        cohort=CohortFactory(requires_approval=True), participant=participant
    )
    services.enrolment_approve(enrolment=enrolment, by=hr)
    with pytest.raises(ValidationError, match="al afgehandeld"):
        services.enrolment_reject(enrolment=enrolment, by=hr, reason="toch niet")


def test_cancelling_after_the_deadline_is_refused_but_the_office_may(participant, beheerder):
    cohort = CohortFactory(cancellation_deadline=timezone.localdate() - timedelta(days=1))
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    with pytest.raises(ValidationError, match="termijn"):
        services.enrolment_cancel(enrolment=enrolment, by=participant)
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED
    services.enrolment_cancel(enrolment=enrolment, by=beheerder, reason="Ziek")
    enrolment.refresh_from_db()
    assert enrolment.state == State.CANCELLED


def test_a_freed_seat_goes_to_the_first_on_the_waiting_list_who_is_told(
    participant, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(seats=1)
    holder = EnrolmentFactory(cohort=cohort, participant=participant)
    now = timezone.now()
    second = EnrolmentFactory(
        cohort=cohort, state=State.WAITLISTED, waitlisted_at=now - timedelta(hours=1)
    )
    first = EnrolmentFactory(
        cohort=cohort, state=State.WAITLISTED, waitlisted_at=now - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder, by=participant)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.ENROLLED, State.WAITLISTED)
    promoted = [m for m in mail.outbox if m.to == [first.participant.email]]
    assert promoted and "plek" in promoted[0].subject
    assert EnrolmentTransition.objects.filter(
        enrolment=first, to_state=State.ENROLLED, by=None
    ).exists()


def test_cancelling_from_the_waiting_list_promotes_nobody():
    cohort = CohortFactory(seats=1, participants=1)
    waiting = EnrolmentFactory(cohort=cohort, state=State.WAITLISTED)
    other = EnrolmentFactory(cohort=cohort, state=State.WAITLISTED)
    services.enrolment_cancel(enrolment=waiting, by=waiting.participant)
    other.refresh_from_db()
    assert other.state == State.WAITLISTED


def test_more_seats_promote_from_the_waiting_list_in_order():
    cohort = CohortFactory(seats=1, participants=1)
    now = timezone.now()
    waiting = [
        EnrolmentFactory(
            cohort=cohort, state=State.WAITLISTED, waitlisted_at=now + timedelta(minutes=i)
        )
        for i in range(3)
    ]
    cohort.seats = 3
    cohort.save()
    services.cohort_seats_changed(cohort=cohort)
    states = [Enrolment.objects.get(pk=e.pk).state for e in waiting]
    assert states == [State.ENROLLED, State.ENROLLED, State.WAITLISTED]


def test_promotion_outside_a_transaction_is_a_programming_error(db):
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it to prove the guard.
        from django.db import transaction

        transaction.get_connection().in_atomic_block = False
        try:
            services.waitlist_promote(cohort=CohortFactory())
        finally:
            transaction.get_connection().in_atomic_block = True


def test_without_hr_in_the_portal_the_programme_office_is_asked(nijmegen, beheerder):
    participant = UserFactory(organisation=nijmegen, roles=[Role.DEELNEMER])
    services.enrolment_create(cohort=CohortFactory(requires_approval=True), participant=participant)
    told = set(
        Notification.objects.filter(kind="enrolment_approval_needed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {beheerder.pk}
