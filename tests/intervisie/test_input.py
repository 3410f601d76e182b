"""Date polls take 2 to 10 slots, bounded formsets, ids read through forms, replay-safe."""

import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from intervisie import services
from intervisie.models import Method, Poll, Session
from tests.factories import CohortFactory, EnrolmentFactory, PollFactory
from tests.helpers import messages_of, post_twice, redirect_of_both

pytestmark = pytest.mark.django_db

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _poll_post(filled: int, total: int | None = None, **extra) -> dict:
    """The poll form as the browser sends it, with ``filled`` of its rows filled in."""
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Volgende intervisie",
        "closes_at": closes,
        "slots-TOTAL_FORMS": str(total if total is not None else max(filled, 10)),
        "slots-INITIAL_FORMS": "0",
        **extra,
    }
    for index in range(filled):
        data[f"slots-{index}-date"] = (
            timezone.localdate() + timedelta(days=10 + index)
        ).isoformat()
        data[f"slots-{index}-start"] = "14:00"
        data[f"slots-{index}-end"] = "16:00"
        data[f"slots-{index}-location"] = "Stadskantoor"
    return data


# --- 2 to 10 slots ---------------------------------------------------------------------------


def test_the_poll_page_offers_ten_rows_a_more_button_and_a_one_time_token(client, group, trainer):
    client.force_login(trainer)
    page = client.get(reverse("intervisie:poll-create", args=[group.pk])).content.decode()
    assert page.count("data-slot-row=") == 10
    assert 'name="slots-TOTAL_FORMS" value="10"' in page
    assert "Meer momenten" in page
    assert "intervisie/poll_slots.js" in page
    assert 'type="hidden" name="once"' in page


@pytest.mark.parametrize("filled", [2, 10])
def test_a_poll_takes_two_to_ten_slots(client, group, trainer, filled):
    client.force_login(trainer)
    response = client.post(reverse("intervisie:poll-create", args=[group.pk]), _poll_post(filled))
    poll = Poll.objects.get()
    assert response["Location"] == reverse("intervisie:poll-manage", args=[poll.pk])
    assert poll.slots.count() == filled


@pytest.mark.parametrize(
    ("filled", "refusal"),
    [(1, "Stel minstens 2 momenten voor."), (11, "Stel hoogstens 10 momenten voor.")],
    ids=["one-slot", "eleven-slots"],
)
def test_too_few_or_too_many_slots_are_refused_in_dutch(client, group, trainer, filled, refusal):
    client.force_login(trainer)
    response = client.post(reverse("intervisie:poll-create", args=[group.pk]), _poll_post(filled))
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert not Poll.objects.exists()


def test_a_huge_total_forms_builds_ten_forms_and_answers_quickly(client, group, trainer):
    client.force_login(trainer)
    started = time.perf_counter()
    response = client.post(
        reverse("intervisie:poll-create", args=[group.pk]), _poll_post(2, total=100000)
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert len(response.context["slots"].forms) == 10
    assert "Stel hoogstens 10 momenten voor." in response.content.decode()
    assert not Poll.objects.exists()
    assert elapsed < 2, elapsed


def test_the_service_refuses_fewer_than_two_or_more_than_ten_slots(group, trainer):
    closes_at = timezone.now() + timedelta(days=5)
    slot = {
        "starts_at": closes_at + timedelta(days=2),
        "ends_at": closes_at + timedelta(days=2, hours=2),
        "location": "",
        "online_url": "",
    }
    for count in (1, 11):
        with pytest.raises(ValidationError):
            services.poll_create(
                group=group, by=trainer, title="x", closes_at=closes_at, slots=[slot] * count
            )
    assert not Poll.objects.exists()


# --- replays ---------------------------------------------------------------------------------


def test_a_replayed_poll_post_opens_one_poll_and_mails_the_members_once(
    client, group, trainer, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    url = reverse("intervisie:poll-create", args=[group.pk])
    data = _poll_post(3, once=str(uuid.uuid4()))
    first, second = post_twice(client, url, data, django_capture_on_commit_callbacks)
    poll = Poll.objects.get()
    assert redirect_of_both(first, second) == reverse("intervisie:poll-manage", args=[poll.pk])
    assert "al verstuurd" in messages_of(second)
    assert len(mail.outbox) == 4  # each member once


def test_a_new_form_token_opens_a_new_poll(client, group, trainer):
    client.force_login(trainer)
    url = reverse("intervisie:poll-create", args=[group.pk])
    client.post(url, _poll_post(3, once=str(uuid.uuid4())))
    client.post(url, _poll_post(3, once=str(uuid.uuid4())))
    assert Poll.objects.count() == 2


def test_a_replayed_method_post_adds_one_method(client, trainer):
    client.force_login(trainer)
    data = {
        "name": "Kwaliteitenspel",
        "summary": "Kernkwadranten",
        "steps": "1. Kies",
        "once": str(uuid.uuid4()),
    }
    client.post(reverse("intervisie:method-create"), data)
    second = client.post(reverse("intervisie:method-create"), data)
    assert second.status_code in (200, 302)
    assert Method.objects.filter(name="Kwaliteitenspel").count() == 1


# --- picking a slot: the id goes through a form ------------------------------------------------


def _arabic_indic_slot_id(poll, other):
    return str(poll.slots.first().pk).translate(ARABIC_INDIC)


def _slot_of_another_poll(poll, other):
    return other.slots.first().pk


@pytest.mark.parametrize(
    "choice",
    ["²", "", "abc", "1" * 40, "-1", " 1", _arabic_indic_slot_id, _slot_of_another_poll],
)
def test_a_pick_that_is_not_a_slot_of_the_poll_is_refused_with_a_message(
    client, group, trainer, choice
):
    poll, other = PollFactory(group=group), PollFactory(group=group)
    if callable(choice):
        choice = choice(poll, other)
    client.force_login(trainer)
    response = client.post(reverse("intervisie:poll-pick", args=[poll.pk]), {"slot": choice})
    assert response["Location"] == reverse("intervisie:poll-manage", args=[poll.pk])
    assert "Kies een van de momenten" in messages_of(response)
    assert not Session.objects.exists()


def test_picking_a_slot_of_the_poll_plans_the_session(client, group, trainer):
    poll = PollFactory(group=group)
    slot = poll.slots.last()
    client.force_login(trainer)
    response = client.post(reverse("intervisie:poll-pick", args=[poll.pk]), {"slot": slot.pk})
    session = Session.objects.get()
    assert response["Location"] == reverse("intervisie:session-detail", args=[session.pk])
    assert session.starts_at == slot.starts_at


# --- accepting a group proposal: the JSON goes through a form ----------------------------------


@pytest.mark.parametrize(
    "split",
    [
        "",
        "niet json",
        "[]",
        "[[]]",
        "[[], []]",
        "{}",
        "[[Infinity]]",
        "[[1.5]]",
        "[[true]]",
        '[["٣"]]',
        "[[-1]]",
        "[[99999999999999999999999]]",
        "[[1, 2, 3, 4, 5, 6, 7, 8, 9]]",
        pytest.param("[" * 100_000, id="deep-nesting"),
        pytest.param("[[" + "9" * 5000 + "]]", id="huge-number"),
        pytest.param("[[1]]" + " " * 20_000, id="too-long"),
    ],
)
def test_a_proposal_that_cannot_be_read_is_refused_with_a_message(client, trainer, split):
    cohort = CohortFactory(trainers=[trainer])
    client.force_login(trainer)
    response = client.post(reverse("intervisie:groups-accept", args=[cohort.pk]), {"split": split})
    assert response["Location"] == reverse("intervisie:cohort-groups", args=[cohort.pk])
    assert "kon niet worden gelezen" in messages_of(response)
    assert not cohort.intervisie_groups.exists()


def test_an_accepted_proposal_makes_the_groups(client, trainer):
    cohort = CohortFactory(trainers=[trainer])
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(8)]
    client.force_login(trainer)
    split = [[e.pk for e in enrolments[:4]], [e.pk for e in enrolments[4:]]]
    client.post(reverse("intervisie:groups-accept", args=[cohort.pk]), {"split": str(split)})
    assert cohort.intervisie_groups.count() == 2


def test_the_service_refuses_empty_groups(trainer):
    cohort = CohortFactory(trainers=[trainer])
    with pytest.raises(ValidationError):
        services.groups_create(cohort=cohort, begeleider=trainer, split=[[], []])
    assert not cohort.intervisie_groups.exists()


def test_a_replayed_pick_plans_one_session_and_answers_with_it(
    client, group, trainer, django_capture_on_commit_callbacks
):
    poll = PollFactory(group=group)
    client.force_login(trainer)
    page = client.get(reverse("intervisie:poll-manage", args=[poll.pk])).content.decode()
    assert 'type="hidden" name="once"' in page
    data = {"slot": poll.slots.first().pk, "once": str(uuid.uuid4())}
    url = reverse("intervisie:poll-pick", args=[poll.pk])
    first, second = post_twice(client, url, data, django_capture_on_commit_callbacks)
    session = Session.objects.get()
    assert redirect_of_both(first, second) == reverse(
        "intervisie:session-detail", args=[session.pk]
    )
    assert len(mail.outbox) == 5  # each member and the begeleider invited once


@pytest.mark.django_db(transaction=True)
def test_two_parallel_copies_of_one_poll_post_open_one_poll(group, trainer):
    from django.test import Client

    from tests.concurrency import run_in_parallel

    data = _poll_post(3, once=str(uuid.uuid4()))
    url = reverse("intervisie:poll-create", args=[group.pk])

    def send():
        client = Client()
        client.force_login(trainer)
        return client.post(url, data).status_code

    assert run_in_parallel(send, 2) == [302, 302]
    assert Poll.objects.count() == 1
