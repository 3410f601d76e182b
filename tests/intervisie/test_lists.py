"""The intervisie trainer's overview on portal.listing: cohorts by ten, filters, bad
values and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CohortFactory, GroupFactory, LeergangFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

OVERVIEW = "intervisie:trainer-overview"


def _finished(**fields):
    starts = timezone.localdate() - timedelta(days=200)
    return CohortFactory(starts_on=starts, ends_on=starts + timedelta(days=100), **fields)


def test_the_overview_filters_by_period_search_and_leergang(client, trainer):
    old = _finished(trainers=[trainer], name="Voorjaar oud")
    new = CohortFactory(trainers=[trainer], name="Najaar nieuw")
    client.force_login(trainer)
    url = reverse(OVERVIEW)
    page = client.get(url).content.decode()
    assert page.index("Najaar nieuw") < page.index("Voorjaar oud")
    for params, shown, hidden in (
        ({"period": "finished"}, old.name, new.name),
        ({"period": "current"}, new.name, old.name),
        ({"q": "najaar"}, new.name, old.name),
        ({"leergang": old.leergang_id}, old.name, new.name),
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        assert shown in response.content.decode() and hidden not in response.content.decode()


def test_a_leergang_the_trainer_does_not_train_is_refused(client, trainer):
    CohortFactory(trainers=[trainer], name="Mijn groep")
    other = CohortFactory(leergang=LeergangFactory(title="Niet de mijne"))
    client.force_login(trainer)
    response = client.get(reverse(OVERVIEW), {"leergang": other.leergang_id})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page and "Mijn groep" in page


def test_the_overview_pages_by_ten_cohorts_keeping_the_filter(client, trainer):
    leergang = LeergangFactory(module_count=0)
    for _n in range(11):
        CohortFactory(trainers=[trainer], leergang=leergang)
    client.force_login(trainer)
    page = client.get(reverse(OVERVIEW), {"period": "current"}).content.decode()
    assert "Rijen 1 tot 10 van 11" in page
    assert 'href="?period=current&amp;page=2"' in page


def test_the_overview_costs_the_same_queries_for_ten_times_the_rows(client, trainer):
    leergang = LeergangFactory(module_count=0)

    def grow(count):
        for _n in range(count):
            cohort = CohortFactory(trainers=[trainer], leergang=leergang)
            GroupFactory(cohort=cohort, begeleider=trainer)

    grow(1)
    url = reverse(OVERVIEW) + f"?period=current&leergang={leergang.pk}&q=groep"
    few = page_query_count(client, url, trainer)
    grow(10)
    assert page_query_count(client, url) == few <= 15
