"""Two factors for staff (portal.mfa, allauth.mfa): staff without one reach only its
setup, on every URL; a participant is never sent there; sign-in asks the code; a code
counts once, a recovery code once, wrong codes are limited like wrong passwords; staff
cannot remove their last factor; every change and every wrong code is in the audit trail.
"""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from portal import demo
from portal.mfa import OPEN_URL_NAMES, STAFF_ROLES
from portal.models import AuditEvent, Role
from tests.factories import PASSWORD, TOTP_SECRET, ProviderFactory, UserFactory, totp_code
from tests.helpers import messages_of
from tests.url_patterns import our_url_patterns, sample_url

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")
AUTHENTICATE = reverse("mfa_authenticate")
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Used codes and rate limits live in the cache; each test starts without them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client2():
    """A second browser."""
    return Client()


def _every_portal_url():
    """Each URL pattern of our apps, with sample arguments; /health/ answers the load
    balancer whoever asks."""
    found = [sample_url(pattern) for pattern in our_url_patterns()]
    return sorted(url for url in found if resolve(url).url_name not in OPEN_URL_NAMES)


PORTAL_URLS = _every_portal_url()


def _password_sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_a_second_factor_reach_only_its_setup_on_every_url(client, role):
    person = UserFactory(roles=[role], second_factor=False)
    client.force_login(person)
    assert len(PORTAL_URLS) > 60
    for url in [*PORTAL_URLS, reverse("admin:index"), "/accounts/sessions/"]:
        for method in (client.get, client.post):
            response = method(url)
            assert (response.status_code, response.get("Location")) == (302, SETUP), url
    # Setting it up asks for the password again first (allauth's reauthentication).
    assert client.get(SETUP)["Location"].startswith(REAUTHENTICATE)
    assert client.get(REAUTHENTICATE).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_a_participant_is_never_sent_to_the_setup(client):
    participant = UserFactory(roles=[Role.DEELNEMER])
    client.force_login(participant)
    for name in ("portal:home", "portal:profile", "portal:sessions", "mfa_index"):
        assert client.get(reverse(name)).status_code == 200, name
    response = _password_sign_in(client, participant.email)
    assert response["Location"] == reverse("portal:home")


def test_staff_sign_in_sets_up_totp_then_reaches_the_portal(
    client, django_capture_on_commit_callbacks
):
    trainer = UserFactory(roles=[Role.TRAINER], second_factor=False)
    response = _password_sign_in(client, trainer.email)
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home"))["Location"] == SETUP
    assert client.get(SETUP)["Location"].startswith(REAUTHENTICATE)
    confirmed = client.post(f"{REAUTHENTICATE}?next={SETUP}", {"password": PASSWORD})
    assert confirmed["Location"] == SETUP
    page = client.get(SETUP)
    secret = page.context["form"].secret
    assert secret in page.content.decode(), "the secret is shown for typing in"
    wrong = client.post(SETUP, {"code": "000000"})
    assert "Ongeldige code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=trainer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    added = AuditEvent.objects.get(action=AuditEvent.Action.MFA_CHANGED, detail="totp:added")
    assert (added.actor, added.object_id) == (trainer, str(trainer.pk))
    stored = str(list(AuditEvent.objects.values()))
    assert secret not in stored


def test_staff_with_totp_give_a_code_at_sign_in_and_a_code_counts_once(client, client2):
    hr = UserFactory(roles=[Role.HR])
    response = _password_sign_in(client, hr.email)
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session, "not signed in before the code"
    code = totp_code()
    response = client.post(AUTHENTICATE, {"code": code})
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200

    # The same code, seen on a shoulder or in a phished page, does not sign in again.
    assert _password_sign_in(client2, hr.email)["Location"] == AUTHENTICATE
    replayed = client2.post(AUTHENTICATE, {"code": code})
    assert replayed.status_code == 200
    assert "Ongeldige code." in replayed.content.decode()
    assert "_auth_user_id" not in client2.session
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert (failed.detail, failed.object_id) == ("mfa:totp", str(hr.pk))
    assert code not in str(list(AuditEvent.objects.values()))


def test_a_recovery_code_signs_in_once(client, client2):
    coach = UserFactory(roles=[Role.COACH])
    codes = RecoveryCodes.activate(coach).get_unused_codes()
    _password_sign_in(client, coach.email)
    assert client.post(AUTHENTICATE, {"code": codes[0]})["Location"] == reverse("portal:home")
    _password_sign_in(client2, coach.email)
    again = client2.post(AUTHENTICATE, {"code": codes[0]})
    assert "Ongeldige code." in again.content.decode()
    assert "_auth_user_id" not in client2.session
    assert client2.post(AUTHENTICATE, {"code": codes[1]}).status_code == 302


def test_wrong_codes_are_limited_per_account_like_wrong_passwords(client):
    beheerder = UserFactory(roles=[Role.BEHEERDER])
    _password_sign_in(client, beheerder.email)
    for _attempt in range(5):
        response = client.post(AUTHENTICATE, {"code": "123456"})
        assert "Ongeldige code." in response.content.decode()
    response = client.post(AUTHENTICATE, {"code": totp_code()})
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_cannot_remove_their_last_second_factor(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    _password_sign_in(client, trainer.email)
    client.post(AUTHENTICATE, {"code": totp_code()})
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert "Medewerkers kunnen tweestapsverificatie niet uitschakelen" in response.content.decode()
    assert Authenticator.objects.filter(user=trainer, type=Authenticator.Type.TOTP).exists()


def test_a_participant_may_switch_their_second_factor_off_again(client):
    participant = UserFactory(roles=[Role.DEELNEMER], second_factor=True)
    _password_sign_in(client, participant.email)
    client.post(AUTHENTICATE, {"code": totp_code()})
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert response.status_code == 200, messages_of(response)
    assert not Authenticator.objects.filter(user=participant).exists()
    removed = AuditEvent.objects.get(action=AuditEvent.Action.MFA_CHANGED)
    assert removed.detail == "totp:removed"


def test_a_session_signed_in_with_two_factors_asks_the_database_nothing_for_it(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    _password_sign_in(client, trainer.email)
    client.post(AUTHENTICATE, {"code": totp_code()})
    assert client.session["portal_two_factor"] == {"via": "mfa"}

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("portal:profile"))
    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_the_factories_give_staff_the_known_secret():
    trainer = UserFactory(roles=[Role.TRAINER])
    totp = TOTP(Authenticator.objects.get(user=trainer))
    assert totp.validate_code(totp_code(TOTP_SECRET))


def test_demo_staff_sign_in_with_the_code_demo_code_prints(client):
    provider = ProviderFactory()
    trainer = demo.ensure_person(
        "trainer.mfa@demo.example", "Tim", "Demo", provider, "Trainer", roles=[Role.TRAINER]
    )
    assert RecoveryCodes(
        Authenticator.objects.get(user=trainer, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes(), "demo staff also have recovery codes"
    output = StringIO()
    call_command("demo_code", trainer.email, stdout=output, stderr=StringIO())
    code = output.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post(reverse("account_login"), {"login": trainer.email, "password": demo.DEMO_PASSWORD})
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == reverse("portal:home")


def test_demo_code_refuses_anyone_but_demo_staff_with_the_demo_secret():
    real = UserFactory(email="trainer@gemeente.nl", roles=[Role.TRAINER])
    own_app = UserFactory(email="eigen.app@demo.example", roles=[Role.COACH])
    participant = UserFactory(email="deelnemer.x@demo.example")
    for person, says in [
        (real, "no demo account"),
        (own_app, "its own authenticator"),
        (participant, "no demo account"),
    ]:
        with pytest.raises(CommandError, match=says):
            call_command("demo_code", person.email, stdout=StringIO())


def test_wrong_codes_from_one_address_are_limited_across_accounts(settings):
    """Someone trying codes for many accounts from one address: 50 in 5 minutes."""
    people = UserFactory.create_batch(11, roles=[Role.HR])
    for person in people[:10]:
        client = Client()
        _password_sign_in(client, person.email)
        for _attempt in range(5):
            client.post(AUTHENTICATE, {"code": "654321"})
    # Wrong codes count as failed sign-ins of the address: the next person from it is
    # stopped at the password already, and no code gets them further.
    last = Client()
    response = _password_sign_in(last, people[10].email)
    assert "Te veel inlogpogingen" in response.content.decode()
    assert last.post(AUTHENTICATE, {"code": totp_code()})["Location"] == reverse("account_login")
    assert "_auth_user_id" not in last.session


def test_the_programme_office_has_someone_set_up_their_second_factor_again(client, client2):
    """A lost phone: the admin action removes the factors and ends the sessions; at the
    next sign-in the person sets up a new factor before anything else."""
    beheerder = UserFactory(organisation=ProviderFactory(), roles=[Role.BEHEERDER])
    trainer = UserFactory(roles=[Role.TRAINER])
    RecoveryCodes.activate(trainer)
    _password_sign_in(client2, trainer.email)
    client2.post(AUTHENTICATE, {"code": totp_code()})
    assert client2.get(reverse("portal:home")).status_code == 200

    client.force_login(beheerder)
    response = client.post(
        reverse("admin:portal_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [trainer.pk]},
        follow=True,
    )
    assert "stelt bij de volgende keer inloggen opnieuw tweestapsverificatie in" in (
        response.content.decode()
    )
    assert not Authenticator.objects.filter(user=trainer).exists()
    assert client2.get(reverse("portal:home"))["Location"].startswith(reverse("account_login"))
    reset = AuditEvent.objects.get(action=AuditEvent.Action.MFA_CHANGED)
    assert (reset.actor, reset.object_id, reset.detail) == (
        beheerder,
        str(trainer.pk),
        "reset:recovery_codes,totp",
    )
    assert _password_sign_in(client2, trainer.email)["Location"] == reverse("portal:home")
    assert client2.get(reverse("portal:home"))["Location"] == SETUP


def test_the_code_of_the_step_just_ended_still_signs_in_once(client, client2):
    """Typed at the end of its 30 seconds, arriving in the next: accepted (one step of
    tolerance), and then refused like any used code."""
    trainer = UserFactory(roles=[Role.TRAINER])
    start = datetime(2026, 12, 7, 9, 0, 29, tzinfo=UTC)
    typed = totp_code(at=start)
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        _password_sign_in(client, trainer.email)
        assert client.post(AUTHENTICATE, {"code": typed})["Location"] == reverse("portal:home")
        _password_sign_in(client2, trainer.email)
        assert "Ongeldige code." in client2.post(AUTHENTICATE, {"code": typed}).content.decode()
    with time_machine.travel(start + timedelta(seconds=62), tick=False):
        _password_sign_in(client2, trainer.email)
        stale = client2.post(AUTHENTICATE, {"code": totp_code(at=start + timedelta(seconds=1))})
        assert "Ongeldige code." in stale.content.decode(), "two steps old: refused"
