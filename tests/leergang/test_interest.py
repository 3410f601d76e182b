"""The interest list: registering, which new cohort fits whom, telling them once, the
first-access window and then the catalogue for all, and the pages of the participant, HR
and the programme office."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leergang import interest, planning, retention, services
from leergang.models import Cohort, Enrolment, Interest, Region
from portal.models import Notification, Role
from tests.concurrency import run_in_parallel
from tests.factories import CohortFactory, LeergangFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

KIND = "interest_cohort_opened"


def _told(cohort=None):
    rows = Notification.objects.filter(kind=KIND)
    if cohort is not None:
        rows = rows.filter(about_id=cohort.pk)
    return sorted(rows.values_list("recipient_id", flat=True))


def _register(person, leergang, **fields):
    return interest.interest_register(participant=person, leergang=leergang, **fields)


def _open(leergang, **fields) -> Cohort:
    """A cohort the office has just created, and the interest list told."""
    cohort = CohortFactory(leergang=leergang, **fields)
    interest.cohort_open_to_interest(cohort=cohort)
    cohort.refresh_from_db()
    return cohort


# --- registering -------------------------------------------------------------------------------


def test_a_participant_registers_changes_and_withdraws_interest(participant):
    leergang = LeergangFactory()
    today = timezone.localdate()
    first = _register(participant, leergang, region=Region.UTRECHT)
    again = _register(
        participant,
        leergang,
        region=Region.ONLINE,
        earliest_start=today + timedelta(days=30),
        latest_start=today + timedelta(days=90),
    )
    assert again.pk == first.pk and Interest.objects.count() == 1
    assert again.region == Region.ONLINE and again.created_at == first.created_at
    changed = interest.interest_update(interest=again, region="")
    assert changed.region == "" and changed.earliest_start is None
    assert interest.interest_withdraw(participant=participant, leergang=leergang) == 1
    assert interest.interest_withdraw(participant=participant, leergang=leergang) == 0


@pytest.mark.parametrize(
    ("earliest", "latest", "field", "message"),
    [
        (-1, None, "earliest_start", "Deze datum ligt in het verleden."),
        (None, -3, "latest_start", "Deze datum ligt in het verleden."),
        (60, 30, "latest_start", "De laatste startdatum ligt voor de eerste."),
        (5000, None, "earliest_start", "Kies een datum binnen drie jaar."),
    ],
)
def test_a_period_that_cannot_be_is_refused_at_its_field(
    participant, earliest, latest, field, message
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _register(
            participant,
            LeergangFactory(),
            earliest_start=earliest is not None and today + timedelta(days=earliest) or None,
            latest_start=latest is not None and today + timedelta(days=latest) or None,
        )
    assert refused.value.message_dict[field] == [message]
    assert not Interest.objects.exists()


def test_only_participants_register_interest_and_only_in_a_published_leergang(trainer, participant):
    with pytest.raises(ValidationError):
        _register(trainer, LeergangFactory())
    with pytest.raises(ValidationError):
        _register(participant, LeergangFactory(is_published=False))


# --- who a new cohort fits ---------------------------------------------------------------------


def test_a_new_cohort_fits_by_region_period_and_organisation(participant, outsider, utrecht):
    leergang = LeergangFactory()
    starts = timezone.localdate() + timedelta(days=60)
    anywhere = UserFactory(organisation=utrecht)
    same_region = UserFactory(organisation=utrecht)
    other_region = UserFactory(organisation=utrecht)
    too_early = UserFactory(organisation=utrecht)
    too_late = UserFactory(organisation=utrecht)
    in_period = UserFactory(organisation=utrecht)
    _register(anywhere, leergang)
    _register(same_region, leergang, region=Region.UTRECHT)
    _register(other_region, leergang, region=Region.LIMBURG)
    _register(too_early, leergang, latest_start=starts - timedelta(days=1))
    _register(too_late, leergang, earliest_start=starts + timedelta(days=1))
    _register(in_period, leergang, earliest_start=starts, latest_start=starts)
    _register(outsider, leergang)  # Nijmegen
    _register(participant, LeergangFactory())  # another leergang
    open_cohort = CohortFactory(leergang=leergang, starts_on=starts, region=Region.UTRECHT)
    fits = {i.participant for i in interest.fitting_interests(open_cohort)}
    assert fits == {anywhere, same_region, in_period, outsider}
    tailored = CohortFactory(
        leergang=leergang, starts_on=starts, region=Region.UTRECHT, organisation=utrecht
    )
    assert outsider not in {i.participant for i in interest.fitting_interests(tailored)}


def test_the_people_it_fits_are_told_once_and_get_first_access(settings, participant):
    settings.INTEREST_PRIORITY_DAYS = 10
    leergang = LeergangFactory()
    _register(participant, leergang)
    cohort = CohortFactory(leergang=leergang)
    assert interest.cohort_open_to_interest(cohort=cohort) == 1
    assert interest.cohort_open_to_interest(cohort=cohort) == 0  # a retry tells nobody again
    cohort.refresh_from_db()
    assert _told(cohort) == [participant.pk]
    assert cohort.interest_notified_at is not None
    assert cohort.priority_until - cohort.interest_notified_at == timedelta(days=10)


def test_a_cohort_nobody_waits_for_is_open_at_once(participant):
    leergang = LeergangFactory()
    _register(participant, leergang, region=Region.LIMBURG)
    cohort = _open(leergang, region=Region.UTRECHT)
    assert cohort.priority_until is None and cohort.interest_notified_at is not None
    assert _told() == []


def test_the_office_creating_a_cohort_tells_the_interest_list(participant, beheerder):
    leergang = LeergangFactory()
    _register(participant, leergang, region=Region.GELDERLAND)
    starts = timezone.localdate() + timedelta(days=40)
    cohort = planning.cohort_save(
        cohort=None,
        by=beheerder,
        leergang=leergang,
        trainers=[],
        name="Groep Arnhem",
        starts_on=starts,
        ends_on=starts + timedelta(days=90),
        seats=12,
        cancellation_deadline=starts - timedelta(days=7),
        region=Region.GELDERLAND,
    )
    assert _told(cohort) == [participant.pk]
    cohort.refresh_from_db()
    assert cohort.priority_until is not None
    # Saving it again later tells nobody again.
    planning.cohort_save(
        cohort=cohort,
        by=beheerder,
        leergang=leergang,
        trainers=[],
        name="Groep Arnhem",
        starts_on=starts,
        ends_on=starts + timedelta(days=90),
        seats=14,
        cancellation_deadline=starts - timedelta(days=7),
        region=Region.GELDERLAND,
    )
    assert _told(cohort) == [participant.pk]


def test_the_mail_links_to_enrolling_and_says_until_when(participant):
    from portal.notifications import render_notification

    leergang = LeergangFactory()
    _register(participant, leergang)
    cohort = _open(leergang)
    message = render_notification(Notification.objects.get(kind=KIND))
    assert reverse("leergang:cohort-enrol", args=[cohort.pk]) in message.body
    until = timezone.localtime(cohort.priority_until)
    assert str(until.year) in message.body and leergang.title in message.subject


# --- the first-access window, then public -------------------------------------------------------


def test_interest_list_first_access_window_then_public(
    clock, settings, client, participant, utrecht
):
    leergang = LeergangFactory()
    _register(participant, leergang)
    cohort = _open(leergang)
    latecomer = UserFactory(organisation=utrecht)
    catalogue = reverse("leergang:catalogue")

    # In the window: the latecomer neither finds the cohort nor may enrol, and is told why.
    client.force_login(latecomer)
    assert cohort.name not in client.get(catalogue).content.decode()
    page = client.get(leergang.get_absolute_url()).content.decode()
    assert "eerst open voor wie belangstelling had" in page
    problem = services.cohort_enrolment_problem(cohort, latecomer)
    assert problem.startswith("Deze uitvoering staat tot ")
    with pytest.raises(ValidationError):
        services.enrolment_create(cohort=cohort, participant=latecomer)
    response = client.post(reverse("leergang:cohort-enrol", args=[cohort.pk]))
    assert response.status_code == 400
    # Registering now, a day into the window, does not jump the queue.
    clock.travel(days=1)
    _register(latecomer, leergang)
    assert services.cohort_enrolment_problem(cohort, latecomer)

    # The person on the list finds it and enrols, and is no longer demand.
    client.force_login(participant)
    assert cohort.name in client.get(catalogue).content.decode()
    enrolment = services.enrolment_create(cohort=cohort, participant=participant)
    assert enrolment.state == Enrolment.State.ENROLLED
    assert not Interest.objects.filter(participant=participant).exists()

    # After the window: everyone.
    clock.travel(days=settings.INTEREST_PRIORITY_DAYS)
    client.force_login(latecomer)
    assert cohort.name in client.get(catalogue).content.decode()
    assert services.cohort_enrolment_problem(cohort, latecomer) is None
    assert services.enrolment_create(cohort=cohort, participant=latecomer).is_enrolled


def test_the_office_may_enrol_anyone_during_the_window(participant, beheerder, utrecht):
    leergang = LeergangFactory()
    _register(participant, leergang)
    cohort = _open(leergang)
    other = UserFactory(organisation=utrecht)
    enrolment = services.enrolment_create(cohort=cohort, participant=other, by=beheerder)
    assert enrolment.is_enrolled


# --- pages ----------------------------------------------------------------------------------


def test_the_leergang_page_offers_the_form_and_registering_works(client, participant):
    leergang = LeergangFactory()
    client.force_login(participant)
    page = client.get(leergang.get_absolute_url()).content.decode()
    assert "Houd mij op de hoogte" in page
    url = reverse("leergang:interest-edit", args=[leergang.slug])
    response = client.post(
        url, {"region": Region.UTRECHT, "earliest_start": "", "latest_start": ""}
    )
    assert response.status_code == 302
    assert Interest.objects.get(participant=participant).region == Region.UTRECHT
    page = client.get(leergang.get_absolute_url()).content.decode()
    assert "Je staat op de belangstellingslijst" in page
    mine = client.get(reverse("leergang:my-interests")).content.decode()
    assert leergang.title in mine
    client.post(reverse("leergang:interest-withdraw", args=[leergang.slug]))
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"earliest_start": "2001-01-01"}, "Deze datum ligt in het verleden."),
        ({"region": "mars"}, "Selecteer een geldige keuze"),
        ({"earliest_start": "morgen"}, "Voer een geldige datum in."),
    ],
)
def test_the_interest_form_refuses_in_dutch(client, participant, data, message):
    leergang = LeergangFactory()
    client.force_login(participant)
    response = client.post(reverse("leergang:interest-edit", args=[leergang.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Interest.objects.exists()


def test_the_period_in_the_wrong_order_is_refused_in_dutch(client, participant):
    today = timezone.localdate()
    client.force_login(participant)
    response = client.post(
        reverse("leergang:interest-edit", args=[LeergangFactory().slug]),
        {
            "earliest_start": (today + timedelta(days=60)).isoformat(),
            "latest_start": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "De laatste startdatum ligt voor de eerste." in response.content.decode()


def test_hr_sees_its_own_peoples_interest_only(client, hr, participant, outsider):
    leergang = LeergangFactory()
    _register(participant, leergang)
    _register(outsider, leergang)
    client.force_login(hr)
    page = client.get(reverse("leergang:hr-interest")).content.decode()
    assert escape(participant.get_full_name()) in page
    assert escape(outsider.get_full_name()) not in page


def test_the_office_sees_the_demand_per_leergang_and_region(client, beheerder, utrecht):
    leergang = LeergangFactory()
    for region in [Region.UTRECHT, Region.UTRECHT, ""]:
        _register(UserFactory(organisation=utrecht), leergang, region=region)
    rows = {(row.leergang, row.region): row.count for row in interest.demand()}
    assert rows == {(leergang.title, "Utrecht"): 2, (leergang.title, "Elke regio"): 1}
    page = page_query_count(client, reverse("leergang:planning-demand"), beheerder)
    assert page


def _more_interest(utrecht, nijmegen, times=10):
    for _ in range(times):
        leergang = LeergangFactory()
        for organisation, region in [(utrecht, Region.UTRECHT), (nijmegen, "")]:
            _register(UserFactory(organisation=organisation), leergang, region=region)


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("leergang:hr-interest", "hr"),
        ("leergang:planning-demand", "beheerder"),
        ("leergang:my-interests", "participant"),
        ("leergang:planning-create", "beheerder"),
    ],
)
def test_the_interest_pages_keep_their_query_count_when_the_data_grows_tenfold(
    client, request, utrecht, nijmegen, url_name, persona
):
    user = request.getfixturevalue(persona)
    url = reverse(url_name)
    _more_interest(utrecht, nijmegen, times=1)
    if persona == "participant":
        _register(user, LeergangFactory())
    few = page_query_count(client, url, user)
    _more_interest(utrecht, nijmegen, times=10)
    if persona == "participant":
        for _ in range(10):
            _register(user, LeergangFactory())
    assert page_query_count(client, url) == few


def test_the_leergang_page_keeps_its_query_count_as_interest_and_kept_cohorts_grow(
    client, participant, utrecht, nijmegen
):
    leergang = LeergangFactory()
    _register(UserFactory(organisation=utrecht), leergang)
    _open(leergang)
    url = leergang.get_absolute_url()
    few = page_query_count(client, url, participant)
    for _ in range(10):
        _open(leergang)
    _more_interest(utrecht, nijmegen)
    assert page_query_count(client, url) == few


# --- retention ---------------------------------------------------------------------------------


def test_interest_goes_with_pseudonymisation_and_after_the_retention_period(
    clock, settings, participant, utrecht
):
    settings.RETENTION_MONTHS = 12
    leergang = LeergangFactory()
    old = UserFactory(organisation=utrecht)
    _register(old, leergang)
    retention.pseudonymise([old.pk])
    assert not Interest.objects.filter(participant=old).exists()
    _register(participant, leergang)
    clock.travel(days=300)
    assert interest.interest_expire() == 0
    clock.travel(days=70)
    assert interest.interest_expire() == 1


# --- in parallel --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_tell_the_interest_list_once():
    leergang = LeergangFactory()
    people = UserFactory.create_batch(3, roles=[Role.DEELNEMER])
    for person in people:
        _register(person, leergang)
    cohort = CohortFactory(leergang=leergang)
    told = run_in_parallel(lambda: interest.cohort_open_to_interest(cohort=cohort), 6)
    assert sorted(told) == [0, 0, 0, 0, 0, 3], told
    assert _told(cohort) == sorted(person.pk for person in people)


def test_the_office_plans_a_cohort_with_a_region_on_the_page_and_the_list_is_told(
    client, beheerder, participant
):
    leergang = LeergangFactory()
    _register(participant, leergang, region=Region.GELDERLAND)
    client.force_login(beheerder)
    form = client.get(reverse("leergang:planning-create")).content.decode()
    assert "Op de belangstellingslijst" in form and leergang.title in form
    starts = timezone.localdate() + timedelta(days=50)
    response = client.post(
        reverse("leergang:planning-create"),
        {
            "leergang": leergang.pk,
            "name": "Groep Nijmegen",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=90)).isoformat(),
            "seats": 12,
            "cancellation_deadline": (starts - timedelta(days=7)).isoformat(),
            "min_attendance_percent": 80,
            "region": Region.GELDERLAND,
            # The waiting list's settings (part 5), where the form has them.
            "waitlist_mode": "automatic",
            "offer_hours": 48,
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Groep Nijmegen")
    assert cohort.region == Region.GELDERLAND and cohort.priority_until is not None
    assert _told(cohort) == [participant.pk]
    page = client.get(reverse("leergang:planning-cohort", args=[cohort.pk])).content.decode()
    assert "Tot " in page and "belangstellingslijst" in page


def test_the_participants_export_holds_their_interest_and_nobody_elses(
    client, participant, outsider
):
    import json

    leergang = LeergangFactory()
    _register(participant, leergang, region=Region.ONLINE)
    _register(outsider, LeergangFactory(title="Alleen van Nijmegen"))
    client.force_login(participant)
    data = json.loads(client.get(reverse("portal:profile-export")).content)
    assert [row["leergang"] for row in data["interest_list"]] == [leergang.title]
    assert data["interest_list"][0]["region"] == "Online"
    assert "Alleen van Nijmegen" not in json.dumps(data)


def test_a_cohort_added_in_the_admin_tells_the_interest_list_once(client, beheerder, participant):
    leergang = LeergangFactory()
    _register(participant, leergang)
    starts = timezone.localdate() + timedelta(days=45)
    client.force_login(beheerder)
    data = {
        "leergang": leergang.pk,
        "name": "Groep uit de beheeromgeving",
        "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=90)).isoformat(),
        "seats": 10,
        "cancellation_deadline": (starts - timedelta(days=7)).isoformat(),
        "min_attendance_percent": 80,
        "reflections_required": "on",
        "waitlist_mode": "automatic",
        "offer_hours": 48,
        "bijeenkomsten-TOTAL_FORMS": "0",
        "bijeenkomsten-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:leergang_cohort_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get(name="Groep uit de beheeromgeving")
    assert _told(cohort) == [participant.pk] and cohort.priority_until is not None
    data.update(seats=12)
    client.post(reverse("admin:leergang_cohort_change", args=[cohort.pk]), data)
    assert _told(cohort) == [participant.pk]


def test_the_cohort_page_says_how_many_on_the_list_it_fits(client, beheerder, utrecht):
    leergang = LeergangFactory()
    for region in [Region.UTRECHT, "", Region.LIMBURG]:
        _register(UserFactory(organisation=utrecht), leergang, region=region)
    cohort = CohortFactory(leergang=leergang, region=Region.UTRECHT)
    client.force_login(beheerder)
    url = reverse("leergang:planning-cohort", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert "2 personen op de belangstellingslijst passen nu bij deze uitvoering" in page
    few = page_query_count(client, url)
    _more_interest(utrecht, utrecht)
    for _ in range(10):
        _register(UserFactory(organisation=utrecht), leergang)
    assert page_query_count(client, url) == few
