import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.models import Invitation, Role
from portal.services import invitation_create
from tests.concurrency import run_in_parallel
from tests.factories import TOTP_SECRET, InvitationFactory, UserFactory
from tests.helpers import page_query_count


@pytest.mark.django_db
def test_invitation_list_queries_do_not_grow_with_invitations(client, hr, utrecht):
    client.force_login(hr)
    InvitationFactory.create_batch(3, organisation=utrecht, invited_by=hr)
    few = page_query_count(client, reverse("portal:invitation-list"))
    InvitationFactory.create_batch(27, organisation=utrecht, invited_by=hr)
    many = page_query_count(client, reverse("portal:invitation-list"))
    assert many == few


@pytest.mark.django_db
def test_invitation_list_shows_fifty_per_page_with_a_labelled_dutch_page_nav(client, hr, utrecht):
    client.force_login(hr)
    InvitationFactory.create_batch(120, organisation=utrecht, invited_by=hr)
    url = reverse("portal:invitation-list")
    first = client.get(url).content.decode()
    assert first.count("Opnieuw versturen") == 50
    assert 'aria-label="Pagina\'s met uitnodigingen"' in first
    assert "Rijen 1 tot 50 van 120" in first
    assert 'href="?page=2"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count("Opnieuw versturen") == 20
    assert '<a class="page-link" href="?page=3" aria-current="page">' in last
    assert page_query_count(client, url + "?page=3") == page_query_count(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "status"),
    [("abc", 200), ("1.5", 200), ("", 200), ("2", 200), ("0", 404), ("-1", 404), ("3", 404)]
    + [("9" * 30, 404)],
)
def test_invitation_list_answers_a_bad_page_number_with_page_one_or_404(
    client, hr, utrecht, page, status
):
    client.force_login(hr)
    InvitationFactory.create_batch(60, organisation=utrecht, invited_by=hr)
    response = client.get(reverse("portal:invitation-list"), {"page": page})
    assert response.status_code == status
    if status == 200 and page != "2":
        assert "Rijen 1 tot 50 van 60" in response.content.decode()


@pytest.mark.django_db
def test_beheerder_invitation_list_queries_do_not_grow_with_organisations(
    client, beheerder, utrecht
):
    client.force_login(beheerder)
    InvitationFactory.create_batch(3)
    few = page_query_count(client, reverse("portal:invitation-list"))
    InvitationFactory.create_batch(27)  # each in its own organisation
    many = page_query_count(client, reverse("portal:invitation-list"))
    assert many == few


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "portal:profile", "portal:profile-export"])
def test_personal_pages_keep_their_query_count(client, participant, name):
    client.force_login(participant)
    few = page_query_count(client, reverse(name))
    for _ in range(10):
        InvitationFactory(organisation=participant.organisation)
        UserFactory(organisation=participant.organisation)
    assert page_query_count(client, reverse(name)) == few


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees", "does_not_see"),
    [
        ("participant", ["Startpagina"], ["Uitnodigingen", "Beheer"]),
        ("trainer", ["Startpagina"], ["Uitnodigingen", "Beheer"]),
        ("hr", ["Startpagina", "Uitnodigingen"], ["Beheer"]),
        ("beheerder", ["Startpagina", "Uitnodigingen", "Beheer"], []),
    ],
)
def test_navigation_shows_each_role_its_own_entries(client, request, persona, sees, does_not_see):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("portal:home"))
    menu = [item["label"] for item in response.context["nav_items"]]
    for label in sees:
        assert label in menu
    for label in does_not_see:
        assert label not in menu


@pytest.mark.django_db
def test_language_switch_to_english(client, participant):
    client.force_login(participant)
    assert "Welkom" in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:home")).content.decode()
    assert "Welcome" in page
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_profile_edit_saves_and_rejects_bad_input_without_losing_data(client, participant):
    client.force_login(participant)
    url = reverse("portal:profile")
    response = client.post(
        url,
        {
            "first_name": "Sanne",
            "last_name": "Vos",
            "job_title": "Adviseur",
            "preferred_language": "nl",
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.last_name == "Vos"
    response = client.post(
        url, {"first_name": "", "last_name": "Vos", "job_title": "", "preferred_language": "xx"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit veld is verplicht" in page
    participant.refresh_from_db()
    assert participant.first_name == "Sanne"


@pytest.mark.django_db
def test_bad_url_parameters_give_404_not_500(client, hr):
    client.force_login(hr)
    assert client.post("/uitnodigingen/999999/intrekken/").status_code == 404
    assert client.get("/uitnodigingen/abc/intrekken/").status_code == 404
    assert client.get("/uitnodiging/" + "x" * 500 + "/").status_code == 404


@pytest.mark.django_db
def test_a_role_change_is_reflected_on_the_next_request(client, utrecht):
    user = UserFactory(organisation=utrecht, roles=[Role.DEELNEMER])
    client.force_login(user)
    assert client.get(reverse("portal:invitation-list")).status_code == 403
    from portal.services import user_set_roles

    user_set_roles(user=user, roles=[Role.DEELNEMER, Role.HR])
    # Now staff, the person first sets up a second factor; then the new role counts.
    assert client.get(reverse("portal:invitation-list"))["Location"] == reverse("mfa_activate_totp")
    TOTP.activate(user, TOTP_SECRET)
    assert client.get(reverse("portal:invitation-list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_invitations_of_one_address_create_one(hr, utrecht):
    def invite():
        invitation_create(
            email="dubbel@utrecht.example",
            first_name="D",
            last_name="B",
            organisation=utrecht,
            roles=[Role.DEELNEMER],
            invited_by=hr,
        )
        return "created"

    outcomes = [
        "refused" if isinstance(result, ValidationError) else result
        for result in run_in_parallel(invite, 10)
    ]
    assert sorted(outcomes) == ["created"] + ["refused"] * 9
    assert Invitation.objects.filter(email="dubbel@utrecht.example").count() == 1


@pytest.mark.django_db
def test_dutch_is_the_default_even_for_an_english_browser(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nl"' in page.content.decode()
    assert "Inloggen" in page.content.decode()


@pytest.mark.django_db
def test_profile_language_is_used_when_no_switch_was_made(client, utrecht):
    user = UserFactory(organisation=utrecht, preferred_language="en")
    client.force_login(user)
    assert "Welcome" in client.get(reverse("portal:home")).content.decode()
