"""`manage.py demo --reset` rebuilds a stale demo relative to today, and never touches a
database that holds real people."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from leergang.demo import RUNNING_COHORT
from leergang.models import Cohort
from portal.demo import PARTICIPANT_EMAIL, ensure_person
from portal.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_flushed_content_types():
    # The reset flushes and recreates the content types; the test's rollback brings the
    # old rows back, so the cached new ones must not reach the next test.
    yield
    ContentType.objects.clear_cache()


def _running_cohort() -> Cohort:
    slug, name = RUNNING_COHORT
    return Cohort.objects.get(leergang__slug=slug, name=name)


def _settle_constraints():
    # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still pending in the
    # transaction; `manage.py demo --reset` starts a fresh one, the test has to check them.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_reset_refuses_a_database_with_people_outside_the_demo():
    organisation = Organisation.objects.create(name="Gemeente Utrecht", slug="gemeente-utrecht")
    ensure_person(PARTICIPANT_EMAIL, "Sanne", "de Vries", organisation, "Beleidsadviseur")
    User.objects.create_user(email="j.jansen@utrecht.nl", first_name="Jan", last_name="Jansen")

    with pytest.raises(CommandError, match="1 account"):
        call_command("demo", reset=True, stdout=io.StringIO())

    assert User.objects.count() == 2
    assert not Cohort.objects.exists()


def test_reset_rebuilds_a_stale_demo_relative_to_today():
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        call_command("demo", stdout=io.StringIO())
    stale = _running_cohort()
    assert stale.ends_on < timezone.localdate()  # "running", months ago
    people, cohorts = User.objects.count(), Cohort.objects.count()

    _settle_constraints()
    call_command("demo", reset=True, stdout=io.StringIO())

    running = _running_cohort()
    assert running.starts_on < timezone.localdate() < running.ends_on
    assert Cohort.objects.count() == cohorts  # built anew, not added to the stale demo
    assert User.objects.count() == people
    assert User.objects.get(email="deelnemer@demo.example").check_password("leergang-demo")
