"""Dutch texts (issue 9, item 16): one word per concept, plurals, no raw codes, full months."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from coaching.models import Trajectory, TrajectoryTransition
from leergang.models import Cohort, Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, TrajectoryFactory

OUR_APPS = ["portal", "leergang", "intervisie", "coaching"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Words that are the same in English and Dutch.
SAME_IN_DUTCH = {
    "account",
    "coach",
    "module",
    "modules",
    "leergang",
    "leergangen",
    "bijeenkomst",
    "bijeenkomsten",
    "status",
    "Insights profile",
    "slug",
    "link",
    "trainers",
}


def _names(model):
    yield model._meta.verbose_name
    yield model._meta.verbose_name_plural
    for field in model._meta.get_fields():
        if (field.concrete or field.many_to_many) and not field.auto_created:
            yield field.verbose_name


def test_every_model_and_field_has_a_dutch_verbose_name():
    untranslated = []
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            for name in _names(model):
                with translation.override("en"):
                    english = str(name)
                with translation.override("nl"):
                    dutch = str(name)
                if not isinstance(name, Promise) or (
                    dutch == english and english not in SAME_IN_DUTCH
                ):
                    untranslated.append(f"{model._meta.label}: {english}")
    assert untranslated == []


def test_a_cohort_is_an_uitvoering_everywhere_in_dutch():
    with translation.override("nl"):
        assert str(Cohort._meta.verbose_name) == "uitvoering"
        assert str(Cohort._meta.verbose_name_plural) == "uitvoeringen"
    # "groep" is the intervisie group; no text about a cohort may call it that.
    catalog = trans_real.translation("nl")._catalog
    wrong = []
    for key, dutch in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if re.search("cohort", msgid.replace("%(cohort)s", ""), re.I) and re.search(
            r"\b[Gg]roep(en)?\b", dutch
        ):
            wrong.append(msgid)
    assert wrong == []


@pytest.mark.django_db
def test_the_admin_names_cohorts_uitvoering(client, beheerder):
    CohortFactory(name="Voorjaar 2027")
    client.force_login(beheerder)
    page = client.get(reverse("admin:leergang_cohort_changelist")).content.decode()
    assert "Selecteer uitvoering om te wijzigen" in page
    assert "groep" not in page.lower().replace("intervisiegroep", "")


@pytest.mark.django_db
def test_the_admin_shows_trajectory_changes_in_dutch(client, beheerder):
    trajectory = TrajectoryFactory()
    TrajectoryTransition.objects.create(trajectory=trajectory, to_state=Trajectory.State.INTAKE)
    TrajectoryTransition.objects.create(
        trajectory=trajectory,
        from_state=Trajectory.State.INTAKE,
        to_state=Trajectory.State.RUNNING,
    )
    client.force_login(beheerder)
    url = reverse("admin:coaching_trajectory_change", args=[trajectory.pk])
    page = client.get(url).content.decode()
    assert "Wijzigingen van coachtrajecten" in page
    assert "Intake → Lopend" in page
    assert "intake → running" not in page.lower()
    assert "Trajectory transitions" not in page


@pytest.mark.django_db
def test_the_admin_shows_enrolment_changes_in_dutch(client, beheerder):
    enrolment = EnrolmentFactory(state=Enrolment.State.WAITLISTED)
    client.force_login(beheerder)
    url = reverse("admin:leergang_enrolment_change", args=[enrolment.pk])
    page = client.get(url).content.decode()
    assert "– → Op de wachtlijst" in page
    assert ">waitlisted<" not in page


@pytest.mark.django_db
def test_one_group_made_is_said_in_the_singular(client, trainer):
    cohort = CohortFactory(trainers=[trainer], participants=4)
    client.force_login(trainer)
    split = [list(cohort.enrolments.values_list("pk", flat=True))]
    response = client.post(
        reverse("intervisie:groups-accept", args=[cohort.pk]),
        {"split": json.dumps(split)},
        follow=True,
    )
    assert "Er is 1 intervisiegroep gemaakt." in response.content.decode()


def test_templates_write_months_in_full():
    # Django's Dutch "M" and "b" give "mrt", "dec": the portal writes "12 maart 2026".
    abbreviated = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in TEMPLATES.rglob("*.*")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if re.search(r"[MbN]", match)
    ]
    assert abbreviated == []


@pytest.mark.django_db
def test_dates_on_pages_have_the_month_in_full(client, beheerder):
    trajectory = TrajectoryFactory()
    Trajectory.objects.filter(pk=trajectory.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0))
    )
    client.force_login(beheerder)
    page = client.get(reverse("coaching:trajectories")).content.decode()
    assert "12 maart 2026" in page
    assert "12 mrt" not in page


@pytest.mark.django_db
def test_the_admin_index_has_no_english_captions(client, beheerder):
    client.force_login(beheerder)
    page = client.get(reverse("admin:index")).content.decode()
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in page
    assert "Uitvoeringen" in page


@pytest.mark.django_db
def test_a_trajectory_of_one_session_is_announced_in_the_singular(beheerder, participant, coach):
    from coaching import services as coaching_services
    from portal.models import Notification
    from portal.notifications import render_notification

    coaching_services.trajectory_start(
        participant=participant, coach=coach, agreed_sessions=1, by=beheerder
    )
    for notification in Notification.objects.filter(kind="coaching_trajectory_started"):
        message = render_notification(notification)
        assert "met één sessie: de intake" in message.body
        assert "1 sessies" not in message.alternatives[0][0]
