"""The one-time form token: a replayed creating POST acts once and answers like the first."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Invitation
from tests.helpers import messages_of, post_twice, redirect_of_both

pytestmark = pytest.mark.django_db


def _invite(utrecht, **extra):
    return {
        "email": "nieuw@utrecht.example",
        "first_name": "Noor",
        "last_name": "Peters",
        "organisation": utrecht.pk,
        "roles": ["deelnemer"],
        **extra,
    }


def test_the_invitation_form_carries_a_fresh_token_each_time(client, hr):
    client.force_login(hr)
    url = reverse("portal:invitation-create")
    tokens = set()
    for _ in range(2):
        page = client.get(url).content.decode()
        start = page.index('name="once" value="') + len('name="once" value="')
        tokens.add(uuid.UUID(page[start : start + 36]))
    assert len(tokens) == 2


def test_a_replayed_invitation_sends_one_mail_and_the_replay_is_told_so(
    client, hr, utrecht, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    data = _invite(utrecht, once=str(uuid.uuid4()))
    first, second = post_twice(
        client, reverse("portal:invitation-create"), data, django_capture_on_commit_callbacks
    )
    assert redirect_of_both(first, second) == reverse("portal:invitation-list")
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "al verstuurd" in messages_of(second)


def test_a_token_is_only_its_owners(client, hr, utrecht):
    """Another person's replayed token creates their own object: tokens are per person."""
    from tests.factories import UserFactory

    token = str(uuid.uuid4())
    client.force_login(hr)
    client.post(reverse("portal:invitation-create"), _invite(utrecht, once=token))
    colleague = UserFactory(organisation=utrecht, roles=["hr"])
    client.force_login(colleague)
    response = client.post(
        reverse("portal:invitation-create"),
        _invite(utrecht, once=token, email="ander@utrecht.example"),
    )
    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def test_a_malformed_token_is_a_form_error_not_a_500(client, hr, utrecht):
    client.force_login(hr)
    response = client.post(reverse("portal:invitation-create"), _invite(utrecht, once="²"))
    assert response.status_code == 200
    assert "Formuliercode" in response.content.decode()
    assert not Invitation.objects.exists()
