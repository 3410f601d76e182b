"""The trainer's list of evaluated cohorts on portal.listing: filters, sort by answers,
bad values and query counts."""

import pytest
from django.urls import reverse

from tests.evaluations.test_results import answered_leergang
from tests.factories import CohortFactory, LeergangFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

COHORTS = "evaluations:cohorts"


def test_the_evaluated_cohorts_sort_by_answers_and_filter(client, trainer):
    busy = answered_leergang(3, trainer=trainer)
    quiet = CohortFactory(trainers=[trainer], name="Stille groep")
    client.force_login(trainer)
    url = reverse(COHORTS)
    page = client.get(url, {"sort": "-answers"}).content.decode()
    assert page.index(busy.name) < page.index("Stille groep")
    assert 'aria-sort="descending"' in page
    found = client.get(url, {"leergang": quiet.leergang_id}).content.decode()
    assert "Stille groep" in found and f">{busy.leergang.title}: {busy.name}<" not in found


def test_a_leergang_the_trainer_does_not_train_is_refused(client, trainer):
    other = CohortFactory(leergang=LeergangFactory(title="Niet de mijne"))
    client.force_login(trainer)
    response = client.get(reverse(COHORTS), {"leergang": other.leergang_id})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_the_evaluated_cohorts_cost_the_same_queries_for_ten_times_the_rows(client, trainer):
    leergang = LeergangFactory(module_count=0)
    CohortFactory(trainers=[trainer], leergang=leergang)
    url = reverse(COHORTS) + f"?leergang={leergang.pk}&period=current&sort=answers"
    few = page_query_count(client, url, trainer)
    for _n in range(10):
        CohortFactory(trainers=[trainer], leergang=leergang)
    assert page_query_count(client, url) == few <= 15
