"""The waiting list's time-limited claim: a freed seat offered, confirmed, declined or
lapsed (with the clock), the reminder before it lapses, and the pages of the offer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from leergang import offers, planning, services
from leergang.models import Cohort, Enrolment
from leergang.tasks import offer_reminders_task, offers_expire_task
from portal.models import Notification, Role
from portal.scheduler import run_pass
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db
State = Enrolment.State
OFFER = Cohort.WaitlistMode.OFFER


def _offer_cohort(*, seats=2, waiting=3, hours=48, **extra):
    """A full cohort whose waiting list works with offers; its holders and waiting list."""
    cohort = CohortFactory(
        seats=seats, participants=seats, waitlist_mode=OFFER, offer_hours=hours, **extra
    )
    holders = list(cohort.enrolments.order_by("pk"))
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
    return cohort, holders, queue


def _state(enrolment):
    enrolment.refresh_from_db()
    return enrolment.state


def _kinds(enrolment):
    return list(
        Notification.objects.filter(about_id=enrolment.pk, recipient=enrolment.participant)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def _free(cohort):
    fresh = Cohort.objects.get(pk=cohort.pk)
    annotated = Cohort.objects.with_seats_taken().get(pk=cohort.pk)
    assert fresh.free_seats() == annotated.free_seats()
    return fresh.free_seats()


def test_a_freed_seat_is_offered_to_the_first_waiting_and_held_for_them(clock):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    first = queue[0]
    assert [_state(e) for e in queue] == [State.OFFERED, State.WAITLISTED, State.WAITLISTED]
    assert first.offer_expires_at == clock.now + timedelta(hours=48)
    assert first.offer_reminded_at is None
    assert _kinds(first) == ["enrolment_offered"]
    # The offered seat is held: none free, so a newcomer joins the waiting list.
    assert _free(cohort) == 0
    newcomer = UserFactory(roles=[Role.DEELNEMER])
    assert services.enrolment_create(cohort=cohort, participant=newcomer).is_waitlisted
    # Not a participant yet: no seat in attendance, intervisie or figures.
    assert not cohort.enrolments.holding_seat().filter(pk=first.pk).exists()
    with translation.override("nl"):
        assert first.status_for_participant.startswith("Er is een plek voor je vrij")
        assert timezone.localtime(first.offer_expires_at).strftime("%H:%M") in (
            first.status_for_participant
        )


def test_confirming_in_time_enrols(clock):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=47, minutes=59)
    enrolment = offers.offer_confirm(enrolment=queue[0], by=queue[0].participant)
    assert enrolment.state == State.ENROLLED
    assert _kinds(queue[0])[-1] == "enrolment_enrolled"
    assert _free(cohort) == 0
    # A second confirmation (another tab) is told, and changes nothing.
    with pytest.raises(ValidationError, match="al bevestigd"), translation.override("nl"):
        offers.offer_confirm(enrolment=queue[0], by=queue[0].participant)
    assert queue[0].transitions.filter(to_state=State.ENROLLED).count() == 1


def test_only_the_person_offered_may_answer():
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    with pytest.raises(ValidationError):
        offers.offer_confirm(enrolment=queue[0], by=queue[1].participant)
    assert _state(queue[0]) == State.OFFERED


def test_confirming_after_the_offer_lapsed_is_refused_and_the_seat_goes_on(clock):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=48)
    with pytest.raises(ValidationError, match="verlopen") as refused, translation.override("nl"):
        offers.offer_confirm(enrolment=queue[0], by=queue[0].participant)
    assert refused.value.code == "lapsed"
    assert [_state(e) for e in queue] == [State.CANCELLED, State.OFFERED, State.WAITLISTED]
    assert queue[1].offer_expires_at == clock.now + timedelta(hours=48)


def test_declining_offers_the_seat_to_the_next_at_once(clock):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=3)
    offers.offer_decline(enrolment=queue[0], by=queue[0].participant)
    assert [_state(e) for e in queue] == [State.CANCELLED, State.OFFERED, State.WAITLISTED]
    assert queue[1].offer_expires_at == clock.now + timedelta(hours=48)
    with pytest.raises(ValidationError, match="niet meer open"), translation.override("nl"):
        offers.offer_decline(enrolment=queue[0], by=queue[0].participant)


def test_lapsed_offers_pass_on_with_the_clock_once(clock):
    cohort, holders, queue = _offer_cohort(hours=24)
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=23, minutes=59)
    assert offers_expire_task() == 0
    assert _state(queue[0]) == State.OFFERED
    clock.travel(minutes=1)
    with translation.override("nl"):
        assert offers_expire_task() == 1
    assert offers_expire_task() == 0  # run again: nothing more
    assert [_state(e) for e in queue] == [State.CANCELLED, State.OFFERED, State.WAITLISTED]
    assert queue[0].decision_reason == "Aanbod verlopen."
    assert _kinds(queue[0]) == ["enrolment_offered", "enrolment_offer_lapsed"]
    assert _kinds(queue[1]) == ["enrolment_offered"]
    clock.travel(hours=24)
    assert offers.offers_expire() == 1
    clock.travel(hours=24)
    assert offers.offers_expire() == 1
    assert [_state(e) for e in queue] == [State.CANCELLED] * 3
    # Nobody left waiting: the seat is free for anyone.
    assert _free(cohort) == 1


def _at_nine_in_the_morning(clock):
    """The clock at 09:00 tomorrow (Amsterdam): a 48-hour offer made then is reminded at
    21:00 the day after, outside the quiet hours."""
    local = timezone.localtime(clock.now) + timedelta(days=1)
    clock.now = local.replace(hour=9, minute=0, second=0, microsecond=0)


def test_one_reminder_goes_before_the_offer_lapses(clock):
    _at_nine_in_the_morning(clock)
    cohort, holders, queue = _offer_cohort()  # 48 hours: the reminder 12 hours before
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=35, minutes=59)
    assert offer_reminders_task() == 0
    clock.travel(minutes=1)
    assert offer_reminders_task() == 1
    assert offer_reminders_task() == 0  # a retried task sends none twice
    clock.travel(hours=6)
    assert offers.offer_reminders() == 0
    assert _kinds(queue[0]) == ["enrolment_offered", "enrolment_offer_reminder"]
    queue[0].refresh_from_db()
    assert queue[0].offer_reminded_at == clock.now - timedelta(hours=6)


def test_a_reminder_due_in_the_night_goes_the_evening_before(clock):
    _at_nine_in_the_morning(clock)
    clock.travel(hours=6)  # 15:00: 12 hours before the deadline is 03:00 the night after
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    queue[0].refresh_from_db()
    due = timezone.localtime(offers.reminder_due_at(queue[0]))
    assert (due.hour, due.minute) == (21, 0)
    # 18 hours before the deadline (an hour more or less across a change of summer time).
    assert abs(queue[0].offer_expires_at - due - timedelta(hours=18)) <= timedelta(hours=1)
    clock.now = due - timedelta(minutes=1)
    assert offers.offer_reminders() == 0
    clock.now = due
    assert offers.offer_reminders() == 1


def test_a_short_offer_made_late_is_reminded_in_the_night_rather_than_not_at_all(clock):
    _at_nine_in_the_morning(clock)
    clock.travel(hours=13, minutes=30)  # 22:30: a 4-hour offer, reminded at 01:30
    cohort, holders, queue = _offer_cohort(hours=4)
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    queue[0].refresh_from_db()
    due = offers.reminder_due_at(queue[0])
    assert due == queue[0].offer_expires_at - timedelta(hours=1)
    clock.now = due
    assert offers.offer_reminders() == 1


def test_a_short_offer_is_reminded_when_a_quarter_of_its_time_is_left(clock):
    _at_nine_in_the_morning(clock)
    cohort, holders, queue = _offer_cohort(hours=4)
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(hours=2, minutes=59)
    assert offers.offer_reminders() == 0
    clock.travel(minutes=1)
    assert offers.offer_reminders() == 1


def test_no_reminder_for_an_answered_or_lapsed_offer(clock):
    cohort, holders, queue = _offer_cohort(seats=2, waiting=2)
    for holder in holders:
        services.enrolment_cancel(enrolment=holder, by=holder.participant)
    offers.offer_confirm(enrolment=queue[0], by=queue[0].participant)
    clock.travel(hours=49)  # past the reminder's moment and the deadline: lapsed, not reminded
    assert offers.offer_reminders() == 0
    assert offers.offers_expire() == 1
    assert "enrolment_offer_reminder" not in _kinds(queue[0]) + _kinds(queue[1])


def test_the_in_process_loop_of_make_run_expires_and_reminds(clock):
    _at_nine_in_the_morning(clock)
    cohort, holders, queue = _offer_cohort(hours=1)
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    clock.travel(minutes=50)
    assert run_pass().jobs == {"offered seats lapsed": 0, "offered seats reminded": 1}
    clock.travel(minutes=10)
    assert run_pass().jobs == {"offered seats lapsed": 1, "offered seats reminded": 0}
    assert _state(queue[1]) == State.OFFERED


def test_the_beat_schedule_runs_both_tasks(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"leergang.tasks.offers_expire_task", "leergang.tasks.offer_reminders_task"} <= tasks


def test_automatic_mode_still_enrols_at_once():
    cohort = CohortFactory(seats=1, participants=1)
    waiting = EnrolmentFactory(cohort=cohort, state=State.WAITLISTED)
    holder = cohort.enrolments.get(state=State.ENROLLED)
    services.enrolment_cancel(enrolment=holder, by=holder.participant)
    assert _state(waiting) == State.ENROLLED
    assert _kinds(waiting) == ["enrolment_promoted"]


def test_switching_to_automatic_keeps_the_running_offer(clock, beheerder):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    planning.cohort_save(
        cohort=cohort,
        by=beheerder,
        leergang=cohort.leergang,
        trainers=[],
        waitlist_mode=Cohort.WaitlistMode.AUTOMATIC,
    )
    assert [_state(e) for e in queue] == [State.OFFERED, State.WAITLISTED, State.WAITLISTED]
    clock.travel(hours=48)
    offers.offers_expire()
    # Lapsed after the switch: the next gets the seat at once.
    assert [_state(e) for e in queue] == [State.CANCELLED, State.ENROLLED, State.WAITLISTED]


def test_seats_cannot_drop_below_the_offered_and_more_seats_are_offered(beheerder):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)

    def save(seats):
        return planning.cohort_save(
            cohort=cohort, by=beheerder, leergang=cohort.leergang, trainers=[], seats=seats
        )

    with pytest.raises(ValidationError) as refused, translation.override("nl"):
        save(1)
    assert "aangeboden" in " ".join(refused.value.message_dict["seats"])
    assert _state(queue[0]) == State.OFFERED
    save(3)
    assert [_state(e) for e in queue] == [State.OFFERED, State.OFFERED, State.WAITLISTED]


def test_moving_a_person_out_offers_their_seat(beheerder):
    cohort, holders, queue = _offer_cohort()
    later = CohortFactory(leergang=cohort.leergang)
    services.enrolment_move(enrolment=holders[0], to_cohort=later, by=beheerder)
    assert _state(queue[0]) == State.OFFERED


def test_the_office_cancelling_an_offer_passes_the_seat_on(beheerder):
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    services.enrolment_cancel(enrolment=queue[0], by=beheerder, reason="Vertrokken.")
    assert [_state(e) for e in queue] == [State.CANCELLED, State.OFFERED, State.WAITLISTED]


# --- the pages ------------------------------------------------------------------------------


def _offered():
    cohort, holders, queue = _offer_cohort()
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    queue[0].refresh_from_db()
    return queue[0]


def _offer_url(enrolment):
    return reverse("leergang:enrolment-offer", args=[enrolment.pk])


def test_the_participant_sees_the_offer_on_their_pages(client):
    offered = _offered()
    client.force_login(offered.participant)
    for url in (
        reverse("leergang:enrolment-detail", args=[offered.pk]),
        reverse("leergang:my-leergang"),
        reverse("portal:home"),
        _offer_url(offered),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Er is een plek voor je vrij" in page.content.decode(), url


def test_confirming_on_the_page_once_however_often_it_is_sent(client):
    offered = _offered()
    client.force_login(offered.participant)
    form = client.get(_offer_url(offered)).context["form"]
    token = form["once"].value()
    data = {"answer": "confirm", "once": str(token)}
    first = client.post(_offer_url(offered), data)
    assert first.status_code == 302
    assert first.url == reverse("leergang:enrolment-detail", args=[offered.pk])
    again = client.post(_offer_url(offered), data)  # a double click, a resend
    assert again.status_code == 302
    assert _state(offered) == State.ENROLLED
    assert offered.transitions.filter(to_state=State.ENROLLED).count() == 1


def test_declining_on_the_page(client):
    offered = _offered()
    client.force_login(offered.participant)
    response = client.post(_offer_url(offered), {"answer": "decline"})
    assert response.status_code == 302 and response.url == reverse("leergang:my-leergang")
    assert _state(offered) == State.CANCELLED


def test_a_lapsed_offer_is_refused_on_the_page_in_dutch(client, clock):
    offered = _offered()
    clock.travel(hours=49)
    client.force_login(offered.participant)
    response = client.post(_offer_url(offered), {"answer": "confirm"})
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()
    assert _state(offered) == State.CANCELLED


@pytest.mark.parametrize("answer", ["", "yes", "confirm\x00", "x" * 500])
def test_a_strange_answer_gets_a_dutch_error(client, answer):
    offered = _offered()
    client.force_login(offered.participant)
    response = client.post(_offer_url(offered), {"answer": answer})
    assert response.status_code == 400
    assert "bevestigt of afslaat" in response.content.decode()
    assert _state(offered) == State.OFFERED


def test_someone_elses_offer_is_not_found(client, outsider):
    offered = _offered()
    client.force_login(outsider)
    assert client.get(_offer_url(offered)).status_code == 404
    assert client.post(_offer_url(offered), {"answer": "confirm"}).status_code == 404
    assert _state(offered) == State.OFFERED


def test_the_office_sees_offers_with_their_deadline(client, beheerder):
    offered = _offered()
    client.force_login(beheerder)
    deadline = timezone.localtime(offered.offer_expires_at).strftime("%H:%M")
    listed = client.get(reverse("leergang:office-enrolments"), {"state": "offered"})
    assert listed.status_code == 200
    page = listed.content.decode()
    assert offered.participant.last_name in page and deadline in page
    planned = client.get(reverse("leergang:planning-cohort", args=[offered.cohort_id]))
    assert planned.status_code == 200
    assert deadline in planned.content.decode()
    edit = client.get(reverse("leergang:planning-edit", args=[offered.cohort_id]))
    assert 'name="waitlist_mode"' in edit.content.decode()
    assert 'name="offer_hours"' in edit.content.decode()


def test_the_offer_pages_keep_their_query_count_when_the_data_grows_tenfold(client, beheerder):
    offered = _offered()
    participant = offered.participant
    pages = [
        _offer_url(offered),
        reverse("leergang:enrolment-detail", args=[offered.pk]),
        reverse("leergang:my-leergang"),
        reverse("portal:home"),
    ]
    few = {url: page_query_count(client, url, participant) for url in pages}
    office = [
        reverse("leergang:office-enrolments"),
        reverse("leergang:planning-cohort", args=[offered.cohort_id]),
        reverse("leergang:planning-edit", args=[offered.cohort_id]),
    ]
    few_office = {url: page_query_count(client, url, beheerder) for url in office}
    for _ in range(10):
        # Ten more offers to the same person, in other cohorts.
        cohort = CohortFactory(seats=1, participants=1, waitlist_mode=OFFER)
        EnrolmentFactory(cohort=cohort, participant=participant, state=State.WAITLISTED)
        holder = cohort.enrolments.get(state=State.ENROLLED)
        services.enrolment_cancel(enrolment=holder, by=holder.participant)
    # Ten more offers in the office's cohort too.
    cohort = offered.cohort
    for _ in range(10):
        EnrolmentFactory(cohort=cohort, state=State.WAITLISTED)
    Cohort.objects.filter(pk=cohort.pk).update(seats=cohort.seats + 12)
    services.cohort_seats_changed(cohort=cohort)
    assert cohort.enrolments.filter(state=State.OFFERED).count() == 13
    assert {url: page_query_count(client, url, participant) for url in pages} == few
    assert {url: page_query_count(client, url, beheerder) for url in office} == few_office


def test_a_seat_a_guest_holds_is_not_offered_to_the_waiting_list():
    from leergang.models import MakeUpRequest
    from tests.factories import BijeenkomstFactory

    # Three seats: two enrolled and a guest making up a bijeenkomst still to come.
    cohort, holders, queue = _offer_cohort(seats=2, waiting=2)
    Cohort.objects.filter(pk=cohort.pk).update(seats=3)
    host = BijeenkomstFactory(cohort=cohort, starts_at=timezone.now() + timedelta(days=40))
    guest = EnrolmentFactory(participant=UserFactory(roles=[Role.DEELNEMER]))
    MakeUpRequest.objects.create(
        enrolment=guest,
        missed=BijeenkomstFactory(cohort=guest.cohort),
        bijeenkomst=host,
        state=MakeUpRequest.State.APPROVED,
    )
    services.enrolment_cancel(enrolment=holders[0], by=holders[0].participant)
    assert [_state(e) for e in queue] == [State.OFFERED, State.WAITLISTED]


def test_hr_counts_an_offered_seat_as_still_waiting(client, hr, utrecht):
    from tests.hr.test_dashboard import DASHBOARD

    cohort = CohortFactory(seats=1, waitlist_mode=OFFER)
    holder = EnrolmentFactory(cohort=cohort, participant=UserFactory(organisation=utrecht))
    waiting = [
        EnrolmentFactory(
            cohort=cohort,
            state=State.WAITLISTED,
            participant=UserFactory(organisation=utrecht, roles=[Role.DEELNEMER]),
        )
        for _ in range(2)
    ]
    services.enrolment_cancel(enrolment=holder, by=holder.participant)
    assert _state(waiting[0]) == State.OFFERED
    client.force_login(hr)
    response = client.get(reverse(DASHBOARD))
    states = next(c for c in response.context["dashboard"].cohorts if c.pk == cohort.pk).states
    assert (states.waitlisted, states.enrolled, states.cancelled, states.seats) == (2, 0, 1, 0)
