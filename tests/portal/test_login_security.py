"""Signing in: with Redis down, behind the proxy, and through the admin's address."""

import socket
import subprocess

import pytest
import redis
from allauth.core.internal.ratelimit import parse_rates
from django.core import mail
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

import portal.cache
from portal.cache import FALLBACK_TABLE
from portal.models import Role
from tests.factories import PASSWORD, UserFactory, totp_code
from tests.helpers import give_code

pytestmark = pytest.mark.django_db

OFFICE = "145.12.1.10"  # the address Gemeente Utrecht's network shows the world
ELSEWHERE = "31.20.4.77"
TOO_MANY = "Te veel inlogpogingen"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The test cache lives as long as the process: keep our counts out of other tests."""
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password=PASSWORD, *, address=None, path=None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return client.post(
        path or reverse("account_login"), {"login": email, "password": password}, **extra
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _ip_limit(action: str) -> int:
    from django.conf import settings

    (rate,) = [r for r in parse_rates(settings.ACCOUNT_RATE_LIMITS[action]) if r.per == "ip"]
    return rate.amount


# --- Redis down ---------------------------------------------------------------------


class OwnRedis:
    """A redis-server of this test's own, on a free port, that the test may stop."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Its log says when it listens: no polling, no sleeping.
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                break
        else:
            raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.process = None

    def keys(self, pattern):
        return redis.Redis(port=self.port).keys(pattern)


@pytest.fixture
def own_redis(settings, monkeypatch):
    server = OwnRedis()
    server.start()
    monkeypatch.setattr(portal.cache, "_redis_down_until", {})
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisWithFallbackCache",
            "LOCATION": server.url,
            "OPTIONS": {
                "fallback": "fallback",
                "retry_after": 30,
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
            },
        },
        "fallback": settings.CACHES["fallback"],
    }
    yield server
    if server.process is not None:
        server.stop()


def test_login_and_password_reset_keep_working_when_redis_goes_down(
    client, participant, own_redis, caplog
):
    assert _login(client, participant.email).status_code == 302
    assert _signed_in(client)
    assert own_redis.keys("*allauth:rl*"), "the rate limits were kept in Redis while it ran"
    client.logout()

    own_redis.stop()

    response = _login(client, participant.email)
    assert response.status_code == 302
    assert _signed_in(client)
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": participant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Redis cache unavailable" in caplog.text


def test_failed_login_limit_holds_in_the_database_while_redis_is_down(
    client, participant, own_redis
):
    own_redis.stop()
    for _attempt in range(5):
        assert _login(client, participant.email, "fout").status_code == 200
    response = _login(client, participant.email)
    assert not _signed_in(client)
    assert TOO_MANY in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FALLBACK_TABLE}")
        assert cursor.fetchone()[0] > 0


def test_redis_is_tried_again_once_the_retry_window_has_passed(own_redis, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(portal.cache.time, "monotonic", lambda: clock[0])
    own_redis.stop()
    cache.set("greeting", "from the database")
    own_redis.start()
    clock[0] += 29
    assert cache.get("greeting") == "from the database", "within the window: no Redis"
    clock[0] += 2
    assert cache.get("greeting") is None, "after the window: Redis again (empty)"
    cache.set("greeting", "from redis")
    assert own_redis.keys("*greeting")
    assert caches["fallback"].get("greeting") == "from the database"


def test_sessions_do_not_live_in_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


# --- Behind the proxy: per account strictly, per address generously ----------------


def test_typos_of_one_person_do_not_lock_out_a_colleague_behind_the_same_address(
    client, settings, participant, utrecht
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    colleague = UserFactory(organisation=utrecht)
    for _attempt in range(5):
        _login(client, participant.email, "fout", address=OFFICE)
    response = _login(client, participant.email, address=OFFICE)
    assert not _signed_in(client), "five typos lock that account"
    assert TOO_MANY in response.content.decode()

    other = Client()
    assert _login(other, colleague.email, address=OFFICE).status_code == 302
    assert _signed_in(other)


def test_a_classroom_of_forty_signs_in_from_one_address_within_a_minute(settings, utrecht):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for person in UserFactory.create_batch(40, organisation=utrecht):
        browser = Client()
        response = _login(browser, person.email, address=OFFICE)
        assert response.status_code == 302, person.email
        assert _signed_in(browser)


def test_forwarded_addresses_are_counted_apart_behind_one_trusted_proxy(
    client, settings, participant
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for attempt in range(_ip_limit("login_failed")):
        _login(attacker, f"gok{attempt // 5}@voorbeeld.example", "fout", address=ELSEWHERE)
    # A forged first entry does not help: the proxy appends the real address last.
    response = _login(attacker, participant.email, address=f"{OFFICE}, {ELSEWHERE}")
    assert not _signed_in(attacker)
    assert TOO_MANY in response.content.decode()

    assert _login(client, participant.email, address=OFFICE).status_code == 302
    assert _signed_in(client)


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, settings, participant):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for attempt in range(_ip_limit("login_failed")):
        _login(client, f"gok{attempt // 5}@voorbeeld.example", "fout", address=f"10.0.0.{attempt}")
    _login(client, participant.email, address=OFFICE)
    assert not _signed_in(client)


def test_a_forwarded_header_shorter_than_the_proxy_count_is_no_error(client, settings, participant):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert _login(client, participant.email, address=OFFICE).status_code == 302
    assert _signed_in(client)


# --- The admin signs in through the portal's login -------------------------------


def test_admin_login_sends_to_the_portal_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fbeheer%2F"


@pytest.mark.parametrize(
    ("asked", "kept"),
    [("/beheer/portal/user/", "/beheer/portal/user/"), ("https://elders.example/", "/beheer/")],
)
def test_admin_login_keeps_a_local_next_and_drops_a_foreign_one(client, asked, kept):
    response = client.get(reverse("admin:login"), {"next": asked})
    assert response["Location"] == f"{reverse('account_login')}?{urlencode({'next': kept})}"


@pytest.mark.parametrize("asked", ["0001-01-01", "portal:home", "beheer/portal/user/"])
def test_admin_login_sends_staff_with_a_next_that_is_no_path_to_the_admin(client, beheerder, asked):
    # A bare word was taken for a URL name by redirect(): a 500 (found by the hostile fuzz).
    client.force_login(beheerder)
    response = client.get(reverse("admin:login"), {"next": asked})
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_ten_wrong_passwords_then_the_right_one_are_refused_at_the_only_login(client, beheerder):
    admin_login = reverse("admin:login")
    for _attempt in range(10):
        client.post(admin_login, {"username": beheerder.email, "password": "fout"})
        _login(client, beheerder.email, "fout")
    response = client.post(admin_login, {"username": beheerder.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("account_login"))
    assert not _signed_in(client), "the admin's address signs nobody in"
    response = _login(client, beheerder.email)
    assert not _signed_in(client)
    assert TOO_MANY in response.content.decode()


def test_beheerder_reaches_the_admin_through_the_portal_login(client, beheerder):
    response = client.get(reverse("admin:index"), follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = give_code(client, beheerder, _login(client, beheerder.email, path=login_url))
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_signed_in_person_without_admin_access_gets_403_not_a_loop(client, hr):
    client.force_login(hr)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


@pytest.mark.parametrize(
    ("settings_module", "environment", "expected"),
    [
        ("portal.settings.base", {}, 0),
        ("portal.settings.base", {"TRUSTED_PROXY_COUNT": "2"}, 2),
        ("portal.settings.production", {}, 1),
        ("portal.settings.production", {"TRUSTED_PROXY_COUNT": "0"}, 0),
    ],
)
def test_trusted_proxy_count_comes_from_the_environment(settings_module, environment, expected):
    import os
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TRUSTED_PROXY_COUNT", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "leerportaal.example", **environment}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip() == str(expected)


def test_mfa_code_limit_and_replay_hold_while_redis_is_down(client, own_redis, utrecht):
    """Wrong codes and used codes are kept in the database cache while Redis is away."""
    own_redis.stop()
    hr, colleague = (UserFactory(organisation=utrecht, roles=[Role.HR]) for _ in range(2))
    _login(client, hr.email)
    for _attempt in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "123456"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert TOO_MANY in response.content.decode()
    assert not _signed_in(client)

    first, second = Client(), Client()
    code = totp_code()
    _login(first, colleague.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    _login(second, colleague.email)
    replayed = second.post(reverse("mfa_authenticate"), {"code": code})
    assert "Ongeldige code." in replayed.content.decode()
    assert not _signed_in(second)
