import pytest
from django.urls import reverse

from portal.models import Role, User

pytestmark = pytest.mark.django_db


def _add_user(client, organisation, role):
    return client.post(
        reverse("admin:portal_user_add"),
        {
            "email": "nieuw@voorbeeld.example",
            "first_name": "Anna",
            "last_name": "Bos",
            "organisation": organisation.pk,
            "password1": "lange-zin-wachtwoord",
            "password2": "lange-zin-wachtwoord",
            "usable_password": "true",
            "role_rows-TOTAL_FORMS": "1",
            "role_rows-INITIAL_FORMS": "0",
            "role_rows-0-role": role,
        },
    )


@pytest.mark.parametrize(
    ("name", "needs_pk"),
    [
        ("admin:portal_user_changelist", False),
        ("admin:portal_user_add", False),
        ("admin:portal_user_change", True),
        ("admin:portal_organisation_changelist", False),
        ("admin:portal_invitation_changelist", False),
        ("admin:portal_notification_changelist", False),
    ],
)
def test_beheerder_works_in_the_admin(client, beheerder, participant, name, needs_pk):
    client.force_login(beheerder)
    args = [participant.pk] if needs_pk else []
    assert client.get(reverse(name, args=args)).status_code == 200


def test_beheerder_adds_a_participant_with_a_role(client, beheerder, utrecht):
    client.force_login(beheerder)
    assert _add_user(client, utrecht, Role.DEELNEMER).status_code == 302
    user = User.objects.get(email="nieuw@voorbeeld.example")
    assert user.organisation == utrecht
    assert user.roles == {Role.DEELNEMER}


def test_admin_refuses_trainer_role_outside_the_provider(client, beheerder, utrecht):
    client.force_login(beheerder)
    response = _add_user(client, utrecht, Role.TRAINER)
    assert response.status_code == 200
    assert "opleider" in response.content.decode()
    assert not User.objects.filter(email="nieuw@voorbeeld.example").exists()


def test_hr_is_kept_out_of_the_admin(client, hr):
    client.force_login(hr)
    response = client.get(reverse("admin:portal_user_changelist"))
    assert response.status_code == 302
