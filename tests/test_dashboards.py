"""The pages that gather from several apps: home per role and HR's people list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intervisie.models import SessionAttendance
from leergang.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


def _count(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _world(trainer, participant, utrecht, size):
    """``size`` cohorts with a group, a poll and a held session each."""
    for _ in range(size):
        cohort = factories.CohortFactory(
            trainers=[trainer], bijeenkomsten=2, requires_approval=True
        )
        mine = factories.EnrolmentFactory(cohort=cohort, participant=participant)
        group = factories.GroupFactory(
            cohort=cohort, begeleider=trainer, members=[mine], member_count=3
        )
        factories.PollFactory(group=group)
        held = factories.IntervisieSessionFactory(
            group=group, status="held", starts_at=timezone.now() - timedelta(days=3)
        )
        SessionAttendance.objects.create(session=held, participant=participant, status="present")
        factories.EnrolmentFactory(
            cohort=cohort,
            state=Enrolment.State.REQUESTED,
            participant=factories.UserFactory(organisation=utrecht),
        )


@pytest.mark.parametrize("persona", ["participant", "trainer", "hr"])
def test_home_keeps_its_query_count_per_role(
    client, request, trainer, participant, utrecht, persona
):
    user = request.getfixturevalue(persona)
    _world(trainer, participant, utrecht, 1)
    few, _page = _count(client, user, reverse("portal:home"))
    _world(trainer, participant, utrecht, 9)
    many, page = _count(client, user, reverse("portal:home"))
    assert many == few


def test_home_shows_each_role_its_panels(client, trainer, participant, hr, utrecht):
    _world(trainer, participant, utrecht, 1)
    _n, page = _count(client, participant, reverse("portal:home"))
    assert "Mijn leergang" in page and "Kies data" in page
    _n, page = _count(client, trainer, reverse("portal:home"))
    assert "Mijn uitvoeringen" in page and "Intervisiegroepen" in page
    _n, page = _count(client, hr, reverse("portal:home"))
    assert "1 aanvraag" in page


def test_hr_overview_shows_counts_of_own_people_only(
    client, trainer, participant, hr, outsider, utrecht
):
    _world(trainer, participant, utrecht, 2)
    group = factories.GroupFactory(begeleider=trainer)
    factories.IntervisieSessionFactory(
        group=group, case_text="Vertrouwelijke casus", agreements="Geheime afspraak"
    )
    few, page = _count(client, hr, reverse("hr:people"))
    assert escape(participant.last_name) in page
    assert outsider.last_name not in page
    # One row per enrolment: the participant attended the one held session of each group.
    assert page.count('<td class="intervisie">1 van 1</td>') == 2
    assert "Vertrouwelijke" not in page and "Geheime" not in page
    _world(trainer, participant, utrecht, 8)
    for _ in range(10):
        factories.EnrolmentFactory(participant=factories.UserFactory(organisation=utrecht))
    many, _page = _count(client, hr, reverse("hr:people"))
    assert many == few
