"""A visitor who is not signed in can always find the public catalogue."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


def test_login_page_links_to_the_public_catalogue(client):
    html = client.get(reverse("account_login")).content.decode()
    main = html[html.index("<main") :]
    assert reverse("leergang:catalogue") in _links(main)
    assert "Bekijk alle leergangen en hun data" in main


def test_header_offers_the_catalogue_and_sign_in_to_anonymous_visitors(client):
    response = client.get(reverse("leergang:catalogue"))
    assert [item["label"] for item in response.context["nav_items"]] == ["Leergangen"]
    header = response.content.decode().split("</header>")[0]
    assert reverse("leergang:catalogue") in _links(header)
    assert reverse("account_login") in _links(header)
    assert "Uitloggen" not in header


def test_header_of_a_signed_in_person_has_no_sign_in_link(client, participant):
    client.force_login(participant)
    header = client.get(reverse("leergang:catalogue")).content.decode().split("</header>")[0]
    assert reverse("account_login") not in _links(header)
    assert "Uitloggen" in header
