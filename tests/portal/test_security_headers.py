"""Headers on every response: no stored pages of a signed-in person, a Permissions-Policy."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "name", ["portal:home", "portal:profile", "portal:calendar", "account_change_password"]
)
def test_signed_in_pages_are_never_stored(client, participant, name):
    client.force_login(participant)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_signed_in_downloads_are_never_stored(client, participant):
    client.force_login(participant)
    response = client.get(reverse("portal:profile-export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert {"no-store", "private"} <= _directives(response)


def test_the_response_to_a_successful_login_is_never_stored(client, participant):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": participant.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "no-store" in _directives(response)


def test_a_view_s_own_cache_control_is_kept_and_only_tightened(client, participant):
    client.force_login(participant)
    response = client.get(reverse("health"))  # never_cache: max-age=0, must-revalidate, ...
    assert {"no-store", "private", "must-revalidate", "max-age=0"} <= _directives(response)


def test_pages_for_nobody_in_particular_are_left_alone(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "no-store" not in _directives(response)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_switches_off_camera_microphone_and_location(client, participant, signed_in):
    if signed_in:
        client.force_login(participant)
    response = client.get(reverse("portal:home") if signed_in else reverse("account_login"))
    policy = {part.strip() for part in response["Permissions-Policy"].split(",")}
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= policy
