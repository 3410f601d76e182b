"""The audit trail: what it records of signing in and out and of role changes, that it
holds no secret, that nothing but the purge removes a record, and the purge itself."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from portal import audit
from portal.models import AuditEvent, AuditSubject, Role, UserRole
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _audit_lines(caplog) -> list[dict]:
    """The audit records as the log writes them: one JSON object a line."""
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "portal.audit"
    ]


def test_a_sign_in_and_out_are_recorded_with_who_and_from_where(client, caplog):
    person = UserFactory()
    caplog.set_level(logging.INFO, logger="portal.audit")
    _login(client, person.email)
    client.post(reverse("account_logout"))
    signed_in, signed_out = AuditEvent.objects.exclude(action=Action.ROLE_CHANGED).order_by("pk")
    assert (signed_in.action, signed_in.actor, signed_in.outcome) == (
        Action.SIGN_IN,
        person,
        AuditEvent.Outcome.SUCCESS,
    )
    assert signed_in.ip_address == "127.0.0.1"
    assert (signed_out.action, signed_out.actor) == (Action.SIGN_OUT, person)
    lines = [line for line in _audit_lines(caplog) if line["audit"]["action"] != "role_changed"]
    assert [line["audit"]["action"] for line in lines] == ["sign_in", "sign_out"]
    assert lines[0]["audit"]["actor"] == person.pk and lines[0]["audit"]["ip"] == "127.0.0.1"


def test_a_failed_sign_in_names_the_account_and_keeps_no_password(client, caplog):
    person = UserFactory()
    caplog.set_level(logging.INFO, logger="portal.audit")
    _login(client, person.email, "Verkeerd-Wachtwoord-481")
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (failed.action, failed.outcome, failed.actor) == (
        Action.SIGN_IN_FAILED,
        AuditEvent.Outcome.REFUSED,
        None,
    )
    assert failed.object_id == str(person.pk)
    assert list(failed.subjects.values_list("person_id", flat=True)) == [person.pk]
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    logged = json.dumps(_audit_lines(caplog))
    for secret in ("Verkeerd-Wachtwoord-481", PASSWORD):
        assert secret not in stored and secret not in logged
    # The person sees the attempt on their account among what is recorded about them.
    assert failed in audit.about(person)


def test_what_was_typed_for_an_unknown_account_is_not_kept(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    _login(client, "onbekend.persoon93@example.org", "x")
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (failed.actor, failed.object_id, failed.detail) == (None, "", "")
    assert not failed.subjects.exists()
    assert "onbekend.persoon93" not in json.dumps(_audit_lines(caplog))


def test_a_role_granted_and_taken_away_is_recorded(utrecht):
    person = UserFactory(organisation=utrecht)
    role = UserRole.objects.create(user=person, role=Role.HR)
    role.delete()
    details = list(
        AuditEvent.objects.filter(action=Action.ROLE_CHANGED)
        .order_by("pk")
        .values_list("detail", "object_id")
    )
    assert details[-2:] == [(f"+{Role.HR}", str(person.pk)), (f"-{Role.HR}", str(person.pk))]


def test_the_database_refuses_to_change_or_remove_a_record():
    event = audit.record(Action.EXPORT, detail="mensen.xlsx")
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    for sql in (
        "UPDATE portal_auditevent SET detail = 'anders' WHERE id = %s",
        "DELETE FROM portal_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get().detail == "mensen.xlsx"


def test_the_purge_removes_only_what_is_past_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 730
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        person = UserFactory()  # its role granted is recorded now too
        old = audit.record(Action.PERSONAL_DATA_READ, subjects=[person.pk])
    with time_machine.travel(start + timedelta(days=400), tick=False):
        recent = audit.record(Action.PERSONAL_DATA_READ, subjects=[person.pk])
    with time_machine.travel(start + timedelta(days=729), tick=False):
        assert audit.purge() == 0
    with time_machine.travel(start + timedelta(days=731), tick=False):
        assert audit.purge() == 2  # the read and the role
        assert audit.purge() == 0  # again: nothing more
    assert list(AuditEvent.objects.all()) == [recent]
    assert list(AuditSubject.objects.values_list("event_id", flat=True)) == [recent.pk]
    assert old.pk not in AuditSubject.objects.values_list("event_id", flat=True)
    # Outside the purge the database still refuses a delete.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_auditevent")


def test_the_purge_runs_as_a_task():
    from portal.tasks import audit_purge_task

    audit.record(Action.EXPORT)
    assert audit_purge_task.delay().get() == 0
