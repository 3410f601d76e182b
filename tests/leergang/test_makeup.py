"""Inhalen: a missed bijeenkomst made up at the same module's bijeenkomst of another
cohort. Counted once toward the person's own completion, seats for guests under the host
cohort's lock, only the same module."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leergang import makeup, services
from leergang.models import Attendance, Enrolment, MakeUpRequest, Reflection
from portal.models import Notification, Role
from portal.notifications import notification_send
from tests.concurrency import run_in_parallel
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    LeergangFactory,
    UserFactory,
)
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

State = MakeUpRequest.State


def _at(bijeenkomst, when):
    bijeenkomst.starts_at = when
    bijeenkomst.ends_at = when + timedelta(hours=3)
    bijeenkomst.save()
    return bijeenkomst


def _running(leergang, *, now, **kwargs):
    """A cohort of ``leergang`` that started a month ago: its first module's bijeenkomst
    two weeks ago, its second in two weeks."""
    cohort = CohortFactory(
        leergang=leergang,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=60),
        bijeenkomsten=2,
        **kwargs,
    )
    first, second = cohort.bijeenkomsten.order_by("starts_at")
    _at(first, now - timedelta(days=14))
    _at(second, now + timedelta(days=14))
    return cohort, first, second


@pytest.fixture
def world(participant, trainer):
    """The participant missed the first bijeenkomst of their cohort; a host cohort of the
    same leergang (3 seats, 1 taken) has the same module in a week, the other one in three."""
    now = timezone.now()
    leergang = LeergangFactory()
    own, missed, later = _running(leergang, now=now)
    enrolment = EnrolmentFactory(cohort=own, participant=participant)
    Attendance.objects.create(enrolment=enrolment, bijeenkomst=missed, status="absent")
    host = CohortFactory(leergang=leergang, seats=3, trainers=[trainer], participants=1)
    same = _at(BijeenkomstFactory(cohort=host, module=missed.module), now + timedelta(days=7))
    other = _at(BijeenkomstFactory(cohort=host, module=later.module), now + timedelta(days=21))
    return {
        "own": own,
        "missed": missed,
        "later": later,
        "enrolment": enrolment,
        "host": host,
        "same": same,
        "other": other,
    }


def _ask(world, bijeenkomst=None):
    return makeup.make_up_request(
        enrolment=world["enrolment"],
        missed=world["missed"],
        bijeenkomst=bijeenkomst or world["same"],
    )


def _kinds():
    return sorted(Notification.objects.values_list("kind", flat=True))


# --- the rule ---------------------------------------------------------------------------------


def test_only_the_same_module_in_another_cohort_with_a_seat_is_offered(world, participant, utrecht):
    missed = world["missed"]
    now = timezone.now()
    # Not offered: another module, the past, the own cohort, a full cohort, another
    # organisation's tailored cohort, a cohort the person is in themselves.
    _at(BijeenkomstFactory(cohort=world["own"], module=missed.module), now + timedelta(days=3))
    _at(BijeenkomstFactory(cohort=world["host"], module=missed.module), now - timedelta(days=1))
    full = CohortFactory(leergang=world["own"].leergang, seats=1, participants=1)
    _at(BijeenkomstFactory(cohort=full, module=missed.module), now + timedelta(days=5))
    tailored = CohortFactory(organisation=UserFactory().organisation)
    _at(BijeenkomstFactory(cohort=tailored, module=missed.module), now + timedelta(days=5))
    mine = CohortFactory(leergang=world["own"].leergang)
    EnrolmentFactory(cohort=mine, participant=participant)
    _at(BijeenkomstFactory(cohort=mine, module=missed.module), now + timedelta(days=5))
    # Offered: the host's, and a cohort of another leergang with the same module, and the
    # participant's own organisation's tailored one.
    elsewhere = _at(
        BijeenkomstFactory(cohort=CohortFactory(), module=missed.module), now + timedelta(days=9)
    )
    ours = _at(
        BijeenkomstFactory(cohort=CohortFactory(organisation=utrecht), module=missed.module),
        now + timedelta(days=11),
    )
    options = makeup.make_up_options(world["enrolment"], missed)
    assert [b.pk for b in options] == [world["same"].pk, elsewhere.pk, ours.pk]
    assert options[0].guest_seats == 2


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ("present", "niet als afwezig"),
        ("other_module", "dezelfde module"),
        ("started", "al begonnen"),
        ("tailored", "andere organisatie"),
        ("full", "vol"),
        ("cancelled", "met een plek"),
        ("in_host", "zelf een inschrijving"),
    ],
)
def test_a_make_up_is_refused_with_the_reason(world, change, refusal):
    host = world["same"]
    if change == "present":
        Attendance.objects.filter(bijeenkomst=world["missed"]).update(status="present")
    elif change == "other_module":
        host = world["other"]
    elif change == "started":
        _at(host, timezone.now() - timedelta(minutes=5))
    elif change == "tailored":
        world["host"].organisation = UserFactory().organisation
        world["host"].save()
    elif change == "full":
        EnrolmentFactory.create_batch(2, cohort=world["host"])
    elif change == "cancelled":
        Enrolment.objects.filter(pk=world["enrolment"].pk).update(state="cancelled")
    elif change == "in_host":
        EnrolmentFactory(
            cohort=world["host"], participant=world["enrolment"].participant, state="waitlisted"
        )
    with pytest.raises(ValidationError) as refused:
        _ask(world, host)
    assert refusal in str(refused.value)
    assert not MakeUpRequest.objects.exists()


def test_an_excused_bijeenkomst_still_to_come_can_be_made_up(world):
    later = world["later"]
    services.attendance_excuse(bijeenkomst=later, enrolment=world["enrolment"], reason="Zorgtaak")
    host = world["other"]
    _at(host, later.starts_at - timedelta(days=2))
    made = makeup.make_up_request(enrolment=world["enrolment"], missed=later, bijeenkomst=host)
    assert made.state == State.REQUESTED


def test_a_bijeenkomst_of_another_cohort_cannot_be_named_as_missed(world):
    with pytest.raises(ValidationError, match="niet een van je uitvoering"):
        makeup.make_up_request(
            enrolment=world["enrolment"], missed=world["same"], bijeenkomst=world["same"]
        )


# --- request, decide, withdraw --------------------------------------------------------------


def test_a_request_tells_the_approvers_and_a_replay_asks_once(world, trainer, beheerder):
    first = _ask(world)
    again = _ask(world)
    assert first == again and MakeUpRequest.objects.count() == 1
    told = set(
        Notification.objects.filter(kind="make_up_requested").values_list("recipient", flat=True)
    )
    assert told == {trainer.pk, beheerder.pk}
    # A second live request for the same missed bijeenkomst elsewhere is refused.
    elsewhere = _at(
        BijeenkomstFactory(cohort=CohortFactory(), module=world["missed"].module),
        timezone.now() + timedelta(days=8),
    )
    with pytest.raises(ValidationError, match="al gevraagd"):
        _ask(world, elsewhere)


def test_the_trainer_of_the_host_approves_and_the_participant_gets_the_date(
    world, trainer, participant
):
    request = _ask(world)
    Notification.objects.all().delete()
    approved = makeup.make_up_approve(make_up=request, by=trainer)
    assert approved.state == State.APPROVED and approved.decided_by == trainer
    # Approving again (a double click) changes nothing and mails nobody twice.
    makeup.make_up_approve(make_up=request, by=trainer)
    assert _kinds() == ["make_up_approved"]
    notification = Notification.objects.get()
    assert notification.recipient == participant
    notification_send(notification_id=notification.pk)
    sent = mail.outbox[-1]
    assert "inhalen" in sent.subject.lower() or "inhalen" in sent.body.lower()
    assert [name for name, _content, _type in sent.attachments] == ["inhalen.ics"]
    assert world["host"].name in sent.body


def test_a_cancelled_host_bijeenkomst_tells_its_guests_to_choose_another(
    world, beheerder, participant
):
    from leergang import planning

    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    Notification.objects.all().delete()
    planning.bijeenkomst_cancel(bijeenkomst=world["same"], by=beheerder)
    assert not MakeUpRequest.objects.exists()
    told = Notification.objects.get(kind="make_up_host_cancelled")
    assert told.recipient == participant
    notification_send(notification_id=told.pk)
    sent = mail.outbox[-1]
    assert "gaat niet door" in sent.subject and world["host"].name in sent.body
    detail = reverse("leergang:enrolment-detail", args=[world["enrolment"].pk])
    assert detail in sent.body
    # The own missed bijeenkomst can be made up elsewhere again.
    assert makeup.missed_problem(world["enrolment"], world["missed"]) is None


def test_another_trainer_may_not_decide(world):
    other = UserFactory(roles=[Role.TRAINER])
    request = _ask(world)
    with pytest.raises(ValidationError):
        makeup.make_up_approve(make_up=request, by=other)
    with pytest.raises(ValidationError):
        makeup.make_up_reject(make_up=request, by=other, reason="Nee")
    assert MakeUpRequest.objects.get().state == State.REQUESTED


def test_a_rejection_needs_a_reason_and_tells_it(world, beheerder, participant):
    request = _ask(world)
    with pytest.raises(ValidationError):
        makeup.make_up_reject(make_up=request, by=beheerder, reason="  ")
    makeup.make_up_reject(make_up=request, by=beheerder, reason="Groep is al groot")
    told = Notification.objects.get(kind="make_up_rejected")
    assert told.recipient == participant
    assert MakeUpRequest.objects.get().reason == "Groep is al groot"
    with pytest.raises(ValidationError, match="al afgehandeld"):
        makeup.make_up_approve(make_up=request, by=beheerder)


def test_the_participant_withdraws_before_the_start_and_the_seat_is_free(
    world, beheerder, participant, clock
):
    request = _ask(world)
    makeup.make_up_approve(make_up=request, by=beheerder)
    assert makeup.guest_seats_free(world["same"], world["host"]) == 1
    makeup.make_up_cancel(make_up=request, by=participant)
    assert MakeUpRequest.objects.get().state == State.CANCELLED
    assert makeup.guest_seats_free(world["same"], world["host"]) == 2
    # The trainer of the host is told the guest no longer comes.
    assert "make_up_cancelled" in _kinds()
    again = _ask(world)
    clock.travel(days=8)
    with pytest.raises(ValidationError, match="al begonnen"):
        makeup.make_up_cancel(make_up=again, by=participant)


def test_an_approval_is_refused_when_the_seat_went_meanwhile(world, beheerder):
    request = _ask(world)
    EnrolmentFactory.create_batch(2, cohort=world["host"])
    with pytest.raises(ValidationError, match="vol"):
        makeup.make_up_approve(make_up=request, by=beheerder)


def test_guests_take_seats_at_their_bijeenkomst_and_an_enrolment_leaves_them(
    world, beheerder, participant
):
    request = _ask(world)
    makeup.make_up_approve(make_up=request, by=beheerder)
    # Host: 3 seats, 1 enrolled, 1 guest at the module's bijeenkomst: one seat for all of it.
    first = services.enrolment_create(cohort=world["host"], participant=UserFactory())
    second = services.enrolment_create(cohort=world["host"], participant=UserFactory())
    assert first.state == Enrolment.State.ENROLLED
    assert second.state == Enrolment.State.WAITLISTED


# --- attendance and completion --------------------------------------------------------------


def _record(bijeenkomst, by, enrolment, status="present"):
    return services.attendance_record(
        bijeenkomst=bijeenkomst, by=by, entries={enrolment.pk: (status, "")}
    )


def _rate(enrolment):
    return Enrolment.objects.with_attendance().get(pk=enrolment.pk).attendance


def test_attendance_as_a_guest_counts_once_for_the_own_cohort(world, beheerder, trainer, clock):
    enrolment = world["enrolment"]
    before = _rate(enrolment)
    assert (before.attended, before.held, before.planned) == (0, 1, 2)
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    clock.travel(days=8)
    _record(world["same"], trainer, enrolment)
    after = _rate(enrolment)
    assert (after.attended, after.held, after.planned) == (1, 1, 2)
    # A second make-up of the same module, also attended: still once.
    Attendance.objects.filter(bijeenkomst=world["missed"]).update(status="excused")
    MakeUpRequest.objects.update(state=State.CANCELLED)
    second = _at(
        BijeenkomstFactory(cohort=CohortFactory(), module=world["missed"].module),
        timezone.now() + timedelta(days=1),
    )
    makeup.make_up_approve(make_up=_ask(world, second), by=beheerder)
    clock.travel(days=2)
    Attendance.objects.create(enrolment=enrolment, bijeenkomst=second, status="present")
    again = _rate(enrolment)
    assert (again.attended, again.held, again.planned) == (1, 1, 2)


def test_a_guest_who_also_came_to_their_own_counts_once(world, beheerder, trainer, clock):
    """Excused in advance for the second bijeenkomst, made it up earlier elsewhere, then
    came to their own after all."""
    enrolment, later = world["enrolment"], world["later"]
    services.attendance_excuse(bijeenkomst=later, enrolment=enrolment, reason="Cursus")
    host = _at(world["other"], later.starts_at - timedelta(days=3))
    request = makeup.make_up_request(enrolment=enrolment, missed=later, bijeenkomst=host)
    makeup.make_up_approve(make_up=request, by=beheerder)
    clock.travel(days=15)
    _record(host, trainer, enrolment)
    _record(later, trainer, enrolment)
    rate = _rate(enrolment)
    assert (rate.attended, rate.held, rate.planned) == (1, 2, 2)


def test_the_guests_attendance_completes_their_own_leergang(world, beheerder, trainer, clock):
    own = world["own"]
    own.min_attendance_percent = 100
    own.reflections_required = False
    own.save()
    enrolment = world["enrolment"]
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    clock.travel(days=15)
    _record(world["later"], trainer, enrolment)
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.ENROLLED  # one of two
    _record(world["same"], trainer, enrolment)  # the host's trainer, on the host's sheet
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.COMPLETED


def test_a_stranger_still_cannot_be_recorded_on_the_host_sheet(world, trainer, clock):
    _ask(world)  # asked, not approved: no guest yet
    clock.travel(days=8)
    with pytest.raises(ValidationError):
        _record(world["same"], trainer, world["enrolment"])


# --- pages ------------------------------------------------------------------------------------


def test_the_participant_asks_from_their_cohort_page(client, world, participant):
    client.force_login(participant)
    detail = reverse("leergang:enrolment-detail", args=[world["enrolment"].pk])
    page = client.get(detail).content.decode()
    url = reverse("leergang:make-up-new", args=[world["enrolment"].pk, world["missed"].pk])
    assert url in page
    choose = client.get(url)
    assert choose.status_code == 200 and world["host"].name in choose.content.decode()
    response = client.post(url, {"bijeenkomst": world["same"].pk})
    assert response.status_code == 302
    assert MakeUpRequest.objects.get().bijeenkomst == world["same"]
    page = client.get(detail).content.decode()
    assert "Wacht op goedkeuring" in page and "Intrekken" in page


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_a_bad_choice_is_told_in_dutch(client, world, participant, value):
    client.force_login(participant)
    url = reverse("leergang:make-up-new", args=[world["enrolment"].pk, world["missed"].pk])
    response = client.post(url, {"bijeenkomst": value})
    assert response.status_code == 400
    assert "Kies een van de" in response.content.decode() or "niet een van" in (
        response.content.decode()
    )
    assert not MakeUpRequest.objects.exists()


def test_the_other_module_cannot_be_posted(client, world, participant):
    client.force_login(participant)
    url = reverse("leergang:make-up-new", args=[world["enrolment"].pk, world["missed"].pk])
    assert client.post(url, {"bijeenkomst": world["other"].pk}).status_code == 400
    assert not MakeUpRequest.objects.exists()


def test_a_bijeenkomst_not_missed_says_why(client, world, participant):
    client.force_login(participant)
    url = reverse("leergang:make-up-new", args=[world["enrolment"].pk, world["later"].pk])
    response = client.get(url)
    assert response.status_code == 200 and "niet als afwezig" in response.content.decode()


def test_the_trainer_lists_only_requests_for_their_cohorts(client, world, trainer):
    _ask(world)
    other_host = _at(
        BijeenkomstFactory(cohort=CohortFactory(), module=world["later"].module),
        timezone.now() + timedelta(days=20),
    )
    services.attendance_excuse(
        bijeenkomst=world["later"], enrolment=world["enrolment"], reason="Ziek"
    )
    makeup.make_up_request(
        enrolment=world["enrolment"], missed=world["later"], bijeenkomst=other_host
    )
    client.force_login(trainer)
    page = client.get(reverse("leergang:make-up-list")).content.decode()
    assert world["host"].name in page and other_host.cohort.name not in page


def test_the_office_approves_on_the_page(client, world, beheerder):
    request = _ask(world)
    client.force_login(beheerder)
    url = reverse("leergang:make-up-decide", args=[request.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert MakeUpRequest.objects.get().state == State.APPROVED
    # The decided request answers again without a form; a POST says it was handled.
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "reject", "reason": "x"}).status_code == 302


def test_the_host_sheet_marks_the_guest(client, world, beheerder, trainer, participant):
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    client.force_login(trainer)
    page = client.get(reverse("leergang:attendance-edit", args=[world["same"].pk]))
    # Names such as "van 't Riet" come escaped.
    assert escape(f"gast uit {world['own'].name}") in page.content.decode()
    assert escape(participant.get_full_name()) in page.content.decode()


def test_the_participants_home_shows_the_approved_make_up_to_come(
    client, world, beheerder, participant
):
    request = _ask(world)
    client.force_login(participant)
    assert "Inhaalbijeenkomst" not in client.get(reverse("portal:home")).content.decode()
    makeup.make_up_approve(make_up=request, by=beheerder)
    page = client.get(reverse("portal:home")).content.decode()
    assert f"Inhaalbijeenkomst: {escape(world['same'].title)}" in page
    assert escape(world["host"].name) in page


def test_the_approved_make_up_is_in_the_participants_calendar(world, beheerder, participant):
    from portal.calendar import events_for

    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    titles = [event.title for event in events_for(participant)]
    assert any(world["same"].title in title for title in titles)


# --- query counts -----------------------------------------------------------------------------


def test_the_choice_page_keeps_its_query_count_as_bijeenkomsten_grow(client, world, participant):
    url = reverse("leergang:make-up-new", args=[world["enrolment"].pk, world["missed"].pk])
    few = page_query_count(client, url, participant)
    for index in range(10):
        cohort = CohortFactory(leergang=world["own"].leergang, participants=2)
        _at(
            BijeenkomstFactory(cohort=cohort, module=world["missed"].module),
            timezone.now() + timedelta(days=3 + index),
        )
    assert page_query_count(client, url) == few


def _requests(world, count):
    for _ in range(count):
        enrolment = EnrolmentFactory(cohort=world["own"])
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=world["missed"], status="absent")
        makeup.make_up_request(
            enrolment=enrolment, missed=world["missed"], bijeenkomst=world["same"]
        )


@pytest.mark.parametrize("persona", ["beheerder", "trainer"])
def test_the_list_keeps_its_query_count_when_requests_grow_tenfold(client, world, persona, request):
    user = request.getfixturevalue(persona)
    _requests(world, 2)
    url = reverse("leergang:make-up-list")
    few = page_query_count(client, url, user)
    _requests(world, 18)
    assert page_query_count(client, url) == few


def test_the_decide_page_keeps_its_query_count_as_guests_grow(client, world, beheerder):
    world["host"].seats = 40
    world["host"].save()
    request = _ask(world)
    url = reverse("leergang:make-up-decide", args=[request.pk])
    _requests(world, 1)
    MakeUpRequest.objects.exclude(pk=request.pk).update(state=State.APPROVED)
    few = page_query_count(client, url, beheerder)
    _requests(world, 10)
    MakeUpRequest.objects.exclude(pk=request.pk).update(state=State.APPROVED)
    assert page_query_count(client, url) == few


def test_the_cohort_page_keeps_its_query_count_with_make_ups(client, world, participant):
    url = reverse("leergang:enrolment-detail", args=[world["enrolment"].pk])
    few = page_query_count(client, url, participant)
    _ask(world)
    MakeUpRequest.objects.update(state=State.REJECTED)
    for _ in range(9):
        _ask(world)
        MakeUpRequest.objects.filter(state=State.REQUESTED).update(state=State.REJECTED)
    assert page_query_count(client, url) == few


# --- concurrency ------------------------------------------------------------------------------


def _guests_wanting(host_seats, guests):
    """A host with ``host_seats`` seats, one of them taken, and ``guests`` participants of
    another cohort who missed the module and asked to make it up there."""
    now = timezone.now()
    leergang = LeergangFactory()
    own, missed, _later = _running(leergang, now=now)
    host = CohortFactory(leergang=leergang, seats=host_seats, participants=1)
    target = _at(BijeenkomstFactory(cohort=host, module=missed.module), now + timedelta(days=7))
    asked = []
    for _ in range(guests):
        enrolment = EnrolmentFactory(cohort=own)
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=missed, status="absent")
        asked.append((enrolment, missed))
    return host, target, asked


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_for_the_last_guest_seats_give_exactly_those():
    office = UserFactory(roles=[Role.BEHEERDER])
    host, target, asked = _guests_wanting(host_seats=3, guests=6)  # two seats for guests
    requests = iter(
        [
            makeup.make_up_request(enrolment=enrolment, missed=missed, bijeenkomst=target)
            for enrolment, missed in asked
        ]
    )
    outcomes = run_in_parallel(
        lambda: makeup.make_up_approve(make_up=next(requests), by=office).state, 6
    )
    assert outcomes.count(State.APPROVED) == 2
    assert [type(o) for o in outcomes].count(ValidationError) == 4
    assert makeup.guests_at(target) == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_then_a_full_bijeenkomst_refuses_the_rest():
    office = UserFactory(roles=[Role.BEHEERDER])
    host, target, asked = _guests_wanting(host_seats=2, guests=5)  # one seat for a guest
    pending = iter(asked)

    def ask():
        enrolment, missed = next(pending)
        return makeup.make_up_request(enrolment=enrolment, missed=missed, bijeenkomst=target)

    requests = run_in_parallel(ask, 5)
    assert all(isinstance(r, MakeUpRequest) for r in requests), requests
    makeup.make_up_approve(make_up=requests[0], by=office)
    for other in requests[1:]:
        with pytest.raises(ValidationError):
            makeup.make_up_approve(make_up=other, by=office)
    assert makeup.guests_at(target) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_guest_racing_an_enrolment_for_the_last_seat_never_oversells(round_):
    office = UserFactory(roles=[Role.BEHEERDER])
    host, target, asked = _guests_wanting(host_seats=2, guests=1)  # one seat left
    enrolment, missed = asked[0]
    request = makeup.make_up_request(enrolment=enrolment, missed=missed, bijeenkomst=target)
    newcomer = UserFactory(roles=[Role.DEELNEMER])
    jobs = iter(
        [
            lambda: makeup.make_up_approve(make_up=request, by=office).state,
            lambda: services.enrolment_create(cohort=host, participant=newcomer).state,
        ]
    )
    outcomes = run_in_parallel(lambda: next(jobs)(), 2)
    seated = host.enrolments.holding_seat().count()
    assert seated + makeup.guests_at(target) <= host.seats, outcomes
    assert State.APPROVED in outcomes or Enrolment.State.ENROLLED in outcomes


def test_a_move_into_a_cohort_whose_last_seat_a_guest_holds_is_refused(world, beheerder):
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    EnrolmentFactory(cohort=world["host"])  # 3 seats: 2 enrolled, 1 guest
    mover = EnrolmentFactory(cohort=CohortFactory(leergang=world["own"].leergang))
    with pytest.raises(ValidationError, match="vol"):
        services.enrolment_move(enrolment=mover, to_cohort=world["host"], by=beheerder)


def test_the_host_cohort_page_names_its_guests_and_the_own_matrix_counts_the_make_up(
    client, world, beheerder, trainer, participant, clock
):
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    client.force_login(trainer)
    host_page = client.get(reverse("leergang:cohort-manage", args=[world["host"].pk]))
    assert f"{participant.get_full_name()}, gast uit {world['own'].name}" in (
        host_page.content.decode()
    )
    clock.travel(days=8)
    _record(world["same"], trainer, world["enrolment"])
    world["own"].trainers.add(trainer)
    client.force_login(trainer)  # a week later: signed in again
    own_page = client.get(reverse("leergang:cohort-manage", args=[world["own"].pk]))
    # Present at the made-up module: 1 of 1 held, as the participant's own page counts it.
    assert "<td>1 van 1</td>" in own_page.content.decode()


def test_a_guest_is_told_when_the_host_bijeenkomst_moves(world, beheerder, participant):
    from portal.appointments import concerned

    assert participant not in concerned(world["same"])
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    assert participant in concerned(world["same"])


def test_a_cancelled_enrolment_ends_its_make_ups_and_frees_the_guest_seat(
    world, beheerder, participant
):
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    assert makeup.guest_seats_free(world["same"], world["host"]) == 1
    services.enrolment_cancel(enrolment=world["enrolment"], by=beheerder, reason="Ziek")
    assert MakeUpRequest.objects.get().state == State.CANCELLED
    assert makeup.guest_seats_free(world["same"], world["host"]) == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_missed_bijeenkomst_at_different_hosts_make_one():
    now = timezone.now()
    leergang = LeergangFactory()
    own, missed, _later = _running(leergang, now=now)
    enrolment = EnrolmentFactory(cohort=own)
    Attendance.objects.create(enrolment=enrolment, bijeenkomst=missed, status="absent")
    hosts = iter(
        [
            _at(
                BijeenkomstFactory(cohort=CohortFactory(leergang=leergang), module=missed.module),
                now + timedelta(days=5 + n),
            )
            for n in range(5)
        ]
    )
    outcomes = run_in_parallel(
        lambda: makeup.make_up_request(enrolment=enrolment, missed=missed, bijeenkomst=next(hosts)),
        5,
    )
    assert [type(o) for o in outcomes].count(MakeUpRequest) == 1, outcomes
    assert all(isinstance(o, MakeUpRequest | ValidationError) for o in outcomes), outcomes
    assert MakeUpRequest.objects.filter(enrolment=enrolment).count() == 1


def test_the_participants_page_shows_the_made_up_module_done(
    client, world, beheerder, trainer, participant, clock
):
    enrolment, missed = world["enrolment"], world["missed"]
    Reflection.objects.create(
        enrolment=enrolment, module=missed.module, text="Geleerd", submitted_at=timezone.now()
    )
    makeup.make_up_approve(make_up=_ask(world), by=beheerder)
    clock.travel(days=8)
    _record(world["same"], trainer, enrolment)
    client.force_login(participant)
    page = client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk])).content.decode()
    assert "✔ Afgerond" in page
