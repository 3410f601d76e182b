"""Personas, as in DOMAIN.md: one per role, and outsiders from another organisation."""

import pytest

from portal.models import Role
from tests.factories import OrganisationFactory, ProviderFactory, UserFactory


@pytest.fixture
def utrecht(db):
    return OrganisationFactory(name="Gemeente Utrecht", slug="gemeente-utrecht")


@pytest.fixture
def nijmegen(db):
    return OrganisationFactory(name="Gemeente Nijmegen", slug="gemeente-nijmegen")


@pytest.fixture
def provider(db):
    return ProviderFactory()


@pytest.fixture
def participant(utrecht):
    return UserFactory(
        email="deelnemer@utrecht.example", organisation=utrecht, roles=[Role.DEELNEMER]
    )


@pytest.fixture
def hr(utrecht):
    return UserFactory(email="hr@utrecht.example", organisation=utrecht, roles=[Role.HR])


@pytest.fixture
def trainer(provider):
    return UserFactory(
        email="trainer@academie.example", organisation=provider, roles=[Role.TRAINER]
    )


@pytest.fixture
def coach(provider):
    return UserFactory(email="coach@academie.example", organisation=provider, roles=[Role.COACH])


@pytest.fixture
def beheerder(provider):
    return UserFactory(
        email="beheerder@academie.example", organisation=provider, roles=[Role.BEHEERDER]
    )


@pytest.fixture
def outsider(nijmegen):
    """A participant of another organisation."""
    return UserFactory(
        email="deelnemer@nijmegen.example", organisation=nijmegen, roles=[Role.DEELNEMER]
    )


@pytest.fixture
def outsider_hr(nijmegen):
    """HR of another organisation: sees its own people, never Utrecht's."""
    return UserFactory(email="hr@nijmegen.example", organisation=nijmegen, roles=[Role.HR])


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Clock:
    """``timezone.now`` under the test's control (``timezone.localdate`` follows it)."""

    def __init__(self, monkeypatch):
        from django.utils import timezone

        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def travel(self, **delta):
        import datetime

        self.now += datetime.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for a whole test module instead of once per test.

    It is loaded inside a transaction that stays open for the module and is rolled back
    at its end (as Django's ``TestCase.setUpTestData`` does), so each test still runs in
    its own savepoint on top of it and nothing leaks into the next module. Tests that
    use it need ``django_db`` without ``transaction=True``.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)
