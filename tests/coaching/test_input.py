"""Booking ids go through a form; creating forms survive a replay; moments never overlap."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import AvailabilitySlot, CoachingSession, Goal, PrivateNote
from portal.models import Role
from portal.once import token_key
from tests.concurrency import run_in_parallel
from tests.factories import (
    AvailabilitySlotFactory,
    CoachingSessionFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import messages_of, post_twice, redirect_of_both

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _moment(days=5, start="10:00", end="11:00", prefix=""):
    return {
        f"{prefix}date": (timezone.localdate() + timedelta(days=days)).isoformat(),
        f"{prefix}start": start,
        f"{prefix}end": end,
        f"{prefix}location": "Academie",
    }


# --------------------------------------------------------------------------- booking by id


def _arabic_indic_moment_id(mine):
    return str(mine.pk).translate(ARABIC_INDIC)


def _moment_of_another_coach(mine):
    return AvailabilitySlotFactory().pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "choice",
    ["²", "", "abc", "9" * 40, "-3", "1.0", _arabic_indic_moment_id, _moment_of_another_coach],
)
def test_a_booking_that_is_not_a_free_moment_of_the_coach_is_refused_with_a_message(
    client, participant, coach, choice
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    mine = AvailabilitySlotFactory(coach=coach)
    if callable(choice):
        choice = choice(mine)
    client.force_login(participant)
    response = client.post(reverse("coaching:book", args=[trajectory.pk]), {"slot": choice})
    assert response["Location"] == reverse("coaching:overview")
    assert "Kies een van de vrije momenten" in messages_of(response)
    assert not CoachingSession.objects.exists()


@pytest.mark.django_db
def test_the_booking_form_carries_a_one_time_token(client, participant, coach):
    TrajectoryFactory(participant=participant, coach=coach)
    AvailabilitySlotFactory(coach=coach)
    client.force_login(participant)
    page = client.get(reverse("coaching:overview")).content.decode()
    assert 'type="hidden" name="once"' in page


# --------------------------------------------------------------------------- replays


@pytest.mark.django_db
def test_a_replayed_booking_books_once_and_invites_once(
    client, participant, coach, django_capture_on_commit_callbacks
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach)
    client.force_login(participant)
    data = {"slot": slot.pk, "once": str(uuid.uuid4())}
    url = reverse("coaching:book", args=[trajectory.pk])
    first, second = post_twice(client, url, data, django_capture_on_commit_callbacks)
    session = CoachingSession.objects.get()
    assert redirect_of_both(first, second) == reverse("coaching:session-detail", args=[session.pk])
    assert "al verstuurd" in messages_of(second)
    assert len(mail.outbox) == 2  # the participant and the coach, once each


@pytest.mark.django_db
def test_a_replayed_moment_is_offered_once(client, coach):
    client.force_login(coach)
    data = {**_moment(), "once": str(uuid.uuid4())}
    first = client.post(reverse("coaching:availability"), data)
    second = client.post(reverse("coaching:availability"), data)
    assert first.status_code == second.status_code == 302
    assert AvailabilitySlot.objects.filter(coach=coach).count() == 1
    assert "al verstuurd" in messages_of(second)


@pytest.mark.django_db
def test_a_refused_form_frees_its_token_for_the_corrected_one(client, coach):
    client.force_login(coach)
    token = str(uuid.uuid4())
    url = reverse("coaching:availability")
    assert client.post(url, _moment(start="10:00", end="11:00")).status_code == 302
    clash = {**_moment(start="10:30", end="11:30"), "once": token}
    assert client.post(url, clash).status_code == 200  # overlaps: refused, token freed
    corrected = {**_moment(start="11:00", end="12:00"), "once": token}
    assert client.post(url, corrected).status_code == 302
    assert AvailabilitySlot.objects.filter(coach=coach).count() == 2


@pytest.mark.django_db
def test_a_copy_sent_while_the_first_still_runs_is_told_to_wait(client, coach):
    token = uuid.uuid4()
    client.force_login(coach)
    cache.add(token_key(coach, token), "pending")
    response = client.post(reverse("coaching:availability"), {**_moment(), "once": str(token)})
    assert response["Location"] == reverse("coaching:availability")
    assert "nog verwerkt" in messages_of(response)
    assert not AvailabilitySlot.objects.exists()


@pytest.mark.django_db
def test_replayed_goal_plan_extend_and_note_posts_each_act_once(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach, agreed_sessions=6)
    client.force_login(participant)
    goal_post = {"goal-description": "Ik benoem spanning", "goal-once": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("coaching:goal-add", args=[trajectory.pk]), goal_post)
    assert Goal.objects.filter(trajectory=trajectory).count() == 1

    client.force_login(coach)
    plan_post = {**_moment(prefix="plan-"), "plan-once": str(uuid.uuid4())}
    responses = [
        client.post(reverse("coaching:plan", args=[trajectory.pk]), plan_post) for _ in range(2)
    ]
    session = CoachingSession.objects.get(trajectory=trajectory)
    assert {r["Location"] for r in responses} == {
        reverse("coaching:session-detail", args=[session.pk])
    }

    extend_post = {"extend-extra": "2", "extend-once": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("coaching:extend", args=[trajectory.pk]), extend_post)
    trajectory.refresh_from_db()
    assert trajectory.agreed_sessions == 8

    note_post = {"add_note": "1", "text": "Let op", "once": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("coaching:session-detail", args=[session.pk]), note_post)
    assert PrivateNote.objects.filter(session=session).count() == 1


@pytest.mark.django_db
def test_a_mark_that_is_not_a_status_is_refused_with_a_message(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    session = CoachingSessionFactory(
        trajectory=trajectory,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(coach)
    response = client.post(
        reverse("coaching:session-detail", args=[session.pk]), {"mark": "²"}, follow=True
    )
    assert response.status_code == 200
    assert "Kies gehouden of niet verschenen" in response.content.decode()
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.PLANNED


@pytest.mark.django_db
def test_a_post_that_names_none_of_the_session_page_forms_says_nothing_was_saved(
    client, participant, coach
):
    # The note's text without its button: the page came back as if saved (the hostile fuzz).
    session = CoachingSessionFactory(
        trajectory=TrajectoryFactory(participant=participant, coach=coach)
    )
    client.force_login(coach)
    response = client.post(
        reverse("coaching:session-detail", args=[session.pk]), {"text": "Zonder knop"}
    )
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in response.content.decode()
    assert not PrivateNote.objects.filter(session=session).exists()


# --------------------------------------------------------------------------- overlap


@pytest.mark.django_db
def test_an_overlapping_moment_is_refused_in_dutch_and_an_adjacent_one_is_fine(client, coach):
    client.force_login(coach)
    url = reverse("coaching:availability")
    assert client.post(url, _moment(start="10:00", end="11:00")).status_code == 302
    response = client.post(url, _moment(start="10:30", end="11:30"))
    assert response.status_code == 200
    assert "overlapt met het moment dat je al aanbiedt" in response.content.decode()
    assert client.post(url, _moment(start="11:00", end="12:00")).status_code == 302
    assert AvailabilitySlot.objects.filter(coach=coach).count() == 2


@pytest.mark.django_db
def test_a_moment_over_a_planned_session_is_refused(coach):
    trajectory = TrajectoryFactory(coach=coach)
    starts_at = timezone.now() + timedelta(days=3)
    services.session_plan(
        trajectory=trajectory, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    with pytest.raises(services.ValidationError):
        services.slot_publish(
            coach=coach,
            starts_at=starts_at + timedelta(minutes=30),
            ends_at=starts_at + timedelta(hours=2),
        )
    assert not AvailabilitySlot.objects.exists()


@pytest.mark.django_db
def test_another_coach_may_offer_the_same_time(coach):
    starts_at = timezone.now() + timedelta(days=3)
    other = UserFactory(roles=[Role.COACH], organisation=coach.organisation)
    for person in (coach, other):
        services.slot_publish(
            coach=person, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
        )
    assert AvailabilitySlot.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_parallel_overlapping_publishes_offer_one_moment():
    coach = UserFactory(roles=[Role.COACH])
    starts_at = timezone.now() + timedelta(days=3)
    starts = iter([starts_at, starts_at + timedelta(minutes=30)])

    def publish():
        start = next(starts)
        return services.slot_publish(
            coach=coach, starts_at=start, ends_at=start + timedelta(hours=1)
        )

    results = run_in_parallel(publish, 2)
    offered = [r for r in results if isinstance(r, AvailabilitySlot)]
    refused = [r for r in results if isinstance(r, services.ValidationError)]
    assert (len(offered), len(refused)) == (1, 1), results
    assert AvailabilitySlot.objects.filter(coach=coach).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "3000-01-01"])
def test_a_moment_centuries_ahead_is_refused_in_dutch(client, coach, day):
    client.force_login(coach)
    response = client.post(
        reverse("coaching:availability"), {"date": day, "start": "10:00", "end": "11:00"}
    )
    assert response.status_code == 200
    assert "Kies een datum binnen twee jaar." in response.content.decode()
    assert not AvailabilitySlot.objects.exists()
