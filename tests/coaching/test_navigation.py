"""The "Coaching" menu entry: coaches, and participants who have a trajectory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Trajectory
from portal import navigation
from portal.models import Role, UserRole
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def _menu(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    return [(item["label"], item["url"]) for item in response.context["nav_items"]]


def _coaching_entries(menu):
    return [entry for entry in menu if entry == ("Coaching", reverse("coaching:overview"))]


def test_participant_with_a_trajectory_has_the_coaching_entry(client, participant, coach):
    assert _coaching_entries(_menu(client, participant)) == []
    TrajectoryFactory(participant=participant, coach=coach)
    assert len(_coaching_entries(_menu(client, participant))) == 1


def test_participant_keeps_the_entry_after_the_trajectory_ended(client, participant, coach):
    TrajectoryFactory(participant=participant, coach=coach, state=Trajectory.State.COMPLETED)
    assert len(_coaching_entries(_menu(client, participant))) == 1


def test_coach_without_coachees_has_the_entry_once_even_when_also_coached(
    client, coach, participant
):
    assert len(_coaching_entries(_menu(client, coach))) == 1
    UserRole.objects.create(user=coach, role=Role.DEELNEMER)
    TrajectoryFactory(participant=coach)  # coached by someone else
    assert len(_coaching_entries(_menu(client, coach))) == 1


@pytest.mark.parametrize("persona", ["trainer", "hr", "beheerder", "outsider"])
def test_others_have_no_coaching_entry(client, request, persona, participant, coach):
    TrajectoryFactory(participant=participant, coach=coach)
    assert _coaching_entries(_menu(client, request.getfixturevalue(persona))) == []


@pytest.mark.parametrize(
    ("persona", "queries"),
    [("participant", 1), ("coach", 0), ("trainer", 0), ("hr", 0), ("beheerder", 0)],
)
def test_menu_costs_at_most_one_query_that_does_not_grow(request, persona, queries, coach):
    user = request.getfixturevalue(persona)
    _ = user.roles  # loaded once per request for every page already

    def count():
        with CaptureQueriesContext(connection) as captured:
            navigation.entries_for(user)
        return len(captured)

    assert count() == queries
    for _ in range(10):
        if persona == "participant":
            TrajectoryFactory(participant=user, coach=coach)
        else:
            TrajectoryFactory(coach=coach)
    assert count() == queries
