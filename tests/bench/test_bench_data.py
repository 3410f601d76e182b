"""`manage.py bench_data` makes consistent data quickly, and the bench's reference pages
answer (the full `make bench` is not run here: it takes a quarter of an hour)."""

import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench import data
from coaching.models import Trajectory
from evaluations.models import Answer
from intervisie.models import Membership, SessionAttendance
from leergang.models import (
    SEAT_CLAIMING_STATES,
    SEAT_STATES,
    Attendance,
    Cohort,
    Enrolment,
    Reflection,
)
from portal.models import Notification, Organisation, Role, User
from tests import factories

pytestmark = pytest.mark.django_db

SCALE = 0.05


@pytest.fixture
def generated():
    started = time.monotonic()
    counts = data.generate(SCALE)
    return counts, time.monotonic() - started


def test_sizes_are_as_asked_per_organisation(generated):
    counts, seconds = generated
    sizes = data.Sizes.at_scale(SCALE)
    assert seconds < 30
    assert counts["participants"] == sizes.participants
    assert counts["cohorts"] == sizes.cohorts
    assert Organisation.objects.exclude(kind="opleider").count() == sizes.organisations
    big = Organisation.objects.get(name=data.BIG_MUNICIPALITY)
    big_people = User.objects.with_role(Role.DEELNEMER).filter(organisation=big)
    assert big_people.count() == sizes.big_municipality
    # Everyone has an enrolment; all of the big municipality's people are in a cohort.
    participants = User.objects.with_role(Role.DEELNEMER)
    assert not participants.filter(enrolments=None).exists()
    assert not big_people.filter(enrolments=None).exists()
    seated = big_people.filter(enrolments__state__in=SEAT_STATES).distinct().count()
    assert seated >= 0.9 * sizes.big_municipality
    for name in ("attendance", "reflections", "intervisie sessions", "coaching sessions"):
        assert counts[name] > 0, name
    assert counts["evaluation answers"] > 0


def test_enrolments_keep_the_services_invariants(generated):
    today = timezone.localdate()
    cohorts = Cohort.objects.annotate(
        held=Count("enrolments", filter=Q(enrolments__state__in=SEAT_CLAIMING_STATES)),
        offered=Count("enrolments", filter=Q(enrolments__state="offered")),
        waiting=Count("enrolments", filter=Q(enrolments__state="waitlisted")),
        requested=Count("enrolments", filter=Q(enrolments__state="requested")),
    )
    states = set(Enrolment.objects.values_list("state", flat=True))
    assert states == set(Enrolment.State.values)
    for cohort in cohorts:
        assert cohort.held <= cohort.seats
        assert not cohort.waiting or cohort.held == cohort.seats  # a list only when full
        assert not cohort.requested or cohort.requires_approval
        assert not cohort.offered or cohort.waitlist_mode == "offer"
    for enrolment in Enrolment.objects.filter(state="completed").select_related("cohort"):
        assert enrolment.completed_at and enrolment.certificate_code
        assert enrolment.cohort.ends_on < today
        assert enrolment.attendance.meets(enrolment.cohort.min_attendance_percent)
        assert enrolment.reflections.exclude(submitted_at=None).count() == (
            enrolment.cohort.leergang.module_links.count()
        )
    assert not Enrolment.objects.filter(state="waitlisted", waitlisted_at=None).exists()
    assert not Enrolment.objects.filter(state="offered", offer_expires_at=None).exists()
    # Op maat: only the organisation's own people.
    assert (
        not Enrolment.objects.exclude(cohort__organisation=None)
        .exclude(participant__organisation=F("cohort__organisation"))
        .exists()
    )


def test_history_belongs_to_seats_and_held_bijeenkomsten(generated):
    now = timezone.now()
    assert not Attendance.objects.exclude(enrolment__state__in=SEAT_STATES).exists()
    assert not Attendance.objects.filter(bijeenkomst__starts_at__gt=now).exists()
    assert not Attendance.objects.exclude(bijeenkomst__cohort=F("enrolment__cohort")).exists()
    assert not Reflection.objects.exclude(enrolment__state__in=SEAT_STATES).exists()
    assert not Membership.objects.exclude(group__cohort=F("enrolment__cohort")).exists()
    assert not SessionAttendance.objects.filter(session__starts_at__gt=now).exists()
    assert Answer.objects.exclude(organisation=None).count() == Answer.objects.count()


def test_the_people_the_bench_signs_in_as_have_their_own_data(generated):
    people = {role: User.objects.get(email=email) for role, email in data.LOGINS.items()}
    for role, user in people.items():
        assert user.has_role(role)
        assert user.has_usable_password()
    participant = people[Role.DEELNEMER]
    assert set(participant.enrolments.values_list("state", flat=True)) >= {"completed", "enrolled"}
    assert participant.organisation.name == data.BIG_MUNICIPALITY
    assert people[Role.HR].organisation == participant.organisation
    assert Cohort.objects.filter(trainers=people[Role.TRAINER]).count() >= 2
    assert Trajectory.objects.filter(coach=people[Role.COACH]).exists()


def test_no_mail_and_no_outbox_rows(generated):
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_refuses_a_database_with_other_people(participant):
    with pytest.raises(data.DatabaseHoldsOthers):
        data.generate(SCALE)
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_data", scale=SCALE)
    assert User.objects.filter(email__endswith="@" + data.EMAIL_DOMAIN).count() == 0


def test_the_command_reports_what_it_made(capsys):
    call_command("bench_data", scale=SCALE)
    assert User.objects.with_role(Role.DEELNEMER).count() == data.Sizes.at_scale(SCALE).participants
    assert "Bench data at scale 0.05" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["bench-reference-list", "bench-reference-aggregate"])
def test_reference_pages_answer_only_in_the_bench_urlconf(client, settings, participant, name):
    with pytest.raises(NoReverseMatch):
        reverse(name)
    settings.ROOT_URLCONF = "bench.urls"
    factories.CohortFactory(bijeenkomsten=2, participants=3)
    client.force_login(participant)
    url = reverse(name)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        factories.CohortFactory(bijeenkomsten=2, participants=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    client.logout()
    assert client.get(url).status_code == 302
