"""The programme office's people pages: every enrolment, enrolling on someone's behalf,
moving a person to another cohort of the same leergang, cancelling with a reason."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leergang import services
from leergang.models import Attendance, Enrolment, EnrolmentTransition, Reflection
from portal.models import Notification, Role
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    LeergangFactory,
    UserFactory,
)
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

State = Enrolment.State
LIST = reverse("leergang:office-enrolments")


def _move_url(enrolment):
    return reverse("leergang:office-enrolment-move", args=[enrolment.pk])


@pytest.fixture
def running(participant):
    """A cohort half done: the participant was present at the first two of four
    bijeenkomsten and wrote the reflections of those modules; a later cohort of the
    same leergang has the same four modules."""
    now = timezone.now()
    cohort = CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=60),
        bijeenkomsten=4,
    )
    past = list(cohort.bijeenkomsten.order_by("starts_at"))
    for index, bijeenkomst in enumerate(past):
        bijeenkomst.starts_at = now + timedelta(days=14 * (index - 2))
        bijeenkomst.ends_at = bijeenkomst.starts_at + timedelta(hours=3)
        bijeenkomst.save()
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    for bijeenkomst in past[:2]:
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomst, status="present")
        Reflection.objects.create(
            enrolment=enrolment,
            module=bijeenkomst.module,
            text=f"Inzicht {bijeenkomst.module}",
            submitted_at=now,
        )
    later = CohortFactory(leergang=cohort.leergang, bijeenkomsten=4, seats=2)
    return {"cohort": cohort, "enrolment": enrolment, "later": later, "done": past[:2]}


def test_moving_keeps_attendance_reflections_and_both_histories(running, beheerder):
    old, later = running["enrolment"], running["later"]
    new = services.enrolment_move(
        enrolment=old, to_cohort=later, by=beheerder, reason="Verhuisd naar Zwolle"
    )
    old.refresh_from_db()
    assert old.state == State.CANCELLED and old.moved_to == new
    assert new.cohort == later and new.state == State.ENROLLED and new.moved_from == old
    assert "Verhuisd naar Zwolle" in old.decision_reason and later.name in old.decision_reason
    # The attendance and reflections of the two modules done went along.
    assert set(new.attendances.values_list("bijeenkomst", flat=True)) == {
        b.pk for b in running["done"]
    }
    assert new.reflections.count() == 2 and old.reflections.count() == 0
    # Both histories stay, and both say the programme office did it.
    assert list(old.transitions.values_list("to_state", "by")) == [
        (State.ENROLLED, None),
        (State.CANCELLED, beheerder.pk),
    ]
    assert list(new.transitions.values_list("to_state", "by")) == [(State.ENROLLED, beheerder.pk)]
    # One e-mail to the person, through the outbox.
    assert list(Notification.objects.values_list("kind", flat=True)) == ["enrolment_moved"]


def test_modules_done_before_the_move_count_toward_completion_there(running, beheerder):
    new = services.enrolment_move(
        enrolment=running["enrolment"], to_cohort=running["later"], by=beheerder
    )
    rate = Enrolment.objects.with_attendance().get(pk=new.pk).attendance
    # The later cohort has not started: only the two modules taken along count, as held
    # and attended, out of its four planned bijeenkomsten.
    assert (rate.attended, rate.held, rate.planned) == (2, 2, 4)
    assert services.completion_status(Enrolment.objects.with_attendance().get(pk=new.pk))[
        "missing_reflections"
    ] == [link.module_id for link in running["later"].leergang.module_links.all()[2:]]


def test_a_module_done_in_both_cohorts_counts_once(running, beheerder):
    new = services.enrolment_move(
        enrolment=running["enrolment"], to_cohort=running["later"], by=beheerder
    )
    first_here = running["later"].bijeenkomsten.order_by("starts_at").first()
    first_here.starts_at = timezone.now() - timedelta(hours=4)
    first_here.ends_at = timezone.now() - timedelta(hours=1)
    first_here.save()
    Attendance.objects.create(enrolment=new, bijeenkomst=first_here, status="present")
    rate = Enrolment.objects.with_attendance().get(pk=new.pk).attendance
    assert (rate.attended, rate.held) == (2, 2)


def test_the_move_completes_when_the_rule_is_met_there(running, beheerder):
    later = running["later"]
    later.min_attendance_percent = 50
    later.reflections_required = False
    later.save()
    new = services.enrolment_move(enrolment=running["enrolment"], to_cohort=later, by=beheerder)
    assert new.state == State.COMPLETED and new.certificate_code


def test_the_seat_left_goes_to_the_first_on_the_waiting_list(running, beheerder):
    cohort = running["cohort"]
    cohort.seats = 1
    cohort.save()
    waiting = EnrolmentFactory(cohort=cohort, state=State.WAITLISTED)
    services.enrolment_move(
        enrolment=running["enrolment"], to_cohort=running["later"], by=beheerder
    )
    waiting.refresh_from_db()
    assert waiting.state == State.ENROLLED
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "enrolment_moved",
        "enrolment_promoted",
    }


def _refusal(enrolment, to_cohort, by) -> str:
    with pytest.raises(ValidationError) as refused:
        services.enrolment_move(enrolment=enrolment, to_cohort=to_cohort, by=by)
    return refused.value.messages[0]


def test_moves_that_are_refused_change_nothing(running, beheerder, nijmegen):
    enrolment, later = running["enrolment"], running["later"]
    assert "zelfde leergang" in _refusal(enrolment, CohortFactory(), beheerder)
    ended = CohortFactory(
        leergang=later.leergang,
        starts_on=timezone.localdate() - timedelta(days=100),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    assert "al afgelopen" in _refusal(enrolment, ended, beheerder)
    tailored = CohortFactory(leergang=later.leergang, organisation=nijmegen)
    assert "andere organisatie" in _refusal(enrolment, tailored, beheerder)
    assert "al in deze uitvoering" in _refusal(enrolment, running["cohort"], beheerder)
    EnrolmentFactory.create_batch(2, cohort=later)
    full = _refusal(enrolment, later, beheerder)
    assert later.name in full and "vol" in full and "blijft" in full
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED and enrolment.attendances.count() == 2
    assert Enrolment.objects.filter(participant=enrolment.participant).count() == 1


def test_a_request_awaiting_approval_is_not_moved(beheerder):
    request = EnrolmentFactory(cohort=CohortFactory(requires_approval=True), state=State.REQUESTED)
    to = CohortFactory(leergang=request.cohort.leergang)
    assert "goedkeuring" in _refusal(request, to, beheerder)


def test_the_office_enrols_on_someones_behalf_and_the_approval_rule_applies(
    client, beheerder, participant, hr
):
    open_cohort = CohortFactory()
    approval = CohortFactory(requires_approval=True)
    client.force_login(beheerder)
    for cohort in (open_cohort, approval):
        response = client.post(
            reverse("leergang:office-enrol"),
            {"cohort": cohort.pk, "email": participant.email.upper(), "once": str(uuid.uuid4())},
        )
        assert response.status_code == 302
    seat = Enrolment.objects.get(cohort=open_cohort)
    asked = Enrolment.objects.get(cohort=approval)
    assert seat.state == State.ENROLLED and asked.state == State.REQUESTED
    assert set(EnrolmentTransition.objects.values_list("by", flat=True)) == {beheerder.pk}
    # HR of the person's organisation still decides.
    assert Notification.objects.filter(kind="enrolment_approval_needed", recipient=hr).exists()


def test_a_double_post_enrols_once(client, beheerder, participant):
    cohort = CohortFactory()
    client.force_login(beheerder)
    data = {"cohort": cohort.pk, "email": participant.email, "once": str(uuid.uuid4())}
    first = client.post(reverse("leergang:office-enrol"), data)
    second = client.post(reverse("leergang:office-enrol"), data)
    assert first.status_code == second.status_code == 302
    assert Enrolment.objects.filter(cohort=cohort).count() == 1
    assert Notification.objects.filter(kind="enrolment_enrolled").count() == 1


def test_enrolling_someone_unknown_or_twice_is_told_in_dutch(client, beheerder, participant):
    cohort = CohortFactory()
    EnrolmentFactory(cohort=cohort, participant=participant)
    client.force_login(beheerder)
    url = reverse("leergang:office-enrol")
    unknown = client.post(url, {"cohort": cohort.pk, "email": "niemand@example.org"})
    assert unknown.status_code == 400
    assert "Niemand in het portaal heeft dit e-mailadres" in unknown.content.decode()
    trainer = UserFactory(roles=[Role.TRAINER])
    not_participant = client.post(url, {"cohort": cohort.pk, "email": trainer.email})
    assert "geen deelnemer" in not_participant.content.decode()
    twice = client.post(url, {"cohort": cohort.pk, "email": participant.email})
    assert twice.status_code == 400
    assert "De persoon heeft al een inschrijving in deze uitvoering" in twice.content.decode()
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_moving_through_the_page_twice_moves_once(client, beheerder, running):
    client.force_login(beheerder)
    data = {"to_cohort": running["later"].pk, "reason": "", "once": str(uuid.uuid4())}
    url = _move_url(running["enrolment"])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Enrolment.objects.filter(cohort=running["later"]).count() == 1
    page = client.get(LIST).content.decode()
    assert f"verplaatst naar {running['later'].name}" in page


def test_a_full_cohort_is_refused_on_the_form(client, beheerder, running):
    EnrolmentFactory.create_batch(2, cohort=running["later"])
    client.force_login(beheerder)
    response = client.post(_move_url(running["enrolment"]), {"to_cohort": running["later"].pk})
    assert response.status_code == 400
    assert "blijft" in response.content.decode()


def test_another_leergang_is_no_choice_on_the_form(client, beheerder, running):
    client.force_login(beheerder)
    response = client.post(_move_url(running["enrolment"]), {"to_cohort": CohortFactory().pk})
    assert response.status_code == 400
    assert running["enrolment"].cohort.enrolments.live().count() == 1


def test_cancelling_needs_a_reason_and_may_pass_the_deadline(client, beheerder, running):
    enrolment = running["enrolment"]  # its cohort has started: past the deadline
    client.force_login(beheerder)
    url = reverse("leergang:office-enrolment-cancel", args=[enrolment.pk])
    assert client.post(url, {"reason": " "}).status_code == 400
    assert client.post(url, {"reason": "Langdurig ziek"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == State.CANCELLED and enrolment.decision_reason == "Langdurig ziek"
    again = client.post(url, {"reason": "Nog eens"})
    assert again.status_code == 400 and "niet meer annuleren" in again.content.decode()


def test_the_list_filters_across_organisations(client, beheerder, participant, outsider):
    utrecht = EnrolmentFactory(participant=participant)
    nijmegen = EnrolmentFactory(participant=outsider, state=State.WAITLISTED)
    client.force_login(beheerder)
    everyone = client.get(LIST).content.decode()
    assert participant.last_name in everyone and outsider.last_name in everyone
    by_organisation = client.get(LIST, {"organisation": outsider.organisation_id})
    assert participant.email not in by_organisation.content.decode()
    assert outsider.email in by_organisation.content.decode()
    by_state = client.get(LIST, {"state": "waitlisted"}).content.decode()
    assert outsider.email in by_state and participant.email not in by_state
    by_cohort = client.get(LIST, {"cohort": utrecht.cohort_id}).content.decode()
    assert participant.email in by_cohort and outsider.email not in by_cohort
    by_leergang = client.get(LIST, {"leergang": nijmegen.cohort.leergang_id}).content.decode()
    assert outsider.email in by_leergang and participant.email not in by_leergang


@pytest.mark.parametrize(
    "query",
    [
        {"cohort": "x"},
        {"cohort": "999999"},
        {"state": "weg"},
        {"organisation": "-1"},
        {"leergang": "1e9"},
        {"sort": "geheim"},
    ],
)
def test_bad_filter_values_are_told_in_dutch(client, beheerder, query):
    client.force_login(beheerder)
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode() or (
        "kan niet gesorteerd worden" in response.content.decode()
    )


def test_the_list_keeps_its_query_count_when_the_data_grows_tenfold(client, beheerder):
    leergang = LeergangFactory()
    CohortFactory(leergang=leergang, participants=3)
    few = page_query_count(client, LIST, beheerder)
    for _ in range(10):
        cohort = CohortFactory(leergang=leergang, participants=3)
        mover = cohort.enrolments.first()
        services.enrolment_move(
            enrolment=mover, to_cohort=CohortFactory(leergang=leergang), by=beheerder
        )
    assert page_query_count(client, LIST) == few


def test_the_move_page_keeps_its_query_count_as_cohorts_grow(client, beheerder, running):
    url = _move_url(running["enrolment"])
    few = page_query_count(client, url, beheerder)
    for _ in range(10):
        CohortFactory(leergang=running["later"].leergang, participants=3)
        BijeenkomstFactory(cohort=running["cohort"])
    assert page_query_count(client, url) == few


def test_a_moved_persons_account_can_still_be_removed(running, beheerder):
    new = services.enrolment_move(
        enrolment=running["enrolment"], to_cohort=running["later"], by=beheerder
    )
    new.participant.delete()
    assert not Enrolment.objects.filter(pk__in=[new.pk, running["enrolment"].pk]).exists()


def test_the_person_moved_sees_the_new_cohort_with_what_went_along(client, running, beheerder):
    old = running["enrolment"]
    new = services.enrolment_move(enrolment=old, to_cohort=running["later"], by=beheerder)
    client.force_login(new.participant)
    mine = client.get(reverse("leergang:my-leergang"))
    assert mine.status_code == 200 and running["later"].name in mine.content.decode()
    page = client.get(reverse("leergang:enrolment-detail", args=[new.pk]))
    assert page.status_code == 200
    old_url = reverse("leergang:enrolment-detail", args=[old.pk])
    assert f'Je komt hier vanuit <a href="{old_url}">' in page.content.decode()
    # The reflections written in the old cohort are there, on the new enrolment.
    first = running["done"][0].module
    reflection = client.get(reverse("leergang:reflection-edit", args=[new.pk, first.slug]))
    assert f"Inzicht {first}" in reflection.content.decode()
    before = client.get(old_url)
    new_url = reverse("leergang:enrolment-detail", args=[new.pk])
    assert f'Het programmabureau heeft je verplaatst naar <a href="{new_url}">' in (
        before.content.decode()
    )
