"""The coaching pages offer what the policy allows (access.may), and no more."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession
from tests.factories import CoachingSessionFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def _page(client, user, session):
    client.force_login(user)
    return client.get(reverse("coaching:session-detail", args=[session.pk])).content.decode()


def test_the_coach_gets_summary_notes_and_marking_the_participant_the_preparation(
    client, participant, coach
):
    started = timezone.now() - timedelta(minutes=10)
    session = CoachingSessionFactory(
        trajectory=TrajectoryFactory(participant=participant, coach=coach),
        starts_at=started,
        ends_at=started + timedelta(hours=1),
    )
    page = _page(client, coach, session)
    assert 'name="save_summary"' in page and 'name="add_note"' in page
    assert 'name="mark" value="held"' in page and 'name="preparation"' not in page
    page = _page(client, participant, session)
    assert 'name="preparation"' in page and 'name="participant_comment"' in page
    assert 'name="save_summary"' not in page and 'name="mark"' not in page


def test_only_a_planned_session_offers_cancelling(client, participant, coach):
    session = CoachingSessionFactory(
        trajectory=TrajectoryFactory(participant=participant, coach=coach)
    )
    cancel_url = reverse("coaching:session-cancel", args=[session.pk])
    assert cancel_url in _page(client, participant, session)
    CoachingSession.objects.filter(pk=session.pk).update(status=CoachingSession.Status.CANCELLED)
    assert cancel_url not in _page(client, participant, session)
    assert cancel_url not in _page(client, coach, session)


def test_the_trajectory_page_gives_each_side_its_own_forms(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    url = reverse("coaching:trajectory", args=[trajectory.pk])
    client.force_login(participant)
    page = client.get(url).content.decode()
    assert reverse("coaching:leervraag", args=[trajectory.pk]) in page
    assert reverse("coaching:plan", args=[trajectory.pk]) not in page
    client.force_login(coach)
    page = client.get(url).content.decode()
    assert reverse("coaching:plan", args=[trajectory.pk]) in page
    assert reverse("coaching:extend", args=[trajectory.pk]) in page
    assert reverse("coaching:leervraag", args=[trajectory.pk]) not in page
