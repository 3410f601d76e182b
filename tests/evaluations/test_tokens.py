"""The link in the e-mail: no login, single use, expires, and a wrong one says so in Dutch."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import Answer, GoalScore, Invitation
from tests.concurrency import run_in_parallel
from tests.evaluations.conftest import held_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(morning):
    cohort, bijeenkomst, people = held_cohort(participants=1)
    services.invitations_create()
    return Invitation.objects.get()


def url(token):
    return reverse("evaluations:answer", args=[token])


def form_data(invitation, **extra):
    data = {"grade": "8", "recommendation": "9", "comments": "Heel leerzaam.", **extra}
    return data


def test_the_link_opens_the_form_without_signing_in(client, invitation):
    response = client.get(url(invitation.token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Evaluatie" in page and "rapportcijfer" in page
    module = invitation.bijeenkomst.module
    for goal in module.learning_goal_list():
        assert goal in page
    assert module.title in page


def test_answering_saves_one_answer_and_uses_the_link(client, invitation):
    module = invitation.bijeenkomst.module
    response = client.post(url(invitation.token), form_data(invitation, goal_0="4", goal_1="5"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:thanks")
    answer = Answer.objects.get()
    assert (answer.grade, answer.recommendation, answer.comments) == (8, 9, "Heel leerzaam.")
    assert answer.bijeenkomst == invitation.bijeenkomst and answer.module == module
    assert answer.organisation_id == invitation.recipient.organisation_id
    assert answer.answered_on == timezone.localdate()
    goals = module.learning_goal_list()
    assert sorted(GoalScore.objects.values_list("goal", "score")) == sorted(
        [(goals[0], 4), (goals[1], 5)]
    )
    invitation.refresh_from_db()
    assert invitation.used
    assert "anoniem" in client.get(response["Location"]).content.decode()


def test_a_used_link_says_so_and_saves_nothing_more(client, invitation):
    client.post(url(invitation.token), form_data(invitation))
    again = client.post(url(invitation.token), form_data(invitation, grade="2"))
    assert again.status_code == 410
    assert "al ingevuld" in again.content.decode()
    assert client.get(url(invitation.token)).status_code == 410
    assert list(Answer.objects.values_list("grade", flat=True)) == [8]


def test_an_expired_link_says_so(client, invitation, morning, settings):
    morning.shift(timedelta(days=settings.EVALUATION_VALID_DAYS, seconds=1))
    response = client.get(url(invitation.token))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert client.post(url(invitation.token), form_data(invitation)).status_code == 410
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:-3],
        lambda t: t.upper() if t.upper() != t else t.lower(),
    ],
)
def test_a_tampered_link_gets_a_friendly_page(client, invitation, tamper):
    response = client.get(url(tamper(invitation.token)))
    assert response.status_code == 404
    page = response.content.decode()
    assert "niet geldig" in page and "<h1>" in page
    assert client.post(url(tamper(invitation.token)), form_data(invitation)).status_code == 404
    assert not Answer.objects.exists()


def test_a_link_with_other_characters_is_a_plain_404(client):
    assert client.get("/evaluatie/ab%00cd/").status_code == 404


def test_missing_scores_are_errors_tied_to_their_questions(client, invitation):
    response = client.post(url(invitation.token), {"grade": "11", "comments": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_grade"' in page and 'id="id_grade"' in page
    assert 'href="#id_recommendation"' in page
    assert "<legend" in page and "<fieldset" in page
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


def test_scores_for_goals_not_asked_are_not_saved(invitation):
    services.answer_submit(
        token=invitation.token,
        grade=7,
        recommendation=5,
        goal_scores={(invitation.bijeenkomst.module_id, "Een doel dat niet bestaat"): 5},
    )
    assert not GoalScore.objects.exists()


def test_the_leergang_form_asks_every_modules_goals(client, morning):
    from evaluations.models import Kind
    from tests.factories import CohortFactory, EnrolmentFactory

    enrolment = EnrolmentFactory(cohort=CohortFactory(leergang__module_count=3))
    invitation = Invitation.objects.create(
        kind=Kind.LEERGANG,
        recipient=enrolment.participant,
        cohort=enrolment.cohort,
        expires_at=timezone.now() + timedelta(days=1),
    )
    page = client.get(url(invitation.token)).content.decode()
    for link in enrolment.cohort.leergang.module_links.all():
        assert link.module.title in page
    assert page.count('type="radio"') == 10 + 11 + 3 * 2 * 5


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_save_one(morning):
    cohort, bijeenkomst, people = held_cohort(participants=1)
    services.invitations_create()
    token = Invitation.objects.get().token

    def submit():
        return services.answer_submit(token=token, grade=6, recommendation=7)

    results = run_in_parallel(submit, 6)
    saved = [r for r in results if isinstance(r, Answer)]
    refused = [r for r in results if isinstance(r, services.EvaluationUnusable)]
    assert len(saved) == 1 and len(refused) == 5, results
    assert Answer.objects.count() == 1
    assert Invitation.objects.get().used
