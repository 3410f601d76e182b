"""Fixtures of the operations tests: a reminder kind of their own, a daytime clock, a
mail server that fails on demand."""

from pathlib import Path

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal import reminders
from portal.models import User

TEST_KIND = "ops_test_reminder"


@pytest.fixture
def daytime():
    """10:00 today in Europe/Amsterdam, the clock running: outside the quiet hours."""
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=0), tick=True):
        yield


@pytest.fixture
def ops_reminder(monkeypatch, settings):
    """A reminder kind for the tests, due for everyone in the returned list (once each),
    registered through ``register_reminder`` and gone again after the test."""
    monkeypatch.setattr(reminders, "_kinds", dict(reminders._kinds))
    template = settings.TEMPLATES[0]
    templates = Path(__file__).parent.parent / "templates"
    settings.TEMPLATES = [{**template, "DIRS": [*template["DIRS"], templates]}]
    recipients: list[User] = []

    @reminders.register_reminder(TEST_KIND, label="Testherinnering", essential=True)
    def due(now):
        user_type = ContentType.objects.get_for_model(User).pk
        for user in recipients:
            yield reminders.Due(
                recipient_id=user.pk,
                email=user.email,
                language=user.preferred_language,
                about_type_id=user_type,
                about_id=user.pk,
                occasion=now.strftime("%Y%m%d"),
            )

    return recipients


@pytest.fixture
def failing_smtp(settings):
    """The e-mail backend fails the next ``failing_smtp.failures`` sends, then delivers."""
    from tests.mail_backends import FlakyBackend

    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts, FlakyBackend.hold = 0, 0, None
    yield FlakyBackend
    FlakyBackend.failures, FlakyBackend.hold = 0, None
