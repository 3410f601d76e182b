"""The leergang list pages on portal.listing: HR's approval queue and the trainer's
cohorts. Filters, sorts, bad values (never another organisation's rows), pages and
query counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang.models import Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, LeergangFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
QUEUE = "leergang:approval-queue"
COHORTS = "leergang:trainer-cohorts"


def _request(organisation, cohort=None, **person):
    return EnrolmentFactory(
        cohort=cohort or CohortFactory(requires_approval=True),
        state=Enrolment.State.REQUESTED,
        participant=UserFactory(organisation=organisation, **person),
    )


# --- the approval queue ------------------------------------------------------------------------


def test_the_queue_filters_by_cohort_leergang_and_name(client, hr, utrecht):
    first = _request(utrecht, first_name="Anouk", last_name="Eerste")
    second = _request(utrecht, first_name="Bram", last_name="Tweede")
    client.force_login(hr)
    url = reverse(QUEUE)
    for params, shown in (
        ({"cohort": first.cohort_id}, "Eerste"),
        ({"leergang": second.cohort.leergang_id}, "Tweede"),
        ({"q": "anouk"}, "Eerste"),
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        page = response.content.decode()
        hidden = "Tweede" if shown == "Eerste" else "Eerste"
        assert shown in page and hidden not in page, params


def test_the_queue_sorts_by_date_and_name(client, hr, utrecht):
    late = _request(utrecht, last_name="Zomer")
    early = _request(utrecht, last_name="Appel")
    Enrolment.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=1))
    Enrolment.objects.filter(pk=early.pk).update(created_at=timezone.now() - timedelta(days=5))
    client.force_login(hr)
    url = reverse(QUEUE)
    oldest_first = client.get(url).content.decode()
    assert oldest_first.index("Appel") < oldest_first.index("Zomer")
    by_name_down = client.get(url, {"sort": "-name"}).content.decode()
    assert by_name_down.index("Zomer") < by_name_down.index("Appel")
    assert 'aria-sort="descending"' in by_name_down


def test_another_organisations_cohort_is_no_choice_for_hr(client, hr, utrecht, nijmegen):
    theirs = _request(nijmegen, last_name="Nijmegenaar")
    _request(utrecht, last_name="Utrechter")
    client.force_login(hr)
    page = client.get(reverse(QUEUE)).content.decode()
    # The cohort select's options (a leergang of the same number may be another's option).
    cohort_select = re.search(r'<select name="cohort".*?</select>', page, re.S)[0]
    assert f'value="{theirs.cohort_id}"' not in cohort_select
    response = client.get(reverse(QUEUE), {"cohort": theirs.cohort_id})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page
    assert "Nijmegenaar" not in page and "Utrechter" in page


@pytest.mark.parametrize(
    "params", [{"cohort": "x"}, {"leergang": "999999"}, {"sort": "participant__email"}]
)
def test_a_bad_queue_filter_is_a_dutch_400(client, hr, utrecht, params):
    _request(utrecht)
    client.force_login(hr)
    response = client.get(reverse(QUEUE), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page or "kan niet gesorteerd" in page


def test_the_queue_pages_keep_the_filter(client, hr, utrecht):
    cohort = CohortFactory(requires_approval=True)
    for _n in range(51):
        _request(utrecht, cohort=cohort)
    client.force_login(hr)
    page = client.get(reverse(QUEUE), {"cohort": cohort.pk}).content.decode()
    assert "Rijen 1 tot 50 van 51" in page
    assert f'href="?cohort={cohort.pk}&amp;page=2"' in page
    second = client.get(reverse(QUEUE), {"cohort": cohort.pk, "page": 2}).content.decode()
    assert "Rijen 51 tot 51 van 51" in second


def test_the_filtered_queue_costs_the_same_queries_for_ten_times_the_rows(client, hr, utrecht):
    cohort = CohortFactory(requires_approval=True)
    for _n in range(3):
        _request(utrecht, cohort=cohort)
    url = reverse(QUEUE) + f"?cohort={cohort.pk}&sort=name&q=a"
    few = page_query_count(client, url, hr)
    for _n in range(27):
        _request(utrecht, cohort=cohort, first_name="Anna")
        _request(utrecht)
    assert page_query_count(client, url) == few <= MAX_QUERIES


# --- the trainer's cohorts ---------------------------------------------------------------------


def _finished(**fields):
    starts = timezone.localdate() - timedelta(days=200)
    return CohortFactory(starts_on=starts, ends_on=starts + timedelta(days=100), **fields)


def test_running_and_upcoming_cohorts_come_first(client, trainer):
    _finished(trainers=[trainer], name="Voorjaar oud")
    CohortFactory(trainers=[trainer], name="Najaar nieuw")
    client.force_login(trainer)
    page = client.get(reverse(COHORTS)).content.decode()
    assert page.index("Najaar nieuw") < page.index("Voorjaar oud")


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"period": "current"}, "Najaar nieuw", "Voorjaar oud"),
        ({"period": "finished"}, "Voorjaar oud", "Najaar nieuw"),
        ({"q": "voorjaar"}, "Voorjaar oud", "Najaar nieuw"),
    ],
)
def test_the_trainer_filters_cohorts_by_period_and_search(client, trainer, params, shown, hidden):
    _finished(trainers=[trainer], name="Voorjaar oud")
    CohortFactory(trainers=[trainer], name="Najaar nieuw")
    client.force_login(trainer)
    page = client.get(reverse(COHORTS), params).content.decode()
    assert shown in page and hidden not in page


def test_the_trainer_filters_by_a_leergang_they_train_and_no_other(client, trainer):
    mine = CohortFactory(trainers=[trainer], name="Mijn groep")
    CohortFactory(trainers=[trainer], name="Andere groep")
    not_mine = CohortFactory(leergang=LeergangFactory(title="Niet van mij"))
    client.force_login(trainer)
    page = client.get(reverse(COHORTS), {"leergang": mine.leergang_id}).content.decode()
    assert "Mijn groep" in page and "Andere groep" not in page
    assert "Niet van mij" not in page
    response = client.get(reverse(COHORTS), {"leergang": not_mine.leergang_id})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_the_trainer_sorts_cohorts_by_participants(client, trainer):
    CohortFactory(trainers=[trainer], name="Drukke groep", participants=3)
    CohortFactory(trainers=[trainer], name="Rustige groep", participants=1)
    client.force_login(trainer)
    page = client.get(reverse(COHORTS), {"sort": "participants"}).content.decode()
    assert page.index("Rustige groep") < page.index("Drukke groep")


def test_the_trainers_cohorts_page_by_fifty(client, beheerder):
    leergang = LeergangFactory(module_count=0)
    for _n in range(51):
        CohortFactory(leergang=leergang)
    client.force_login(beheerder)
    page = client.get(reverse(COHORTS), {"period": "current"}).content.decode()
    assert "Rijen 1 tot 50 van 51" in page
    assert 'href="?period=current&amp;page=2"' in page


def test_the_trainers_cohorts_cost_the_same_queries_for_ten_times_the_rows(client, trainer):
    leergang = LeergangFactory(module_count=0)
    CohortFactory(trainers=[trainer], leergang=leergang, participants=1)
    url = reverse(COHORTS) + f"?period=current&leergang={leergang.pk}&sort=-participants"
    few = page_query_count(client, url, trainer)
    for _n in range(10):
        CohortFactory(trainers=[trainer], leergang=leergang, participants=1)
        CohortFactory(trainers=[trainer])
    assert page_query_count(client, url) == few <= MAX_QUERIES
    assert page_query_count(client, reverse(COHORTS)) <= MAX_QUERIES


# --- the catalogue -----------------------------------------------------------------------------

CATALOGUE = "leergang:catalogue"


def _month(cohort):
    return cohort.starts_on.strftime("%Y-%m")


def _in_days(days, **fields):
    starts = timezone.localdate() + timedelta(days=days)
    return CohortFactory(starts_on=starts, ends_on=starts + timedelta(days=90), **fields)


def test_an_anonymous_visitor_filters_the_catalogue(client):
    soon = _in_days(20, leergang=LeergangFactory(title="Urban Professional"))
    later = _in_days(200, leergang=LeergangFactory(title="Omgevingsprofessional"))
    url = reverse(CATALOGUE)
    page = client.get(url).content.decode()
    assert "Urban Professional" in page and "Omgevingsprofessional" in page
    for params, shown, hidden in (
        ({"q": "urban"}, "Urban Professional", "Omgevingsprofessional"),
        ({"starts": _month(later)}, "Omgevingsprofessional", "Urban Professional"),
        ({"module": soon.leergang.modules.first().pk}, "Urban Professional", "Omgevingspro"),
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert shown in response.content.decode()
        assert hidden not in response.content.decode(), params


def test_the_free_seat_filter_hides_full_cohorts_and_leergangen_without_one(client):
    full = _in_days(20, leergang=LeergangFactory(title="Vol"), seats=1, participants=1)
    _in_days(30, leergang=LeergangFactory(title="Ruim"), seats=10)
    open_one = _in_days(40, leergang=full.leergang, name="Nog plek", seats=5)
    page = client.get(reverse(CATALOGUE), {"free": "on"}).content.decode()
    assert "Ruim" in page and open_one.name in page
    assert full.name not in page


def test_a_card_lists_the_first_cohorts_and_links_to_all(client):
    leergang = LeergangFactory(title="Businessprofessional")
    for days in range(20, 25):
        _in_days(days, leergang=leergang)
    page = client.get(reverse(CATALOGUE)).content.decode()
    assert page.count('class="list-group-item') == 3
    assert "Bekijk alle 5 komende uitvoeringen" in page


def test_another_organisations_tailored_month_is_no_choice(client, participant, nijmegen):
    _in_days(20, leergang=LeergangFactory(title="Open voor iedereen"))
    tailored = _in_days(300, name="Nijmeegse groep", organisation=nijmegen)
    client.force_login(participant)
    page = client.get(reverse(CATALOGUE)).content.decode()
    assert f'value="{_month(tailored)}"' not in page
    assert "Nijmeegse groep" not in page
    response = client.get(reverse(CATALOGUE), {"starts": _month(tailored)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page and "Nijmeegse groep" not in page


@pytest.mark.parametrize("params", [{"starts": "2020-13"}, {"module": "x"}, {"module": "999999"}])
def test_a_bad_catalogue_filter_is_a_dutch_400(client, params):
    _in_days(20)
    response = client.get(reverse(CATALOGUE), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page or "kan niet gesorteerd" in page


def test_the_catalogue_pages_by_twelve_cards_and_keeps_the_filter(client):
    for number in range(13):
        _in_days(20, leergang=LeergangFactory(title=f"Leergang nummer {number:02}"))
    url = reverse(CATALOGUE)
    page = client.get(url, {"q": "nummer"}).content.decode()
    assert page.count('class="card mb-4"') == 12
    assert 'href="?q=nummer&amp;page=2"' in page
    second = client.get(url, {"q": "nummer", "page": 2}).content.decode()
    assert second.count('class="card mb-4"') == 1


def test_an_empty_catalogue_filter_says_so(client):
    _in_days(20)
    page = client.get(reverse(CATALOGUE), {"q": "bestaatniet"}).content.decode()
    assert "Geen resultaten voor dit filter." in page


def test_a_leergang_page_lists_its_cohorts_by_twenty_with_the_filter_kept(client):
    leergang = LeergangFactory(title="Urban Professional", module_count=0)
    for _n in range(21):
        _in_days(20, leergang=leergang)
    later = _in_days(200, leergang=leergang, name="Late groep")
    url = reverse("leergang:leergang-detail", args=[leergang.slug])
    page = client.get(url).content.decode()
    assert "Rijen 1 tot 20 van 22" in page
    assert page.count('class="list-group-item') == 20
    month = client.get(url, {"starts": _month(later)}).content.decode()
    assert "Late groep" in month and month.count('class="list-group-item') == 1


def test_the_catalogue_costs_the_same_queries_for_ten_times_the_rows(client, participant):
    def grow(count):
        for _n in range(count):
            leergang = LeergangFactory()
            _in_days(20, leergang=leergang, participants=1)
            _in_days(25, leergang=leergang)

    grow(1)
    leergang = LeergangFactory(module_count=0)
    month = _month(_in_days(20, leergang=leergang))
    detail = reverse("leergang:leergang-detail", args=[leergang.slug])
    urls = [
        reverse(CATALOGUE),
        reverse(CATALOGUE) + f"?starts={month}&free=on&q=leergang",
        detail,
        detail + f"?starts={month}&free=on",
    ]
    client.force_login(participant)
    few = [page_query_count(client, url) for url in urls]
    grow(10)
    for _n in range(10):
        _in_days(20, leergang=leergang)
    assert [page_query_count(client, url) for url in urls] == few
    assert max(few) <= MAX_QUERIES
    client.logout()
    assert all(page_query_count(client, url) <= MAX_QUERIES for url in urls)
