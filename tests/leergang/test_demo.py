"""`python manage.py demo` shows every role of the leergang app something to work with.

The demo's history is made by the services, so these tests check what the demo shows
(and that a second run leaves it alone), not the rules the services already prove.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leergang.demo import FINISHED_COHORT, INSIGHTS, RUNNING_COHORT
from leergang.demo.scenarios import OPEN_COHORT
from leergang.models import Attendance, Cohort, Enrolment, InsightsProfile, Leergang, Reflection
from portal.models import Notification, User

pytestmark = pytest.mark.django_db

State = Enrolment.State
PARTICIPANT = "deelnemer@demo.example"


@pytest.fixture(autouse=True)
def _demo(demo_data):
    """Every test here reads the demo, loaded once for the module."""


def _cohort(key) -> Cohort:
    slug, name = key
    return Cohort.objects.get(leergang__slug=slug, name=name)


def _snapshot():
    """What a later run must not add or move."""
    models = apps.get_app_config("leergang").get_models()
    return {
        "counts": {model._meta.label: model.objects.count() for model in models},
        "people": User.objects.count(),
        "cohorts": list(Cohort.objects.order_by("pk").values_list("pk", "starts_on", "ends_on")),
        "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "state")),
        "transitions": list(
            apps.get_model("leergang", "EnrolmentTransition")
            .objects.order_by("pk")
            .values_list("enrolment_id", "to_state", "at")
        ),
    }


def test_running_it_again_weeks_later_changes_nothing():
    before = _snapshot()
    with time_machine.travel(timezone.now() + timedelta(weeks=3), tick=False):
        call_command("demo", stdout=io.StringIO())
    assert _snapshot() == before
    assert before["counts"]["leergang.Enrolment"] > 20


def test_four_leergangen_with_ordered_modules_and_material():
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
        assert [link.position for link in links] == list(range(1, len(links) + 1))
        assert core <= {link.module.slug for link in links}
        for link in links:
            module = link.module
            assert module.learning_goal_list() and module.reflection_assignment
            assert 1 <= module.materials.count() <= 3
            for material in module.materials.all():
                material.full_clean()


def test_cohorts_lie_in_the_past_run_now_and_are_still_to_come():
    today = timezone.localdate()
    assert _cohort(FINISHED_COHORT).ends_on < today
    running = _cohort(RUNNING_COHORT)
    assert running.starts_on < today < running.ends_on
    held = running.bijeenkomsten.filter(starts_at__lt=timezone.now()).count()
    assert 0 < held < running.bijeenkomsten.count()
    assert Cohort.objects.filter(starts_on__gt=today).count() == 3


def test_hr_sees_the_requests_of_the_tailored_cohort(client):
    cohort = Cohort.objects.get(organisation__isnull=False)
    assert cohort.requires_approval and cohort.starts_on > timezone.localdate()
    requested = list(cohort.enrolments.filter(state=State.REQUESTED))
    assert len(requested) == 2
    # Three approved; the programme office moved one of them to the open cohort.
    assert cohort.enrolments.filter(state=State.ENROLLED).count() == 2
    moved = cohort.enrolments.get(state=State.CANCELLED)
    assert moved.moved_to.cohort.name == OPEN_COHORT[1]
    assert moved.moved_to.state == State.ENROLLED
    assert moved.transitions.get(to_state=State.CANCELLED).by.email == "beheerder@demo.example"

    hr = User.objects.get(email="hr@demo.example")
    client.force_login(hr)
    page = client.get(reverse("leergang:approval-queue")).content.decode()
    for enrolment in requested:
        assert enrolment.participant.organisation_id == hr.organisation_id
        assert enrolment.participant.get_full_name() in page


def test_a_full_cohort_has_a_waiting_list_in_order():
    full = [c for c in Cohort.objects.upcoming() if c.free_seats() == 0]
    assert len(full) == 1
    waiting = full[0].enrolments.filter(state=State.WAITLISTED).order_by("waitlisted_at")
    assert [e.participant.email for e in waiting] == [
        "fleur.vanleeuwen@utrecht.example",
        "rik.mertens@rivierenland.example",
        "samira.achahbar@nijmegen.example",
    ]


def test_the_trainer_sees_attendance_and_shared_reflections_of_the_running_cohort(client):
    cohort = _cohort(RUNNING_COHORT)
    assert cohort.enrolments.filter(state=State.ENROLLED).count() == 9
    attendance = Attendance.objects.filter(bijeenkomst__cohort=cohort)
    assert set(attendance.values_list("status", flat=True)) == {"present", "absent", "excused"}
    assert attendance.filter(status="excused").exclude(reason="").exists()
    reflections = Reflection.objects.filter(enrolment__cohort=cohort)
    assert reflections.exclude(submitted_at=None).count() >= 5
    assert reflections.filter(shared_with_trainer=True).exists()

    client.force_login(User.objects.get(email="trainer@demo.example"))
    page = client.get(reverse("leergang:cohort-manage", args=[cohort.pk])).content.decode()
    for enrolment in cohort.enrolments.select_related("participant"):
        assert enrolment.participant.get_full_name() in page


def test_everyone_who_finished_has_a_certificate_but_the_one_who_cancelled():
    finished = _cohort(FINISHED_COHORT)
    completed = finished.enrolments.filter(state=State.COMPLETED)
    assert completed.count() == 6
    assert all(e.certificate_code and e.completed_at < timezone.now() for e in completed)
    assert finished.enrolments.filter(state=State.CANCELLED).count() == 1


def test_the_demo_participant_sees_her_leergang_leerlog_and_certificate(client):
    sanne = User.objects.get(email=PARTICIPANT)
    running = sanne.enrolments.get(cohort=_cohort(RUNNING_COHORT), state=State.ENROLLED)
    assert running.reflections.exclude(submitted_at=None).exists()
    assert running.reflections.filter(submitted_at=None).exists()  # a draft
    assert sanne.enrolments.get(state=State.COMPLETED).certificate_code

    client.force_login(sanne)
    page = client.get(reverse("leergang:my-leergang")).content.decode()
    assert RUNNING_COHORT[1] in page
    detail = client.get(reverse("leergang:enrolment-detail", args=[running.pk]))
    assert detail.status_code == 200


def test_most_participants_have_an_insights_profile():
    profiles = InsightsProfile.objects.select_related("participant")
    assert INSIGHTS.items() <= {p.participant.email: p.colours for p in profiles}.items()


def test_the_demo_sends_no_mail():
    assert not Notification.objects.exists()


def test_the_office_sees_a_make_up_approved_and_one_waiting(client):
    client.force_login(User.objects.get(email="beheerder@demo.example"))
    page = client.get(reverse("leergang:make-up-list")).content.decode()
    assert "Thijs" in page and "Goedgekeurd" in page
    assert "Anouk" in page and "Wacht op goedkeuring" in page
