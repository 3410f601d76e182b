"""The coaching lists on portal.listing: the coach's coachees and the trajectories the
programme office and HR see. Filters, sorts, bad values (never another organisation's
coach or organisation), pages and query counts."""

import pytest
from django.urls import reverse

from coaching.models import CoachingSession, Trajectory
from portal.models import Role
from tests.factories import CoachingSessionFactory, TrajectoryFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
OVERVIEW = "coaching:overview"
MANAGED = "coaching:trajectories"


def _trajectory(organisation, last_name, **fields):
    return TrajectoryFactory(
        participant=UserFactory(organisation=organisation, last_name=last_name), **fields
    )


def test_the_coach_filters_and_sorts_coachees(client, coach, utrecht):
    _trajectory(utrecht, "Akkerman", coach=coach, state=Trajectory.State.RUNNING)
    _trajectory(utrecht, "Zuidema", coach=coach, state=Trajectory.State.COMPLETED)
    client.force_login(coach)
    url = reverse(OVERVIEW)
    running = client.get(url, {"state": "running"}).content.decode()
    assert "Akkerman" in running and "Zuidema" not in running
    found = client.get(url, {"q": "zuid"}).content.decode()
    assert "Zuidema" in found and "Akkerman" not in found
    down = client.get(url, {"sort": "-participant"}).content.decode()
    assert down.index("Zuidema") < down.index("Akkerman")


def test_the_coach_sees_only_own_coachees_and_pages_them(client, coach, utrecht):
    other_coach = UserFactory(roles=[Role.COACH])
    _trajectory(utrecht, "Vreemd", coach=other_coach)
    for _n in range(51):
        _trajectory(utrecht, "Eigen", coach=coach)
    client.force_login(coach)
    page = client.get(reverse(OVERVIEW), {"q": "eigen"}).content.decode()
    assert "Rijen 1 tot 50 van 51" in page and "Vreemd" not in page
    assert 'href="?q=eigen&amp;page=2"' in page


def test_a_bad_coachee_filter_is_a_dutch_400(client, coach):
    client.force_login(coach)
    response = client.get(reverse(OVERVIEW), {"state": "geheim"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_the_programme_office_filters_trajectories(client, beheerder, utrecht, nijmegen):
    coach_a = UserFactory(roles=[Role.COACH], last_name="Coach-A")
    coach_b = UserFactory(roles=[Role.COACH], last_name="Coach-B")
    _trajectory(utrecht, "Utrechter", coach=coach_a)
    _trajectory(nijmegen, "Nijmegenaar", coach=coach_b, state=Trajectory.State.STOPPED)
    client.force_login(beheerder)
    url = reverse(MANAGED)
    for params, shown, hidden in (
        ({"coach": coach_a.pk}, "Utrechter", "Nijmegenaar"),
        ({"organisation": nijmegen.pk}, "Nijmegenaar", "Utrechter"),
        ({"state": "stopped"}, "Nijmegenaar", "Utrechter"),
        ({"q": "utrecht"}, "Utrechter", "Nijmegenaar"),
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        page = response.content.decode()
        assert shown in page and hidden not in page, params
    by_coach = client.get(url, {"sort": "-coach"}).content.decode()
    assert by_coach.index("Nijmegenaar") < by_coach.index("Utrechter")


def test_hr_cannot_choose_another_organisations_coach_or_organisation(
    client, hr, utrecht, nijmegen
):
    theirs = UserFactory(roles=[Role.COACH], last_name="Nijmeegse-coach")
    _trajectory(nijmegen, "Nijmegenaar", coach=theirs)
    _trajectory(utrecht, "Utrechter")
    client.force_login(hr)
    url = reverse(MANAGED)
    page = client.get(url).content.decode()
    assert "Nijmeegse-coach" not in page and 'name="organisation"' not in page
    response = client.get(url, {"coach": theirs.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page
    assert "Nijmegenaar" not in page and "Utrechter" in page
    ignored = client.get(url, {"organisation": nijmegen.pk}).content.decode()
    assert "Nijmegenaar" not in ignored and "Utrechter" in ignored


@pytest.mark.parametrize(
    "params", [{"coach": "x"}, {"organisation": "999999"}, {"sort": "leervraag"}]
)
def test_a_bad_trajectory_filter_is_a_dutch_400(client, beheerder, params):
    client.force_login(beheerder)
    response = client.get(reverse(MANAGED), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page or "kan niet gesorteerd" in page


def test_the_trajectories_page_by_fifty_and_keep_the_filter(client, beheerder, utrecht):
    for _n in range(51):
        _trajectory(utrecht, "Jansen")
    client.force_login(beheerder)
    page = client.get(reverse(MANAGED), {"state": "intake"}).content.decode()
    assert "Rijen 1 tot 50 van 51" in page
    assert 'href="?state=intake&amp;page=2"' in page


def test_sessions_used_are_counted_per_row(client, beheerder, utrecht):
    trajectory = _trajectory(utrecht, "Teller")
    for status in (CoachingSession.Status.HELD, CoachingSession.Status.PLANNED):
        CoachingSessionFactory(trajectory=trajectory, status=status)
    client.force_login(beheerder)
    page = client.get(reverse(MANAGED)).content.decode()
    assert "1 van 6" in page  # held counts as used; planned is shown apart


def test_the_coaching_lists_cost_the_same_queries_for_ten_times_the_rows(
    client, beheerder, hr, coach, utrecht
):
    def grow(count):
        for _n in range(count):
            trajectory = _trajectory(utrecht, "Adema", coach=coach)
            CoachingSessionFactory(trajectory=trajectory)
            _trajectory(utrecht, "Bos")

    grow(2)
    pages = [
        (coach, reverse(OVERVIEW) + "?state=intake&q=a&sort=-sessions"),
        (beheerder, reverse(MANAGED) + f"?coach={coach.pk}&organisation={utrecht.pk}&sort=coach"),
        (hr, reverse(MANAGED) + "?state=intake&q=a"),
    ]
    few = [page_query_count(client, url, user) for user, url in pages]
    grow(18)
    assert [page_query_count(client, url, user) for user, url in pages] == few
    assert max(few) <= MAX_QUERIES
