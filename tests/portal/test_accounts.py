import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Invitation, Role, User
from tests.factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _accept(client, invitation, first_name, last_name, password, repeated=None):
    """The invitation's accept form, sent."""
    return client.post(
        reverse("portal:invitation-accept", args=[invitation.token]),
        {
            "first_name": first_name,
            "last_name": last_name,
            "password1": password,
            "password2": password if repeated is None else repeated,
        },
    )


def test_login_with_email_and_password_reaches_home(client, participant):
    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert participant.first_name in response.content.decode()


def test_login_with_wrong_password_shows_dutch_error(client, participant):
    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": "fout"}
    )
    assert response.status_code == 200
    assert "niet correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_rate_limited_after_repeated_failures(client, participant):
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": participant.email, "password": "fout"})
    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}


def test_logout_ends_the_session(client, participant):
    client.force_login(participant)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302


def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "signup_closed" in response.templates[0].name or response.status_code in {200, 404}
    client.post(
        reverse("account_signup"),
        {
            "email": "vreemde@example.org",
            "password1": "Zeer-geheim-123",
            "password2": "Zeer-geheim-123",
        },
    )
    assert not User.objects.filter(email="vreemde@example.org").exists()


def test_password_reset_end_to_end(client, participant):
    client.post(reverse("account_reset_password"), {"email": participant.email})
    (message,) = mail.outbox
    assert "nieuw wachtwoord" in message.body
    assert message.alternatives[0][1] == "text/html"
    reset_link = _link_in(message)
    response = client.get(reset_link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_link
    response = client.post(
        form_url, {"password1": "nieuw-wachtwoord-2026", "password2": "nieuw-wachtwoord-2026"}
    )
    assert response.status_code == 302
    assert client.login(email=participant.email, password="nieuw-wachtwoord-2026")


def test_password_reset_for_unknown_address_reveals_nothing_and_sends_nothing(client, participant):
    known = client.post(reverse("account_reset_password"), {"email": participant.email})
    mail.outbox.clear()
    unknown = client.post(reverse("account_reset_password"), {"email": "onbekend@example.org"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert mail.outbox == []  # no portal-branded mail to whatever address a stranger types


def test_invitation_sends_email_and_accepting_creates_the_account(
    client, hr, utrecht, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:invitation-create"),
            {
                "email": "Nieuw@Utrecht.example",
                "first_name": "Noor",
                "last_name": "Peters",
                "organisation": utrecht.pk,
                "roles": ["deelnemer"],
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@utrecht.example")
    assert invitation.organisation == utrecht
    (message,) = mail.outbox
    assert message.to == ["nieuw@utrecht.example"]
    assert "Gemeente Utrecht" in message.subject
    assert message.alternatives[0][1] == "text/html"
    accept_url = _link_in(message)
    assert invitation.token in accept_url

    client.logout()
    response = _accept(client, invitation, "Noor", "Peters", "lange-zin-als-wachtwoord")
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@utrecht.example")
    assert user.organisation == utrecht
    assert user.roles == {Role.DEELNEMER}
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified


def test_used_invitation_link_gives_a_clear_message(client, utrecht):
    invitation = InvitationFactory(organisation=utrecht)
    assert _accept(client, invitation, "A", "B", "lange-zin-als-wachtwoord").status_code == 302
    client.logout()
    response = _accept(client, invitation, "A", "B", "lange-zin-als-wachtwoord")
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()
    assert User.objects.filter(email=invitation.email).count() == 1


def test_expired_invitation_link_gives_a_clear_message(client, utrecht):
    invitation = InvitationFactory(organisation=utrecht)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(reverse("portal:invitation-accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()


def test_revoked_invitation_cannot_be_used(client, hr, utrecht):
    invitation = InvitationFactory(organisation=utrecht)
    client.force_login(hr)
    client.post(reverse("portal:invitation-revoke", args=[invitation.pk]))
    client.logout()
    response = client.get(reverse("portal:invitation-accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "ingetrokken" in response.content.decode()


def test_unknown_invitation_token_is_a_404_with_a_message(client):
    response = client.get(reverse("portal:invitation-accept", args=["geknoeid-token"]))
    assert response.status_code == 404
    assert "niet geldig" in response.content.decode()


def test_resending_an_invitation_invalidates_the_old_link(
    client, hr, utrecht, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(organisation=utrecht)
    old_token = invitation.token
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:invitation-resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert len(mail.outbox) == 1
    client.logout()
    assert client.get(reverse("portal:invitation-accept", args=[old_token])).status_code == 404


def test_accepting_with_mismatched_or_weak_password_keeps_the_link_usable(client, utrecht):
    invitation = InvitationFactory(organisation=utrecht)
    response = _accept(client, invitation, "A", "B", "lange-zin-als-wachtwoord", "anders")
    assert response.status_code == 200
    assert "niet hetzelfde" in response.content.decode()
    response = _accept(client, invitation, "A", "B", "12345678901")
    assert response.status_code == 200
    assert not User.objects.filter(email=invitation.email).exists()
    assert (
        client.get(reverse("portal:invitation-accept", args=[invitation.token])).status_code == 200
    )


def test_a_password_too_short_is_refused_in_dutch(client, utrecht):
    # Django 5.2's own message has no Dutch translation: the page said it in English.
    invitation = InvitationFactory(organisation=utrecht)
    response = _accept(client, invitation, "A", "B", "kort")
    page = response.content.decode()
    assert "Dit wachtwoord is te kort: gebruik minstens 10 tekens." in page
    assert "too short" not in page


def _invite(client, *, email, organisation, roles=("deelnemer",)):
    return client.post(
        reverse("portal:invitation-create"),
        {
            "email": email,
            "first_name": "X",
            "last_name": "Y",
            "organisation": organisation.pk,
            "roles": list(roles),
        },
    )


@pytest.mark.parametrize(
    ("inviter", "email", "organisation", "roles", "message"),
    [
        ("hr", "deelnemer@utrecht.example", "utrecht", ["deelnemer"], "heeft al een account"),
        ("hr", "x@nijmegen.example", "nijmegen", ["deelnemer"], "Selecteer een geldige keuze"),
        ("hr", "x@utrecht.example", "utrecht", ["trainer"], "Selecteer een geldige keuze"),
        ("beheerder", "x@utrecht.example", "utrecht", ["trainer"], "opleider"),
    ],
    ids=[
        "existing-account",
        "hr-other-organisation",
        "hr-hands-out-trainer",
        "beheerder-trainer-outside-provider",
    ],
)
def test_refused_invitation_says_why_in_dutch_and_creates_nothing(
    client, request, participant, inviter, email, organisation, roles, message
):
    client.force_login(request.getfixturevalue(inviter))
    response = _invite(
        client, email=email, organisation=request.getfixturevalue(organisation), roles=roles
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_hr_sees_only_invitations_of_own_organisation(client, hr, utrecht, nijmegen):
    InvitationFactory(organisation=utrecht, email="eigen@utrecht.example")
    InvitationFactory(organisation=nijmegen, email="ander@nijmegen.example")
    client.force_login(hr)
    page = client.get(reverse("portal:invitation-list")).content.decode()
    assert "eigen@utrecht.example" in page
    assert "ander@nijmegen.example" not in page


def test_inactive_user_cannot_sign_in(client, utrecht):
    user = UserFactory(organisation=utrecht, is_active=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
