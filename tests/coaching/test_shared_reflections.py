"""'Share with my coach': the coach of the participant's open trajectory reads it, nobody else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import Trajectory
from leergang.models import Reflection
from portal.models import Role, UserRole
from tests.factories import CohortFactory, EnrolmentFactory, TrajectoryFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db


def _reflection(participant, *, text="Wat ik leerde over regie", **sharing):
    enrolment = EnrolmentFactory(cohort=CohortFactory(), participant=participant)
    module = enrolment.cohort.leergang.module_links.first().module
    return Reflection.objects.create(
        enrolment=enrolment, module=module, text=text, submitted_at=timezone.now(), **sharing
    )


def _read(client, user, reflection):
    client.force_login(user)
    return client.get(reverse("leergang:reflection-detail", args=[reflection.pk]))


def test_coach_of_open_trajectory_reads_reflection_shared_with_coach(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    reflection = _reflection(participant, shared_with_coach=True)
    client.force_login(coach)
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    detail = reverse("leergang:reflection-detail", args=[reflection.pk])
    assert f'href="{detail}"' in page
    assert "Wat ik leerde over regie" not in page  # the page links; the text is one click on
    response = client.get(detail)
    assert response.status_code == 200
    assert "Wat ik leerde over regie" in response.content.decode()


def test_participant_sees_on_trajectory_page_what_they_share_with_coach(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    shared = _reflection(participant, shared_with_coach=True)
    private = _reflection(participant)
    client.force_login(participant)
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    assert reverse("leergang:reflection-detail", args=[shared.pk]) in page
    assert reverse("leergang:reflection-detail", args=[private.pk]) not in page


def test_revoking_the_share_removes_coach_access_at_once(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    reflection = _reflection(participant, shared_with_coach=True)
    assert _read(client, coach, reflection).status_code == 200

    client.force_login(participant)
    response = client.post(
        reverse("leergang:reflection-edit", args=[reflection.enrolment_id, reflection.module.slug]),
        {"text": reflection.text, "save": "1"},  # the box unticked
    )
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert not reflection.shared_with_coach

    assert _read(client, coach, reflection).status_code == 404
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    assert reverse("leergang:reflection-detail", args=[reflection.pk]) not in page


@pytest.mark.parametrize("ending", [Trajectory.State.COMPLETED, Trajectory.State.STOPPED])
def test_coach_loses_access_when_the_trajectory_ends(client, participant, coach, ending):
    trajectory = TrajectoryFactory(
        participant=participant, coach=coach, state=Trajectory.State.RUNNING
    )
    reflection = _reflection(participant, shared_with_coach=True)
    assert _read(client, coach, reflection).status_code == 200
    services.trajectory_transition(
        trajectory=trajectory, to_state=ending, by=coach, reason="Afgesproken"
    )
    assert _read(client, coach, reflection).status_code == 404
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    assert reverse("leergang:reflection-detail", args=[reflection.pk]) not in page


def test_reflection_shared_only_with_trainer_is_not_for_the_coach(client, participant, coach):
    TrajectoryFactory(participant=participant, coach=coach)
    reflection = _reflection(participant, shared_with_trainer=True)
    assert _read(client, coach, reflection).status_code == 404


def test_reflection_not_for_other_coaches_hr_trainers_or_programme_office(
    client, participant, coach, hr, beheerder, trainer, provider
):
    TrajectoryFactory(participant=participant, coach=coach)
    other_coach = UserFactory(organisation=provider, roles=[Role.COACH])
    TrajectoryFactory(coach=other_coach)  # coaches someone else
    reflection = _reflection(participant, shared_with_coach=True)
    reflection.enrolment.cohort.trainers.add(trainer)  # trains the cohort, not shared with them
    for reader in (other_coach, hr, beheerder, trainer):
        assert _read(client, reader, reflection).status_code == 404, reader


def test_coach_whose_coach_role_is_taken_away_no_longer_reads(client, participant, coach):
    TrajectoryFactory(participant=participant, coach=coach)
    reflection = _reflection(participant, shared_with_coach=True)
    assert _read(client, coach, reflection).status_code == 200
    UserRole.objects.filter(user=coach, role=Role.COACH).delete()
    assert _read(client, coach, reflection).status_code == 404


def test_trajectory_page_queries_do_not_grow_with_shared_reflections(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)

    def count(user):
        return page_query_count(client, reverse("coaching:trajectory", args=[trajectory.pk]), user)

    _reflection(participant, shared_with_coach=True)
    few = count(coach), count(participant)
    for _ in range(10):
        _reflection(participant, shared_with_coach=True)
    assert (count(coach), count(participant)) == few


def test_trajectory_page_says_in_dutch_what_is_shared(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    url = reverse("coaching:trajectory", args=[trajectory.pk])
    client.force_login(participant)
    assert "Je deelt geen reflecties met je coach." in client.get(url).content.decode()
    client.force_login(coach)
    page = client.get(url).content.decode()
    assert "Leerlog dat met jou gedeeld is" in page
    assert "De deelnemer deelt geen reflecties met jou." in page
