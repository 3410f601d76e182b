"""Shared pieces of the portal app: the retrying task, the export rows, the policies' verbs."""

import datetime as dt
from smtplib import SMTPException

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from portal import access, tasks
from portal.models import Invitation, InvitationImport, Notification, Organisation, User
from portal.selectors import export_rows
from tests.factories import InvitationFactory


@pytest.mark.parametrize(
    ("task", "retry_on", "max_retries"),
    [
        # As many tries as the outbox row allows (portal.notifications.MAX_ATTEMPTS).
        (tasks.notification_send_task, SMTPException, 8),
        (tasks.invitation_import_task, OperationalError, 5),
    ],
)
def test_retrying_tasks_are_acknowledged_late_and_back_off(task, retry_on, max_retries):
    assert task.acks_late is True
    assert retry_on in task.autoretry_for
    assert task.retry_backoff is True and task.retry_jitter is True
    assert task.max_retries == max_retries


def test_export_rows_read_dotted_attributes_and_write_times_as_iso():
    class Thing:
        def __init__(self, **values):
            self.__dict__.update(values)

    at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    things = [
        Thing(name="a", at=at, on=dt.date(2026, 3, 2), owner=Thing(name="b"), gone=None),
    ]
    rows = export_rows(things, label="name", when="at", day="on", owner="owner.name", gone="gone")
    assert rows == [
        {
            "label": "a",
            "when": "2026-03-02T09:30:00+00:00",
            "day": "2026-03-02",
            "owner": "b",
            "gone": None,
        }
    ]


def test_every_portal_policy_names_the_verbs_views_ask():
    verbs = {
        model: access._policy_for(model).verbs
        for model in (Organisation, User, Invitation, InvitationImport, Notification)
    }
    assert verbs == {
        Organisation: {"invite"},
        User: {"set_department"},
        Invitation: {"resend", "revoke"},
        InvitationImport: set(),
        Notification: {"resend"},
    }


@pytest.mark.django_db
def test_an_invitation_is_open_until_used_or_withdrawn():
    pending = InvitationFactory()
    expired = InvitationFactory(expires_at=timezone.now() - dt.timedelta(days=1))
    used = InvitationFactory(accepted_at=timezone.now())
    withdrawn = InvitationFactory(revoked_at=timezone.now())
    assert [i.is_open for i in (pending, expired, used, withdrawn)] == [True, True, False, False]


@pytest.mark.parametrize("state", InvitationImport.State.values)
def test_an_import_has_failed_only_in_the_failed_state(state):
    assert InvitationImport(state=state).has_failed is (state == InvitationImport.State.FAILED)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["resend_invitations", "revoke_invitations"])
def test_admin_bulk_actions_tell_each_refused_row_and_count_the_rest(client, beheerder, action):
    pending = InvitationFactory()
    used = InvitationFactory(accepted_at=timezone.now())
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:portal_invitation_changelist"),
        {"action": action, "_selected_action": [pending.pk, used.pk]},
        follow=True,
    )
    # The admin shows each message with a capital first letter.
    messages = response.content.decode().split("messagelist")[1].split("</ul>")[0].lower()
    assert f"{used.email}: deze uitnodiging is al gebruikt of ingetrokken." in messages
    assert pending.email not in messages
    assert "1 uitnodiging" in messages
