"""Planning by the programme office: cohorts, a series of bijeenkomsten, moving and
cancelling one, and what is refused (seats, the cohort's period, a double-booked trainer)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leergang import planning
from leergang.models import Bijeenkomst, Cohort, LeergangModule
from portal.appointments import CANCELLED, MOVED, PLANNED
from portal.models import AuditEvent, Notification, Role
from tests.concurrency import run_in_parallel
from tests.factories import (
    BijeenkomstFactory,
    CoachingSessionFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    LeergangFactory,
    ModuleFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import messages_of, page_query_count

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _monday_ahead(weeks: int = 6) -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 * weeks - today.weekday())


@pytest.fixture
def leergang():
    """Three modules whose order differs from the order they were made in."""
    leergang = LeergangFactory(module_count=0)
    for position, title in [(2, "Alliantiekunde"), (0, "Insights"), (1, "Terug naar de bedoeling")]:
        LeergangModule.objects.create(
            leergang=leergang, module=ModuleFactory(title=title), position=position
        )
    return leergang


@pytest.fixture
def cohort(leergang, trainer):
    start = _monday_ahead()
    cohort = CohortFactory(
        leergang=leergang, starts_on=start, ends_on=start + timedelta(days=120), trainers=[trainer]
    )
    EnrolmentFactory(cohort=cohort)
    return cohort


def _series(cohort, **overrides):
    rhythm = {
        "first_day": cohort.starts_on,
        "weekday": 1,
        "every_weeks": 3,
        "start": time(13, 30),
        "end": time(17, 0),
        "location": "Utrecht, Stadskantoor",
    }
    return planning.series(modules=planning.modules_to_plan(cohort), **{**rhythm, **overrides})


def test_a_series_follows_the_rhythm_in_the_leergangs_module_order(cohort):
    planned = _series(cohort)
    assert [row.module.title for row in planned] == [
        "Insights",
        "Terug naar de bedoeling",
        "Alliantiekunde",
    ]
    first = cohort.starts_on + timedelta(days=1)  # the Tuesday after the Monday it starts
    assert [row.day for row in planned] == [first + timedelta(weeks=3 * n) for n in range(3)]
    assert all(row.day.weekday() == 1 for row in planned)
    assert planned[0].starts_at == _at(first, 13, 30)
    assert planned[0].ends_at == _at(first, 17)
    # On the first day's own weekday, the series starts that day.
    assert _series(cohort, weekday=0)[0].day == cohort.starts_on


def test_planning_a_series_puts_it_in_the_calendars(cohort, trainer, beheerder):
    made = planning.bijeenkomsten_plan(cohort=cohort, planned=_series(cohort), by=beheerder)
    assert [b.title for b in made] == ["Insights", "Terug naar de bedoeling", "Alliantiekunde"]
    assert cohort.bijeenkomsten.count() == 3
    # The appointment path: the enrolled participant and the trainer each get every one.
    assert Notification.objects.filter(kind=PLANNED).count() == 6
    assert planning.modules_to_plan(cohort) == []


def test_a_series_is_refused_whole_at_the_row_concerned(cohort, trainer, beheerder):
    planned = _series(cohort)
    late = planned[2].__class__(**{**planned[2].__dict__, "day": cohort.ends_on + timedelta(1)})
    with pytest.raises(ValidationError) as refused:
        planning.bijeenkomsten_plan(cohort=cohort, planned=[*planned[:2], late], by=beheerder)
    assert list(refused.value.error_dict) == ["day_2"]
    assert "buiten de uitvoering" in refused.value.error_dict["day_2"][0].message
    assert not cohort.bijeenkomsten.exists()


def test_a_trainer_cannot_be_in_two_cohorts_at_once(cohort, trainer, beheerder):
    planned = _series(cohort)
    other = CohortFactory(trainers=[trainer], starts_on=cohort.starts_on, ends_on=cohort.ends_on)
    elsewhere = BijeenkomstFactory(
        cohort=other,
        title="Elders",
        starts_at=_at(planned[1].day, 16),
        ends_at=_at(planned[1].day, 18),
    )
    with pytest.raises(ValidationError) as refused:
        planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)
    (message,) = refused.value.error_dict["day_1"]
    assert trainer.get_full_name() in message.message and "Elders" in message.message
    assert list(refused.value.error_dict) == ["day_1"]
    # Back to back is no clash.
    elsewhere.starts_at, elsewhere.ends_at = _at(planned[1].day, 17), _at(planned[1].day, 19)
    elsewhere.save()
    assert len(planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)) == 3


def test_intervisie_and_coaching_sessions_of_the_trainer_clash_too(cohort, trainer, beheerder):
    planned = _series(cohort)
    day = planned[0].day
    group = GroupFactory(begeleider=trainer, name="De Waterlopers")
    led = IntervisieSessionFactory(group=group, starts_at=_at(day, 9), ends_at=_at(day, 14))
    with pytest.raises(ValidationError) as refused:
        planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)
    assert list(refused.value.error_dict) == ["day_0"]
    assert "intervisiegroep De Waterlopers" in refused.value.error_dict["day_0"][0].message
    led.status = led.Status.CANCELLED
    led.save()
    # The trainer also coaches; what the session is about stays out of the message.
    coached = CoachingSessionFactory(
        trajectory=TrajectoryFactory(coach=trainer), starts_at=_at(day, 16), ends_at=_at(day, 18)
    )
    with pytest.raises(ValidationError) as refused:
        planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)
    (message,) = refused.value.error_dict["day_0"]
    assert "een coachgesprek" in message.message
    assert coached.trajectory.participant.get_full_name() not in message.message
    coached.status = coached.Status.CANCELLED
    coached.save()
    assert len(planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)) == 3


def test_every_planning_change_is_in_the_audit_trail(cohort, trainer, beheerder):
    made = planning.bijeenkomsten_plan(cohort=cohort, planned=_series(cohort), by=beheerder)
    moved_to = made[0].starts_at + timedelta(days=1)
    planning.bijeenkomst_move(
        bijeenkomst=made[0],
        by=beheerder,
        starts_at=moved_to,
        ends_at=moved_to + timedelta(hours=3),
        location="Zeist",
        online_url="",
    )
    planning.bijeenkomst_cancel(bijeenkomst=made[2], by=beheerder)
    _resave(cohort, beheerder, seats=cohort.seats + 1)
    records = AuditEvent.objects.filter(action=AuditEvent.Action.PLANNING_CHANGED).order_by("pk")
    assert [(r.actor, r.object_type, r.detail.split(" ")[0]) for r in records] == [
        (beheerder, "leergang.Cohort", "planned"),
        (beheerder, "leergang.Bijeenkomst", "moved"),
        (beheerder, "leergang.Bijeenkomst", "cancelled,"),
        (beheerder, "leergang.Cohort", "cohort"),
    ]
    assert records[0].detail == f"planned 3: {made[0].pk} {made[1].pk} {made[2].pk}"
    assert records[2].object_id == str(made[2].pk)


def test_a_module_is_planned_once(cohort, beheerder):
    planned = _series(cohort)
    planning.bijeenkomsten_plan(cohort=cohort, planned=planned[:1], by=beheerder)
    with pytest.raises(ValidationError) as refused:
        planning.bijeenkomsten_plan(cohort=cohort, planned=planned, by=beheerder)
    assert "Insights heeft al een bijeenkomst" in refused.value.error_dict["day_0"][0].message
    with pytest.raises(ValidationError):
        planning.bijeenkomsten_plan(cohort=cohort, planned=[planned[1]] * 2, by=beheerder)
    assert cohort.bijeenkomsten.count() == 1


def _resave(cohort, beheerder, **changes):
    """The cohort saved again by the programme office: its own settings, ``changes`` made."""
    return planning.cohort_save(
        cohort=cohort,
        by=beheerder,
        leergang=cohort.leergang,
        trainers=cohort.trainers.all(),
        **_settings(cohort, **changes),
    )


def _settings(cohort, **changes):
    fields = {
        name: getattr(cohort, name)
        for name in (
            "name",
            "organisation",
            "starts_on",
            "ends_on",
            "seats",
            "requires_approval",
            "cancellation_deadline",
            "min_attendance_percent",
            "reflections_required",
            "location",
        )
    }
    return {**fields, **changes}


def test_a_cohort_cannot_get_fewer_seats_than_people_enrolled(cohort, beheerder):
    EnrolmentFactory(cohort=cohort)
    with pytest.raises(ValidationError) as refused:
        _resave(cohort, beheerder, seats=1)
    assert "2 mensen zijn ingeschreven" in refused.value.error_dict["seats"][0].message
    saved = _resave(cohort, beheerder, seats=2)
    assert Cohort.objects.get(pk=saved.pk).seats == 2


def test_a_cohorts_period_keeps_its_bijeenkomsten_inside(cohort, beheerder):
    planning.bijeenkomsten_plan(cohort=cohort, planned=_series(cohort), by=beheerder)
    with pytest.raises(ValidationError) as refused:
        _resave(cohort, beheerder, ends_on=cohort.starts_on + timedelta(days=20))
    assert "buiten de uitvoering" in refused.value.error_dict["starts_on"][0].message
    assert Cohort.objects.get(pk=cohort.pk).ends_on == cohort.ends_on


def test_a_trainer_added_who_is_booked_elsewhere_is_refused(cohort, beheerder):
    (first, *_rest) = planning.bijeenkomsten_plan(
        cohort=cohort, planned=_series(cohort), by=beheerder
    )
    busy = UserFactory(roles=[Role.TRAINER])
    BijeenkomstFactory(
        cohort=CohortFactory(trainers=[busy]),
        starts_at=first.starts_at + timedelta(hours=1),
        ends_at=first.ends_at + timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as refused:
        planning.cohort_save(
            cohort=cohort,
            by=beheerder,
            leergang=cohort.leergang,
            trainers=[*cohort.trainers.all(), busy],
            **_settings(cohort),
        )
    assert busy.get_full_name() in refused.value.error_dict["trainers"][0].message
    assert busy not in cohort.trainers.all()


def test_moving_goes_through_the_appointment_path(cohort, beheerder):
    (first, *_rest) = planning.bijeenkomsten_plan(
        cohort=cohort, planned=_series(cohort), by=beheerder
    )
    day = timezone.localdate(first.starts_at) + timedelta(days=1)
    moved = planning.bijeenkomst_move(
        bijeenkomst=first,
        by=beheerder,
        starts_at=_at(day, 9),
        ends_at=_at(day, 12),
        location="Nijmegen",
        online_url="",
    )
    assert (moved.sequence, moved.location) == (1, "Nijmegen")
    assert Notification.objects.filter(kind=MOVED).count() == 2
    for refused_day in (cohort.starts_on - timedelta(days=1), cohort.ends_on + timedelta(days=1)):
        with pytest.raises(ValidationError, match="buiten de uitvoering"):
            planning.bijeenkomst_move(
                bijeenkomst=first,
                by=beheerder,
                starts_at=_at(refused_day, 9),
                ends_at=_at(refused_day, 12),
                location="",
                online_url="",
            )


def test_cancelling_tells_the_calendars_and_frees_the_module(cohort, beheerder):
    (first, *_rest) = planning.bijeenkomsten_plan(
        cohort=cohort, planned=_series(cohort), by=beheerder
    )
    planning.bijeenkomst_cancel(bijeenkomst=first, by=beheerder)
    assert not Bijeenkomst.objects.filter(pk=first.pk).exists()
    assert Notification.objects.filter(kind=CANCELLED).count() == 2
    assert [m.title for m in planning.modules_to_plan(cohort)] == ["Insights"]
    planning.bijeenkomst_cancel(bijeenkomst=first, by=beheerder)  # a second click: nothing


def test_a_started_bijeenkomst_is_neither_moved_nor_cancelled(beheerder):
    held = BijeenkomstFactory(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="al begonnen"):
        planning.bijeenkomst_cancel(bijeenkomst=held, by=beheerder)
    with pytest.raises(ValidationError, match="al begonnen"):
        planning.bijeenkomst_move(
            bijeenkomst=held,
            by=beheerder,
            starts_at=held.starts_at + timedelta(days=1),
            ends_at=held.ends_at + timedelta(days=1),
            location="",
            online_url="",
        )


# The pages.


def _cohort_form(leergang, trainer, **changes):
    start = _monday_ahead()
    return {
        "leergang": leergang.pk,
        "name": "Voorjaar",
        "organisation": "",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=120)).isoformat(),
        "seats": 14,
        "cancellation_deadline": (start - timedelta(days=14)).isoformat(),
        "min_attendance_percent": 80,
        "reflections_required": "on",
        "location": "Utrecht",
        "trainers": [trainer.pk],
        **changes,
    }


def test_creating_a_cohort_twice_with_one_form_makes_one(client, beheerder, leergang, trainer):
    client.force_login(beheerder)
    url = reverse("leergang:planning-create")
    once = client.get(url).context["form"]["once"].value()
    data = _cohort_form(leergang, trainer, once=once)
    first, second = client.post(url, data), client.post(url, data)
    (cohort,) = Cohort.objects.filter(name="Voorjaar")
    assert (
        first["Location"]
        == second["Location"]
        == reverse("leergang:planning-series", args=[cohort.pk])
    )
    assert list(cohort.trainers.all()) == [trainer]


def test_the_cohort_form_says_what_is_wrong_at_the_field(client, beheerder, cohort):
    EnrolmentFactory(cohort=cohort)
    client.force_login(beheerder)
    data = _cohort_form(cohort.leergang, cohort.trainers.get(), seats=1)
    response = client.post(reverse("leergang:planning-edit", args=[cohort.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["seats"] == [
        "2 mensen zijn ingeschreven; de uitvoering heeft minstens zoveel plaatsen nodig."
    ]
    for seats, message in [
        ("0", "minstens 1"),
        ("501", "hoogstens 500"),
    ]:
        response = client.post(
            reverse("leergang:planning-edit", args=[cohort.pk]), {**data, "seats": seats}
        )
        assert message in str(response.context["form"].errors["seats"]), seats
    data["ends_on"] = "2000-01-01"
    response = client.post(reverse("leergang:planning-edit", args=[cohort.pk]), data)
    assert "De einddatum ligt voor de startdatum." in response.content.decode()


def _rhythm_query(cohort, **changes):
    """The series form's rhythm as the page sends it: Tuesdays every two weeks, 13:30 to 17:00."""
    rhythm = {
        "first_day": cohort.starts_on.isoformat(),
        "weekday": "1",
        "every_weeks": "2",
        "start": "13:30",
        "end": "17:00",
        "location": "Utrecht",
        **changes,
    }
    return {f"series-{name}": value for name, value in rhythm.items()}


def test_plan_a_series_with_a_preview_then_save_once(client, beheerder, cohort):
    client.force_login(beheerder)
    url = reverse("leergang:planning-series", args=[cohort.pk])
    rhythm = _rhythm_query(cohort)
    preview = client.get(url, rhythm)
    assert preview.status_code == 200
    assert not cohort.bijeenkomsten.exists()  # nothing saved by a preview
    form = preview.context["preview"]
    data = {name: form[name].value() for name in form.fields}
    tuesday = cohort.starts_on + timedelta(days=1)
    assert data["day_0"] == tuesday and data["day_2"] == tuesday + timedelta(weeks=4)
    data = {
        **{name: str(value) for name, value in data.items()},
        "day_1": (tuesday + timedelta(days=15)).isoformat(),  # one date adjusted
        "save": "1",
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    days = [timezone.localdate(b.starts_at) for b in cohort.bijeenkomsten.order_by("starts_at")]
    assert days == [tuesday, tuesday + timedelta(days=15), tuesday + timedelta(weeks=4)]


def test_the_preview_warns_and_saving_refuses_at_the_date(client, beheerder, cohort):
    client.force_login(beheerder)
    url = reverse("leergang:planning-series", args=[cohort.pk])
    rhythm = _rhythm_query(cohort, every_weeks="12", location="")
    preview = client.get(url, rhythm)
    assert "buiten de uitvoering" in preview.content.decode()  # the third is after the end
    form = preview.context["preview"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    response = client.post(url, {**data, "save": "1"})
    assert response.status_code == 400
    assert "buiten de uitvoering" in str(response.context["preview"].errors["day_2"])
    assert not cohort.bijeenkomsten.exists()


def test_moving_and_cancelling_on_the_page(client, beheerder, cohort):
    (first, second, _third) = planning.bijeenkomsten_plan(
        cohort=cohort, planned=_series(cohort), by=beheerder
    )
    client.force_login(beheerder)
    url = reverse("leergang:planning-bijeenkomst", args=[first.pk])
    day = timezone.localdate(first.starts_at) + timedelta(days=2)
    response = client.post(
        url, {"date": day.isoformat(), "start": "09:00", "end": "12:00", "location": "Zeist"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (timezone.localtime(first.starts_at).hour, first.location) == (9, "Zeist")
    outside = client.post(
        url, {"date": "2000-01-01", "start": "09:00", "end": "12:00", "location": ""}
    )
    assert outside.status_code == 400
    assert "buiten de uitvoering" in str(outside.context["form"].errors["date"])
    cancel = reverse("leergang:planning-bijeenkomst-cancel", args=[second.pk])
    once = (
        client.get(reverse("leergang:planning-bijeenkomst", args=[second.pk]))
        .context["cancel_form"]["once"]
        .value()
    )
    one, two = client.post(cancel, {"once": once}), client.post(cancel, {"once": once})
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"]
    assert not Bijeenkomst.objects.filter(pk=second.pk).exists()
    assert "vervallen" in messages_of(one)


def _grow(count: int, trainer):
    for _ in range(count):
        other = CohortFactory(bijeenkomsten=2, trainers=[trainer, UserFactory(roles=["trainer"])])
        EnrolmentFactory(cohort=other)


def test_the_pages_keep_their_query_count_when_the_data_grows_tenfold(
    client, beheerder, cohort, trainer
):
    planning.bijeenkomsten_plan(cohort=cohort, planned=_series(cohort)[:2], by=beheerder)
    _grow(1, trainer)
    urls = [
        reverse("leergang:planning"),
        reverse("leergang:planning-cohort", args=[cohort.pk]),
        reverse("leergang:planning-series", args=[cohort.pk]),
        reverse("leergang:planning-edit", args=[cohort.pk]),
        reverse("leergang:planning-create"),
        reverse("leergang:planning-bijeenkomst", args=[cohort.bijeenkomsten.first().pk]),
    ]
    few = [page_query_count(client, url, beheerder) for url in urls]
    _grow(10, trainer)
    for _ in range(10):
        EnrolmentFactory(cohort=cohort)
    assert [page_query_count(client, url) for url in urls] == few
    assert max(few) <= 15, few


@pytest.mark.django_db(transaction=True)
def test_parallel_series_never_book_one_trainer_twice_nor_a_module_twice(trainer, beheerder):
    """The trainers' rows are locked with the cohort's: of four cohorts planned at once at the
    same hours with the same trainer one gets the dates; five clicks on one cohort plan once."""
    start = _monday_ahead()
    leergang = LeergangFactory(module_count=3)
    cohorts = [
        CohortFactory(
            leergang=leergang,
            starts_on=start,
            ends_on=start + timedelta(days=120),
            trainers=[trainer],
        )
        for _ in range(4)
    ]
    queue = iter(cohorts)

    def plan(cohort=None):
        cohort = cohort or next(queue)
        return planning.bijeenkomsten_plan(cohort=cohort, planned=_series(cohort), by=beheerder)

    outcomes = run_in_parallel(plan, 4)
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 3, outcomes
    assert all(trainer.get_full_name() in str(o) for o in refused)
    assert Bijeenkomst.objects.filter(cohort__in=cohorts).count() == 3

    other = CohortFactory(leergang=leergang, starts_on=start, ends_on=start + timedelta(days=120))
    outcomes = run_in_parallel(lambda: plan(other), 5)
    assert sum(isinstance(o, list) for o in outcomes) == 1, outcomes
    assert all("heeft al een bijeenkomst" in str(o) for o in outcomes if not isinstance(o, list))
    assert other.bijeenkomsten.count() == 3


def test_the_planning_list_filters_sorts_and_says_what_is_wrong(client, beheerder, cohort):
    other = CohortFactory(name="Najaar Zwolle")
    CohortFactory(
        name="Voorbij",
        starts_on=timezone.localdate() - timedelta(days=200),
        ends_on=timezone.localdate() - timedelta(days=10),
    )
    client.force_login(beheerder)
    url = reverse("leergang:planning")
    page = client.get(url).content.decode()
    assert cohort.name in page and other.name in page and "Voorbij" not in page  # over
    page = client.get(url, {"leergang": other.leergang_id}).content.decode()
    assert other.name in page and cohort.name not in page
    page = client.get(url, {"q": "zwolle", "sort": "-bijeenkomsten"}).content.decode()
    assert other.name in page and cohort.name not in page
    assert client.get(url, {"sort": "onzin"}).status_code == 400


def test_a_cohort_with_people_of_several_organisations_cannot_become_op_maat(cohort, beheerder):
    own = cohort.enrolments.get().participant.organisation
    with pytest.raises(ValidationError) as refused:
        _resave(cohort, beheerder, organisation=OrganisationFactory())
    (message,) = refused.value.error_dict["organisation"]
    assert "1 persoon van een andere organisatie is ingeschreven" in message.message
    saved = _resave(cohort, beheerder, organisation=own)
    assert Cohort.objects.get(pk=saved.pk).organisation == own


def test_a_module_planned_meanwhile_refuses_the_shown_rows_instead_of_shifting_them(
    client, beheerder, cohort
):
    """The preview's rows go with the modules by position: when one of them gets a
    bijeenkomst between showing and saving, saving refuses and shows the rows again."""
    client.force_login(beheerder)
    url = reverse("leergang:planning-series", args=[cohort.pk])
    rhythm = _rhythm_query(cohort)
    form = client.get(url, rhythm).context["preview"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    first_module = form.modules[0]
    # Someone else plans the first module meanwhile.
    BijeenkomstFactory(
        cohort=cohort,
        module=first_module,
        starts_at=_at(cohort.starts_on + timedelta(days=1), 9),
        ends_at=_at(cohort.starts_on + timedelta(days=1), 12),
    )
    response = client.post(url, {**data, "save": "1"})
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in response.content.decode()
    assert cohort.bijeenkomsten.count() == 1
    # Shown again for the modules still to plan, it saves.
    again = response.context["preview"]
    assert [module.pk for module in again.modules] == [m.pk for m in form.modules[1:]]
    data = {name: str(again[name].value() or "") for name in again.fields}
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    assert cohort.bijeenkomsten.count() == len(form.modules)
