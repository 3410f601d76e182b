"""The dashboard's figures are kept (``hr.summary``) and still never stale: every change of
the data they come from shows on the next visit; time passing shows within ten minutes; a
sign-in changes nothing. And a municipality in many cohorts gets a paged cohort table,
with each bijeenkomst shown for one cohort at a time."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hr import figures, summary
from leergang import services as leergang_services
from leergang.models import Attendance, Enrolment
from tests.factories import BijeenkomstFactory, CohortFactory, EnrolmentFactory, UserFactory
from tests.hr import test_dashboard
from tests.hr.test_dashboard import DASHBOARD, _cohort, _dashboard

State = Enrolment.State
world = test_dashboard.world  # the fixture: Utrecht's and Nijmegen's people


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(DASHBOARD), params)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_visit_reads_the_figures_back(client, hr, world):
    client.force_login(hr)
    first, computed = _queries(client)
    again, kept = _queries(client)
    assert kept < computed
    assert _cohort(again, world.running).states == _cohort(first, world.running).states
    assert again.context["charts"] == first.context["charts"]


def test_attendance_recorded_shows_on_the_next_visit(client, hr, trainer, world):
    response = _dashboard(client, hr, cohort=world.running.pk)
    before = _cohort(response, world.running).bijeenkomsten[1].attendance
    assert (before.part, before.whole) == (1, 3)
    row = f'<th scope="row">{world.held[1].title}</th><td>{{}}</td><td>{{}}</td>'
    date = timezone.localtime(world.held[1].starts_at).strftime("%d-%m-%Y")
    assert row.format(date, "1 van 3 (33%)") in response.content.decode()
    world.running.trainers.add(trainer)
    sociaal = world.running.enrolments.get(participant__department="Sociaal", state=State.ENROLLED)
    leergang_services.attendance_record(
        bijeenkomst=world.held[1],
        by=trainer,
        entries={sociaal.pk: (Attendance.Status.PRESENT, "")},
    )
    response = _dashboard(client, hr, cohort=world.running.pk)
    after = _cohort(response, world.running).bijeenkomsten[1].attendance
    assert (after.part, after.whole) == (2, 3)
    # The page kept before is not shown again.
    assert row.format(date, "2 van 3 (67%)") in response.content.decode()


def test_a_new_enrolment_and_a_department_change_show_at_once(client, hr, utrecht, world):
    before = _cohort(_dashboard(client, hr), world.upcoming).states.requested
    person = UserFactory(organisation=utrecht)
    EnrolmentFactory(cohort=world.upcoming, participant=person, state=State.REQUESTED)
    assert _cohort(_dashboard(client, hr), world.upcoming).states.requested == before + 1

    person.department = "Economie"
    person.save(update_fields=["department"])
    choices = _dashboard(client, hr).context["form"].fields["department"].choices
    assert "Economie" in [value for value, _label in choices]


def test_a_second_visit_reads_the_page_kept_not_the_figures(client, hr, world, monkeypatch):
    client.force_login(hr)
    first = client.get(reverse(DASHBOARD), {"department": "Ruimte"})

    def recompute(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(figures, "dashboard", recompute)
    cache.delete_many([key for key in cache._cache if ":dashboard:" in key and ":page:" not in key])
    again = client.get(reverse(DASHBOARD), {"department": "Ruimte"})
    assert again.status_code == 200
    assert again.context["figures_html"] == first.context["figures_html"]
    # Another page of the same figures is rendered from them, so it needs them.
    with pytest.raises(AssertionError, match="computed again"):
        client.get(reverse(DASHBOARD), {"department": "Sociaal"})


def test_a_sign_in_keeps_the_figures(client, hr, world):
    client.force_login(hr)
    client.get(reverse(DASHBOARD))
    generation = summary.cache.get(summary.GENERATION_KEY)
    hr.last_login = hr.last_login or datetime.datetime.now(datetime.UTC)
    hr.save(update_fields=["last_login"])
    assert summary.cache.get(summary.GENERATION_KEY) == generation
    hr.save()  # any other change of a person may move them between departments
    assert summary.cache.get(summary.GENERATION_KEY) != generation


def test_a_bijeenkomst_that_starts_is_held_ten_minutes_later_without_any_save(
    client, hr, world, clock
):
    starts = clock.now + datetime.timedelta(minutes=1)
    soon = BijeenkomstFactory(cohort=world.running, module=world.future.module, starts_at=starts)
    held = {b.pk for b in _cohort(_dashboard(client, hr), world.running).bijeenkomsten}
    assert soon.pk not in held
    clock.travel(minutes=summary.SECONDS // 60 + 1)
    held = {b.pk for b in _cohort(_dashboard(client, hr), world.running).bijeenkomsten}
    assert soon.pk in held


# --- many cohorts --------------------------------------------------------------------------


@pytest.fixture
def many_cohorts(utrecht, world):
    """25 more cohorts of the running one's leergang, one Utrecht person in each."""
    cohorts = []
    for number in range(25):
        cohort = CohortFactory(leergang=world.running.leergang, name=f"Reeks {number:02}")
        EnrolmentFactory(cohort=cohort, participant=UserFactory(organisation=utrecht))
        cohorts.append(cohort)
    return cohorts


def test_the_cohort_table_pages_and_the_charts_go_per_leergang(client, hr, world, many_cohorts):
    response = _dashboard(client, hr)
    page = response.content.decode()
    assert response.context["cohorts"].paginator.count == 28  # 3 of the world and these 25
    assert len(response.context["cohorts"].object_list) == 20
    assert "28 uitvoeringen" in page and "pagina 1 van 2" in page
    assert "Inschrijvingen per leergang, naar status" in page  # too many for a bar each
    # Each bijeenkomst is shown for one chosen cohort only, not for 28 at once.
    assert "Aanwezigheid per bijeenkomst" not in page
    second = client.get(reverse(DASHBOARD), {"page": 2})
    assert len(second.context["cohorts"].object_list) == 8
    assert 'aria-current="page"' in second.content.decode()
    # A page past the end is not found; anything but a number is the first page.
    assert client.get(reverse(DASHBOARD), {"page": 3}).status_code == 404
    assert client.get(reverse(DASHBOARD), {"page": "x"}).context["cohorts"].number == 1


def test_one_cohort_shows_each_of_its_bijeenkomsten(client, hr, world, many_cohorts):
    response = _dashboard(client, hr, cohort=world.running.pk)
    page = response.content.decode()
    assert response.context["dashboard"].single_cohort.pk == world.running.pk
    assert "Aanwezigheid per bijeenkomst: Omgevingsprofessional: Voorjaar" in page
    for bijeenkomst in world.held:
        assert bijeenkomst.title in page


def test_the_cohort_table_links_to_each_cohorts_figures_and_people(client, hr, world):
    page = _dashboard(client, hr, department="Ruimte").content.decode()
    own = f"{reverse(DASHBOARD)}?cohort={world.running.pk}&amp;department=Ruimte"
    people = f"{reverse('hr:people')}?cohort={world.running.pk}&amp;department=Ruimte"
    assert f'href="{own}"' in page and f'href="{people}"' in page
