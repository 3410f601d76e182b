"""`python manage.py demo` fills the leergang app with a believable, consistent demo."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from leergang.models import (
    SEAT_STATES,
    Attendance,
    Cohort,
    Enrolment,
    Leergang,
    Reflection,
)
from leergang.services import completion_status
from portal.models import Notification, Organisation, User

pytestmark = pytest.mark.django_db

State = Enrolment.State


def _counts():
    models = [*apps.get_app_config("leergang").get_models(), User, Organisation]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_running_demo_twice_changes_nothing(demo):
    first = _counts()
    transitions = list(
        apps.get_model("leergang", "EnrolmentTransition")
        .objects.order_by("pk")
        .values_list("enrolment_id", "from_state", "to_state", "at")
    )
    states = dict(Enrolment.objects.values_list("pk", "state"))
    call_command("demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["leergang.Enrolment"] > 20
    assert dict(Enrolment.objects.values_list("pk", "state")) == states
    assert (
        list(
            apps.get_model("leergang", "EnrolmentTransition")
            .objects.order_by("pk")
            .values_list("enrolment_id", "from_state", "to_state", "at")
        )
        == transitions
    )
    assert "Leergangen:" in demo


def test_four_leergangen_with_ordered_modules(demo):
    leergangen = Leergang.objects.all()
    assert {leergang.title for leergang in leergangen} == {
        "Urban Professional",
        "Omgevingsprofessional",
        "Businessprofessional",
        "Professionaliseren van de beleidsfunctie",
    }
    core = {"insights", "terug-naar-de-bedoeling", "aanspreken-en-afspreken", "alliantiekunde"}
    for leergang in leergangen:
        links = list(leergang.module_links.select_related("module"))
        assert 3 <= len(links) <= 5
        assert [link.position for link in links] == list(range(1, len(links) + 1))
        assert core <= {link.module.slug for link in links}
        for link in links:
            module = link.module
            assert module.learning_goal_list() and module.reflection_assignment
            assert 1 <= module.materials.count() <= 3
            for material in module.materials.all():
                material.full_clean()


def test_one_tailored_cohort_for_utrecht_with_requests_for_hr(demo):
    tailored = Cohort.objects.filter(organisation__isnull=False)
    assert tailored.count() == 1
    cohort = tailored.get()
    assert cohort.organisation.slug == "gemeente-utrecht"
    assert cohort.requires_approval
    assert cohort.starts_on > timezone.localdate()
    requested = cohort.enrolments.filter(state=State.REQUESTED)
    assert requested.count() == 2
    hr = User.objects.get(email="hr@demo.example")
    assert all(e.participant.organisation_id == hr.organisation_id for e in requested)
    assert not cohort.enrolments.filter(participant__email="deelnemer@demo.example").exists()


def test_a_full_cohort_with_a_waiting_list_in_order(demo):
    full = [
        c for c in Cohort.objects.filter(starts_on__gt=timezone.localdate()) if c.free_seats() == 0
    ]
    assert len(full) == 1
    waiting = list(full[0].enrolments.filter(state=State.WAITLISTED).order_by("waitlisted_at"))
    assert len(waiting) >= 2
    times = [e.waitlisted_at for e in waiting]
    assert None not in times and times == sorted(times) and len(set(times)) == len(times)


def test_a_running_cohort_shows_progress(demo):
    today = timezone.localdate()
    cohort = Cohort.objects.get(starts_on__lt=today, ends_on__gt=today)
    assert 8 <= cohort.enrolments.filter(state=State.ENROLLED).count() <= 10
    held = cohort.bijeenkomsten.filter(starts_at__lt=timezone.now())
    assert 0 < held.count() < cohort.bijeenkomsten.count()
    assert (
        not Attendance.objects.filter(bijeenkomst__cohort=cohort)
        .exclude(bijeenkomst__in=held)
        .exists()
    )
    statuses = set(
        Attendance.objects.filter(bijeenkomst__cohort=cohort).values_list("status", flat=True)
    )
    assert statuses == {"present", "absent", "excused"}
    assert Attendance.objects.filter(status="excused").exclude(reason="").exists()
    reflections = Reflection.objects.filter(enrolment__cohort=cohort)
    assert reflections.exclude(submitted_at=None).count() >= 5
    assert reflections.filter(shared_with_trainer=True).exists()


def test_a_finished_cohort_with_certificates(demo):
    finished = Cohort.objects.get(ends_on__lt=timezone.localdate())
    completed = finished.enrolments.filter(state=State.COMPLETED)
    assert completed.count() >= 5
    for enrolment in completed:
        assert enrolment.certificate_code and enrolment.completed_at
        assert completion_status(enrolment)["met"]
    assert finished.enrolments.filter(state=State.CANCELLED).count() == 1


def test_the_demo_participant_is_enrolled_and_has_a_certificate(demo):
    sanne = User.objects.get(email="deelnemer@demo.example")
    states = set(sanne.enrolments.values_list("state", flat=True))
    assert {State.ENROLLED, State.COMPLETED} <= states
    assert sanne.enrolments.get(state=State.COMPLETED).certificate_code
    running = sanne.enrolments.get(state=State.ENROLLED)
    assert running.reflections.exclude(submitted_at=None).exists()
    assert running.reflections.filter(submitted_at=None).exists()  # a draft


def test_history_matches_every_state_and_lies_in_the_past(demo):
    now = timezone.now()
    for enrolment in Enrolment.objects.prefetch_related("transitions"):
        transitions = list(enrolment.transitions.all())
        assert transitions[0].from_state == "" and transitions[0].to_state == State.REQUESTED
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert after.from_state == before.to_state
        assert transitions[-1].to_state == enrolment.state
        assert all(t.at <= now for t in transitions)
        assert enrolment.created_at == transitions[0].at


def test_seats_are_never_overbooked(demo):
    for cohort in Cohort.objects.annotate(
        taken=Count("enrolments", filter=Q(enrolments__state__in=SEAT_STATES))
    ):
        assert cohort.taken <= cohort.seats, cohort


def test_the_demo_sends_no_mail_about_enrolments(demo):
    assert not Notification.objects.filter(about_type__app_label="leergang").exists()
