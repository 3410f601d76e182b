"""Sessions (portal.sessions): a new key at sign-in, sign-out ends the session on the
server, a person sees their sessions and ends any of them, a password change ends the
others, and sessions end when idle (staff 30 minutes, participants a working day) or
too old (staff 12 hours), by a controllable clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent, Role
from portal.sessions import device
from tests.factories import PASSWORD, UserFactory
from tests.helpers import give_code, messages_of

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
HOME = reverse("portal:home")
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def browser(user_agent=FIREFOX):
    return Client(HTTP_USER_AGENT=user_agent)


def sign_in(client, person):
    response = client.post(LOGIN, {"login": person.email, "password": PASSWORD})
    return give_code(client, person, response)


def signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def test_sign_in_gives_a_new_session_key():
    person = UserFactory()
    client = browser()
    client.get(LOGIN)
    session = client.session
    session["planted"] = True  # a key an attacker could have planted before sign-in
    session.save()
    planted = session.session_key
    sign_in(client, person)
    assert client.session.session_key != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_sign_out_ends_the_session_on_the_server():
    person = UserFactory()
    client = browser()
    sign_in(client, person)
    key = client.session.session_key
    assert UserSession.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    # The old cookie, replayed by someone who copied it, signs nobody in.
    thief = browser()
    thief.cookies["sessionid"] = key
    assert thief.get(HOME)["Location"].startswith(LOGIN)


def test_a_person_sees_their_sessions_and_ends_another():
    person = UserFactory()
    laptop, phone = browser(FIREFOX), browser(IPHONE)
    sign_in(laptop, person)
    sign_in(phone, person)
    page = laptop.get(reverse("portal:sessions"))
    text = page.content.decode()
    assert "Firefox op Windows" in text and "Mobile Safari op iOS (iPhone)" in text
    assert text.count("Deze sessie") == 1
    lines = page.context["sessions"]
    assert [line.current for line in lines].count(True) == 1
    phone_line = next(line for line in lines if not line.current)

    response = laptop.post(reverse("portal:sessions"), {"session": phone_line.pk}, follow=True)
    assert "De sessie is beëindigd." in messages_of(response)
    assert not signed_in(phone)
    assert signed_in(laptop)
    assert len(laptop.get(reverse("portal:sessions")).context["sessions"]) == 1


def test_another_persons_session_is_no_choice():
    person, other = UserFactory(), UserFactory()
    mine, theirs = browser(), browser()
    sign_in(mine, person)
    sign_in(theirs, other)
    their_session = UserSession.objects.get(user=other)
    for value, message in [
        (their_session.pk, "Deze sessie is al beëindigd."),
        ("abc", "Deze sessie is al beëindigd."),
        ("9" * 30, "Deze sessie is al beëindigd."),
        ("", "Kies de sessie die je wilt beëindigen."),
    ]:
        response = mine.post(reverse("portal:sessions"), {"session": value})
        assert response.status_code == 400, value
        assert message in response.content.decode()
    assert signed_in(theirs)


def test_end_all_other_sessions_keeps_this_one():
    person = UserFactory()
    here, *elsewhere = browser(), browser(IPHONE), browser()
    for client in (here, *elsewhere):
        sign_in(client, person)
    response = here.post(reverse("portal:sessions"), {"all": "others"}, follow=True)
    assert "2 andere sessies zijn beëindigd." in messages_of(response)
    assert signed_in(here)
    assert not any(signed_in(client) for client in elsewhere)


def test_a_password_change_ends_the_other_sessions():
    person = UserFactory()
    here, there = browser(), browser(IPHONE)
    sign_in(here, person)
    sign_in(there, person)
    new_password = "een-nieuw-wachtwoord-77"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(there)
    lines = here.get(reverse("portal:sessions")).context["sessions"]
    assert [line.current for line in lines] == [True]


@pytest.mark.parametrize(
    ("role", "idle_ok", "idle_too_long"),
    [
        (Role.TRAINER, timedelta(minutes=29), timedelta(minutes=31)),
        (Role.HR, timedelta(minutes=29), timedelta(minutes=31)),
        (Role.DEELNEMER, timedelta(hours=8, minutes=59), timedelta(hours=9, minutes=1)),
    ],
)
def test_a_session_ends_when_idle_too_long(role, idle_ok, idle_too_long):
    person = UserFactory(roles=[role])
    client = browser()
    with time_machine.travel(MONDAY_9, tick=False) as clock:
        sign_in(client, person)
        clock.shift(idle_ok)
        assert signed_in(client), "still within the idle limit"
        clock.shift(idle_too_long)
        response = client.get(reverse("portal:profile"))
        assert response["Location"] == f"{LOGIN}?next=/profiel/"
        assert "een tijd niet hebt gebruikt" in messages_of(response)
        assert not signed_in(client)
    ended = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT).get()
    assert (ended.actor, ended.detail) == (person, "expired:idle")


def test_a_staff_session_ends_after_twelve_hours_however_busy():
    coach = UserFactory(roles=[Role.COACH])
    participant = UserFactory()
    staff_client, participant_client = browser(), browser()
    with time_machine.travel(MONDAY_9, tick=False) as clock:
        sign_in(staff_client, coach)
        sign_in(participant_client, participant)
        for _quarter in range(47):  # a request every quarter of an hour until 20:45
            clock.shift(timedelta(minutes=15))
            assert signed_in(staff_client)
            assert signed_in(participant_client)
        clock.shift(timedelta(minutes=16))  # 21:01
        response = staff_client.get(HOME)
        assert response["Location"].startswith(LOGIN)
        assert "maximale duur" in messages_of(response)
        assert signed_in(participant_client), "a participant has no absolute limit"


def test_last_seen_is_written_at_most_once_a_minute():
    person = UserFactory()
    client = browser()
    with time_machine.travel(MONDAY_9, tick=False) as clock:
        sign_in(client, person)
        row = UserSession.objects.get(user=person)
        clock.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as quiet:
            client.get(HOME)
        clock.shift(timedelta(seconds=31))
        with CaptureQueriesContext(connection) as noted:
            client.get(HOME)
        row.refresh_from_db()
    assert row.last_seen_at == MONDAY_9 + timedelta(seconds=61)

    def updates(queries):
        return sorted(
            table
            for table in ("django_session", "usersessions_usersession")
            for query in queries.captured_queries
            if query["sql"].startswith(f'UPDATE "{table}"')
        )

    assert updates(quiet) == []
    assert updates(noted) == ["django_session", "usersessions_usersession"]


def test_the_sessions_page_reads_the_same_number_of_queries_for_ten_sessions():
    person = UserFactory()
    first = browser()
    sign_in(first, person)
    url = reverse("portal:sessions")
    first.get(url)
    with CaptureQueriesContext(connection) as one:
        first.get(url)
    for _more in range(9):
        sign_in(browser(IPHONE), person)
    with CaptureQueriesContext(connection) as ten:
        page = first.get(url)
    assert len(page.context["sessions"]) == 10
    assert len(ten) == len(one)


def test_device_names_browser_and_system_and_admits_what_it_does_not_know():
    assert str(device(FIREFOX)) == "Firefox op Windows"
    assert str(device(IPHONE)) == "Mobile Safari op iOS (iPhone)"
    assert str(device("")) == "Onbekend apparaat"
