"""Small helpers the test modules share (fixtures live in the conftest files)."""

import contextlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone


@contextlib.contextmanager
def rolled_back_at_end(django_db_blocker):
    """A transaction around what a module-scoped fixture builds, rolled back at its end.

    As Django's ``TestCase.setUpTestData`` does: what is built inside stays for the whole
    module, each test still runs in its own savepoint on top of it (``django_db`` without
    ``transaction=True``), and nothing leaks into the next module. Objects kept from the
    block are shared by the tests: hand each test a copy (``copy.deepcopy``) or re-fetch.
    """
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


def messages_of(response):
    """The flash messages a response set, as one text."""
    from django.contrib.messages import get_messages

    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def post_twice(client, url, data, capture_on_commit):
    """The same form sent twice (a double click), work queued on commit run after each.

    ``capture_on_commit`` is pytest-django's ``django_capture_on_commit_callbacks``.
    """
    with capture_on_commit(execute=True):
        return client.post(url, data), client.post(url, data)


def redirect_of_both(first, second):
    """Where two responses both redirect to (they must agree)."""
    assert first["Location"] == second["Location"]
    return first["Location"]


def admin_cohort_form(leergang, *, name, ends_in_days, bijeenkomsten="0"):
    """The admin's add-cohort form as the browser sends it, starting today; ``bijeenkomsten``
    is the number of bijeenkomst rows the form claims to hold."""
    today = timezone.localdate()
    return {
        "leergang": leergang.pk,
        "name": name,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=ends_in_days)).isoformat(),
        "seats": 10,
        "cancellation_deadline": today.isoformat(),
        "min_attendance_percent": 80,
        "bijeenkomsten-TOTAL_FORMS": bijeenkomsten,
        "bijeenkomsten-INITIAL_FORMS": "0",
    }


def admin_trajectory_form(participant, coach):
    """The admin's add-trajectory form as the browser sends it, without state-change rows."""
    return {
        "participant": participant.pk,
        "coach": coach.pk,
        "agreed_sessions": 6,
        "funded_by": "programme",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }


def page_query_count(client, url, user=None):
    """How many database queries a page costs (signed in as ``user`` if given); it must
    answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def give_code(client, user, response):
    """After a password sign-in: allauth asks staff for their code; give the one of the
    moment (``unused_code``)."""
    from django.urls import reverse

    if response.status_code != 302 or response["Location"] != reverse("mfa_authenticate"):
        return response
    return client.post(reverse("mfa_authenticate"), {"code": unused_code(user)})


def unused_code(user) -> str:
    """The code of the moment of the person's own TOTP secret, first forgotten as used: the
    suite signs one person in many times within 30 seconds (the replay rule has its own
    test)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    from portal.mfa import totp_code

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    code = totp_code(decrypt(authenticator.data["secret"]))
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code
