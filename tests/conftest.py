"""Personas, as in DOMAIN.md: one per role, and outsiders from another organisation."""

import pytest

from tests.factories import PERSONAS, make_organisation, make_persona
from tests.helpers import rolled_back_at_end


@pytest.fixture
def utrecht(db):
    return make_organisation("utrecht")


@pytest.fixture
def nijmegen(db):
    return make_organisation("nijmegen")


@pytest.fixture
def provider(db):
    return make_organisation("provider")


def _persona_fixture(name):
    """A fixture named after the persona, on top of its organisation's fixture."""

    @pytest.fixture(name=name)
    def persona(request):
        return make_persona(name, request.getfixturevalue(PERSONAS[name].organisation))

    return persona


# One fixture per persona: participant, hr, trainer, coach, beheerder, outsider, outsider_hr.
for _name in PERSONAS:
    globals()[f"_{_name}_fixture"] = _persona_fixture(_name)


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

    Tests that use it need ``django_db`` without ``transaction=True``; see
    ``rolled_back_at_end`` for how the tests stay apart.
    """
    import io

    from django.core.management import call_command

    with rolled_back_at_end(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("demo", stdout=io.StringIO())
        yield
