"""Secret tokens in URLs: anything but token characters is a 404, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/uitnodiging/ab%00cd/",
        "/agenda/ab%00cd/leerportaal.ics",
        "/certificaat/ab%00cd/",
        "/uitnodiging/" + "a" * 5000 + "/",
        "/certificaat/%C2%B2/",
    ],
)
def test_a_token_url_with_other_characters_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_real_tokens_still_resolve(client, participant):
    from django.urls import reverse

    from portal.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=participant)
    assert client.get(reverse("portal:calendar-feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("leergang:certificate-verify", args=["0123abcd"])).status_code == 404
