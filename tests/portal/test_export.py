import json

import pytest
from django.urls import reverse

from portal.notifications import notify
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_export_holds_own_data_and_nobody_elses(client, participant, outsider, hr):
    notify(participant, "invitation", context={"first_name": "x", "organisation": "y"})
    notify(outsider, "invitation", context={"first_name": "x", "organisation": "y"})
    InvitationFactory(organisation=hr.organisation, invited_by=hr, email="collega@x.example")
    client.force_login(participant)
    response = client.get(reverse("portal:profile-export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == participant.email
    assert data["account"]["organisation"] == "Gemeente Utrecht"
    assert data["account"]["roles"] == ["deelnemer"]
    assert [n["email"] for n in data["notifications"]] == [participant.email]
    assert data["invitations_sent"] == []
    text = response.content.decode()
    for other in (outsider.email, hr.email, "collega@x.example"):
        assert other not in text
    assert "password" not in text


def test_export_of_hr_lists_the_invitations_they_sent(client, hr):
    InvitationFactory(organisation=hr.organisation, invited_by=hr, email="collega@x.example")
    client.force_login(hr)
    data = json.loads(client.get(reverse("portal:profile-export")).content)
    assert [i["email"] for i in data["invitations_sent"]] == ["collega@x.example"]
