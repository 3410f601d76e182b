"""The department (afdeling): HR sets it for their own people, the invitation and the CSV
invite carry it to the account."""

import pytest
from django.urls import reverse

from portal import access, services
from portal.models import Invitation, InvitationImport, Role, User
from portal.services import invitation_csv_parse, invitation_import_csv
from tests.factories import InvitationFactory, UserFactory
from tests.helpers import messages_of, post_twice
from tests.hr.people_world import _get, _rows, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(utrecht, nijmegen, trainer):
    return build_world(utrecht, nijmegen, trainer)


def _url(person, **query):
    url = reverse("hr:person-department", args=[person.pk])
    return f"{url}?back={query['back']}" if query else url


def test_hr_sets_the_department_of_their_own_person_and_the_list_shows_it(
    client, hr, world, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    page = client.get(_url(world.carla)).content.decode()
    assert 'list="departments"' in page and '<option value="Sociaal domein">' in page
    first, second = post_twice(
        client,
        _url(world.carla, back="state%3Denrolled"),
        {"department": "  Wijkteam   Noord "},
        django_capture_on_commit_callbacks,
    )
    # A double click: the same value saved twice, harmless; both back to the list's filters.
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("hr:people") + "?state=enrolled"
    world.carla.refresh_from_db()
    assert world.carla.department == "Wijkteam Noord"
    assert "De afdeling van Carla Mertens is opgeslagen" in messages_of(second)
    (row,) = _rows(_get(client, hr, q="Carla").content.decode())
    assert "Wijkteam Noord" in row


def test_an_empty_department_clears_it(client, hr, world):
    client.force_login(hr)
    client.post(_url(world.anna), {"department": ""})
    world.anna.refresh_from_db()
    assert world.anna.department == ""


def test_a_too_long_department_is_refused_with_a_message(client, hr, world):
    client.force_login(hr)
    response = client.post(_url(world.anna), {"department": "x" * 121})
    assert response.status_code == 200
    assert "niet meer dan 120 tekens" in response.content.decode()
    world.anna.refresh_from_db()
    assert world.anna.department == "Stadsontwikkeling"


def test_the_back_link_is_only_ever_a_query_on_the_list(client, hr, world):
    client.force_login(hr)
    response = client.post(_url(world.anna, back="https://kwaad.example/"), {"department": "A"})
    assert response["Location"].startswith(reverse("hr:people") + "?")


@pytest.mark.parametrize("method", ["get", "post"])
def test_hr_of_another_organisation_gets_404(client, outsider_hr, world, method):
    client.force_login(outsider_hr)
    response = getattr(client, method)(_url(world.anna), {"department": "Gehackt"})
    assert response.status_code == 404
    world.anna.refresh_from_db()
    assert world.anna.department == "Stadsontwikkeling"


@pytest.mark.parametrize("persona", ["participant", "trainer", "beheerder"])
def test_other_roles_may_not(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(_url(world.anna), {"department": "X"}).status_code == 403


# --- the invitation ---------------------------------------------------------------------


def test_the_invitation_form_takes_a_department_and_the_account_gets_it(client, hr):
    client.force_login(hr)
    response = client.post(
        reverse("portal:invitation-create"),
        {
            "email": "nieuw@utrecht.example",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "department": "Publiekszaken",
            "organisation": hr.organisation_id,
            "roles": ["deelnemer"],
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@utrecht.example")
    assert invitation.department == "Publiekszaken"
    client.logout()
    user = services.invitation_accept(
        token=invitation.token, password="een-lang-wachtwoord-7", first_name="", last_name=""
    )
    assert user.department == "Publiekszaken"


def test_an_invitation_without_department_gives_an_account_without_one(utrecht):
    invitation = InvitationFactory(organisation=utrecht)
    user = services.invitation_accept(
        token=invitation.token, password="een-lang-wachtwoord-7", first_name="", last_name=""
    )
    assert user.department == ""


# --- the CSV invite ----------------------------------------------------------------------


def test_csv_with_a_fourth_column_gives_each_invitation_its_department(hr):
    data = (
        "e-mailadres;voornaam;achternaam;afdeling\n"
        "anna@utrecht.example;Anna;Smit;Stadsontwikkeling\n"
        "bram@utrecht.example;Bram;de Wit;\n"
        "carla@utrecht.example;Carla;Mertens\n"
        f"daan@utrecht.example;Daan;Lang;{'x' * 121}\n"
        "eva@utrecht.example;Eva;Jansen;Wijk;te veel\n"
    ).encode()
    result = invitation_import_csv(data=data, organisation=hr.organisation, invited_by=hr)
    departments = dict(Invitation.objects.values_list("email", "department"))
    assert departments == {
        "anna@utrecht.example": "Stadsontwikkeling",
        "bram@utrecht.example": "",
        "carla@utrecht.example": "",
    }
    errors = dict(result.errors)
    assert errors[5] == "De afdeling is langer dan 120 tekens (het zijn er 121)."
    assert "Te veel kolommen" in errors[6]
    rows = {row.line: row for row in invitation_csv_parse(data)}
    assert rows[5].problem == InvitationImport.Problem.DEPARTMENT


def test_csv_with_three_columns_still_works(hr):
    data = b"anna@utrecht.example,Anna,Smit\nbram@utrecht.example,Bram,de Wit\n"
    result = invitation_import_csv(data=data, organisation=hr.organisation, invited_by=hr)
    assert len(result.created) == 2 and not result.errors
    assert set(Invitation.objects.values_list("department", flat=True)) == {""}


def test_csv_invite_page_explains_the_fourth_column(client, hr):
    client.force_login(hr)
    page = client.get(reverse("portal:invitation-import")).content.decode()
    assert "vierde kolom met de afdeling" in page
    assert "e-mailadres;voornaam;achternaam;afdeling" in page


def test_the_department_of_an_accepted_csv_invitation_reaches_the_account(hr):
    invitation_import_csv(
        data=b"anna@utrecht.example;Anna;Smit;Sociaal domein\n",
        organisation=hr.organisation,
        invited_by=hr,
    )
    invitation = Invitation.objects.get()
    services.invitation_accept(
        token=invitation.token, password="een-lang-wachtwoord-7", first_name="", last_name=""
    )
    user = User.objects.get(email="anna@utrecht.example")
    assert user.department == "Sociaal domein" and user.has_role(Role.DEELNEMER)


def test_the_policy_lets_hr_set_departments_in_their_own_organisation_only(
    hr, outsider_hr, beheerder
):
    colleague = UserFactory(organisation=hr.organisation, roles=[Role.HR])
    assert access.may(hr, "set_department", colleague)
    assert not access.may(outsider_hr, "set_department", colleague)
    assert not access.may(beheerder, "set_department", colleague)
