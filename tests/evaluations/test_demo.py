"""The demo's evaluations: told through the services, enough for the trainer and HR to read."""

import pytest
from django.urls import reverse

from evaluations import selectors
from evaluations.models import Answer, Invitation
from leergang.demo import FINISHED_COHORT
from leergang.models import Cohort
from portal.demo import HR_UTRECHT_EMAIL, PARTICIPANT_EMAIL, TRAINER_EMAIL
from portal.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_trainer_reads_the_finished_cohorts_results(client, demo_data):
    slug, name = FINISHED_COHORT
    cohort = Cohort.objects.get(leergang__slug=slug, name=name)
    trainer = User.objects.get(email=TRAINER_EMAIL)
    results = selectors.cohort_results(cohort)
    shown = [figures for _b, figures in results["bijeenkomsten"] if figures.enough]
    assert len(shown) >= 3 and all(f.count >= 3 for f in shown)
    client.force_login(trainer)
    page = client.get(reverse("evaluations:cohort", args=[cohort.pk])).content.decode()
    assert "Gemiddeld rapportcijfer" in page and "Opmerkingen" in page


def test_demo_hr_reads_averages_where_five_answered(client, demo_data):
    hr = User.objects.get(email=HR_UTRECHT_EMAIL)
    results = selectors.hr_results(hr)
    shown = [module for module, figures, _g in results["modules"] if figures.enough]
    assert shown, "no module with five answers from Gemeente Utrecht"
    client.force_login(hr)
    page = client.get(reverse("evaluations:hr")).content.decode()
    assert "te weinig reacties" in page  # the leergang as a whole: three of Utrecht answered
    assert shown[0].title in page


def test_the_demo_participant_has_one_evaluation_open(client, demo_data):
    sanne = User.objects.get(email=PARTICIPANT_EMAIL)
    open_ones = Invitation.objects.open().filter(recipient=sanne)
    assert open_ones.count() == 1
    client.force_login(sanne)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("evaluations:answer", args=[open_ones.get().token]) in home


def test_the_demo_again_changes_nothing(demo_data):
    import io

    from django.core.management import call_command

    before = (Invitation.objects.count(), Answer.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Invitation.objects.count(), Answer.objects.count()) == before
