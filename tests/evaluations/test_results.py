"""What each role reads: thresholds at their boundary, figures checked against a computation
of their own, and pages whose query count does not grow with the answers."""

import random
from datetime import timedelta
from statistics import mean

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching.models import Trajectory, TrajectoryTransition
from evaluations import selectors, services
from evaluations.models import Answer, Invitation, Kind
from leergang.models import Bijeenkomst
from tests.evaluations.conftest import answer, held_cohort
from tests.factories import CohortFactory, EnrolmentFactory, TrajectoryFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db


def answered_bijeenkomst(n, *, trainer=None, organisation=None, grades=None, comments=None):
    cohort, bijeenkomst, people = held_cohort(
        participants=n, trainers=[trainer] if trainer else (), organisation=organisation
    )
    services.invitations_create()
    grades = grades or [8] * n
    for index, person in enumerate(people):
        answer(
            Invitation.objects.get(recipient=person, bijeenkomst=bijeenkomst),
            grade=grades[index],
            recommendation=grades[index],
            comments=(comments or {}).get(index, ""),
        )
    return cohort, bijeenkomst


def answered_leergang(n, *, organisation=None, cohort=None, grade=7, trainer=None):
    cohort = cohort or CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=100),
        trainers=[trainer] if trainer else [],
    )
    for _n in range(n):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            participant=UserFactory(**({"organisation": organisation} if organisation else {})),
        )
        invitation = Invitation.objects.create(
            kind=Kind.LEERGANG,
            recipient=enrolment.participant,
            cohort=cohort,
            expires_at=timezone.now() + timedelta(days=5),
        )
        goals = {
            (link.module_id, goal): 4
            for link in cohort.leergang.module_links.select_related("module")
            for goal in link.module.learning_goal_list()
        }
        answer(invitation, grade=grade, recommendation=10, goals=goals)
    return cohort


# --- trainers: 3 ----------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "shown"), [(2, False), (3, True)])
def test_a_trainer_sees_a_bijeenkomst_from_three_answers(client, morning, trainer, answers, shown):
    cohort, bijeenkomst = answered_bijeenkomst(
        answers, trainer=trainer, grades=[6, 8, 10][:answers], comments={0: "OPMERKING-X1"}
    )
    client.force_login(trainer)
    page = client.get(reverse("evaluations:cohort", args=[cohort.pk])).content.decode()
    assert ("OPMERKING-X1" in page) is shown
    section = page.split('id="meetings"')[1].split('id="modules"')[0]
    assert ("te weinig reacties" in section.lower()) is not shown
    assert ("Gemiddeld rapportcijfer" in section) is shown
    assert ("Gegeven rapportcijfers" in section) is shown
    figures = dict(selectors.cohort_results(cohort)["bijeenkomsten"])[bijeenkomst]
    assert figures.enough is shown
    if shown:
        assert figures.grade == 8.0 and "8,0" in page
    else:
        assert figures.grade is None and figures.comments == [] and figures.distribution == []


def test_a_trainer_does_not_read_another_trainers_cohort(client, morning, trainer):
    cohort, _b = answered_bijeenkomst(3)
    client.force_login(trainer)
    assert client.get(reverse("evaluations:cohort", args=[cohort.pk])).status_code == 403


# --- HR: 5 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_hr_sees_its_peoples_averages_from_five(client, morning, hr, answers, shown):
    cohort = answered_leergang(answers, organisation=hr.organisation, grade=7)
    # Others' answers never count for HR.
    answered_leergang(3, cohort=cohort, grade=1)
    client.force_login(hr)
    page = client.get(reverse("evaluations:hr")).content.decode()
    assert cohort.leergang.title in page
    per_leergang = page.split('id="hr-modules"')[0]
    assert ("te weinig reacties" in per_leergang) is not shown
    assert ("7,0" in per_leergang) is shown
    results = dict(selectors.hr_results(hr)["leergangen"])
    figures = results[cohort.leergang]
    assert figures.enough is shown and figures.comments == []
    home = client.get(reverse("portal:home")).content.decode()
    assert "Evaluaties" in home


def test_hr_never_reads_comments(client, morning, hr):
    answered_bijeenkomst(
        6, organisation=hr.organisation, comments={i: f"GEHEIM-{i}" for i in range(6)}
    )
    client.force_login(hr)
    for name in ("evaluations:hr", "portal:home"):
        assert "GEHEIM-" not in client.get(reverse(name)).content.decode()


def test_hr_of_another_organisation_sees_none_of_them(client, morning, hr, outsider_hr):
    answered_leergang(6, organisation=hr.organisation, grade=7)
    client.force_login(outsider_hr)
    page = client.get(reverse("evaluations:hr")).content.decode()
    assert "Nog geen evaluaties" in page


# --- coaches: 5 -----------------------------------------------------------------------------


def coached(coach, n, grade):
    for _n in range(n):
        trajectory = TrajectoryFactory(coach=coach, state=Trajectory.State.COMPLETED)
        TrajectoryTransition.objects.create(
            trajectory=trajectory, to_state=trajectory.state, at=timezone.now()
        )
    services.invitations_create()
    for invitation in Invitation.objects.filter(trajectory__coach=coach, used=False):
        answer(invitation, grade=grade, recommendation=grade)


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_a_coach_sees_averages_from_five_trajectories(client, morning, coach, answers, shown):
    coached(coach, answers, grade=9)
    client.force_login(coach)
    page = client.get(reverse("evaluations:coaching")).content.decode()
    assert ("te weinig reacties" in page.lower()) is not shown
    assert ("9,0" in page) is shown
    assert selectors.coach_results(coach).enough is shown


def test_the_programme_office_sees_coaches_apart(client, morning, coach, beheerder):
    other = UserFactory(organisation=coach.organisation, roles=["coach"])
    coached(coach, 5, grade=9)
    coached(other, 2, grade=3)
    client.force_login(beheerder)
    page = client.get(reverse("evaluations:programme")).content.decode()
    # Escaped as the page writes them (a name like "van 't Riet").
    assert escape(coach.get_full_name()) in page and escape(other.get_full_name()) in page
    figures = dict(selectors.coach_overview())
    assert figures[coach].grade == 9.0 and figures[coach].nps == 100
    assert not figures[other].enough and figures[other].grade is None


# --- figures checked against a computation of their own --------------------------------------


def test_cohort_figures_match_an_independent_computation(client, morning, trainer):
    rng = random.Random(11)
    grades = [rng.randint(1, 10) for _n in range(17)]
    cohort, bijeenkomst = answered_bijeenkomst(17, trainer=trainer, grades=grades)
    figures = dict(selectors.cohort_results(cohort)["bijeenkomsten"])[bijeenkomst]
    promoters = sum(g >= 9 for g in grades)
    detractors = sum(g <= 6 for g in grades)
    assert figures.count == 17
    assert figures.grade == round(mean(grades), 1)
    assert figures.recommendation == round(mean(grades), 1)
    assert figures.nps == round(100 * (promoters - detractors) / 17)
    assert figures.distribution == [(g, grades.count(g)) for g in range(1, 11)]
    client.force_login(trainer)
    page = client.get(reverse("evaluations:cohort", args=[cohort.pk])).content.decode()
    shown = f"{round(mean(grades), 1)}".replace(".", ",")
    assert shown in page


def test_programme_trend_matches_per_cohort(morning, beheerder):
    leergang_cohorts = []
    first = answered_leergang(3, grade=6)
    leergang_cohorts.append(first)
    second = CohortFactory(
        leergang=first.leergang, starts_on=timezone.localdate() - timedelta(days=50)
    )
    answered_leergang(4, cohort=second, grade=9)
    trends = dict(selectors.programme_trends()["leergangen"])
    cells = trends[first.leergang]
    assert [(c, f.count, f.grade, f.nps) for c, f in cells] == [
        (first, 3, 6.0, 100),
        (second, 4, 9.0, 100),
    ]


def test_goal_averages_per_module(morning, trainer):
    cohort = answered_leergang(3, trainer=trainer)
    modules = dict(selectors.cohort_results(cohort)["modules"])
    for link in cohort.leergang.module_links.select_related("module"):
        goals = modules[link.module]
        assert goals.enough and goals.count == 3
        assert sorted(goals.goals) == sorted((g, 4.0) for g in link.module.learning_goal_list())


# --- queries do not grow with the answers ---------------------------------------------------


def test_results_pages_cost_the_same_queries_for_ten_times_the_answers(
    client, morning, trainer, hr, beheerder
):
    small, _b = answered_bijeenkomst(3, trainer=trainer, organisation=hr.organisation)
    answered_leergang(3, cohort=small, organisation=hr.organisation)
    large, _b = answered_bijeenkomst(30, trainer=trainer, organisation=hr.organisation)
    answered_leergang(30, cohort=large, organisation=hr.organisation)
    few = page_query_count(client, reverse("evaluations:cohort", args=[small.pk]), trainer)
    many = page_query_count(client, reverse("evaluations:cohort", args=[large.pk]), trainer)
    assert many == few
    counts = []
    for extra in (0, 10):
        for _n in range(extra):
            answered_leergang(3, organisation=hr.organisation)
        counts.append(
            (
                page_query_count(client, reverse("evaluations:hr"), hr),
                page_query_count(client, reverse("evaluations:programme"), beheerder),
                page_query_count(client, reverse("evaluations:cohorts"), beheerder),
            )
        )
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("answers", "shown"), [(2, False), (3, True)])
def test_a_trainer_sees_a_module_over_their_cohorts_from_three(
    client, morning, trainer, answers, shown
):
    first, bijeenkomst = answered_bijeenkomst(
        answers - 1, trainer=trainer, grades=[6, 9][: answers - 1], comments={0: "MODULE-OPM"}
    )
    # The same module in a second cohort of this trainer: one more answer.
    second, other = answered_bijeenkomst(1, trainer=trainer, grades=[9])
    Bijeenkomst.objects.filter(pk=other.pk).update(module=bijeenkomst.module)
    Answer.objects.filter(bijeenkomst=other).update(module=bijeenkomst.module)
    # Someone else's cohort with the module does not count.
    stranger, theirs = answered_bijeenkomst(3, grades=[1, 1, 1])
    Answer.objects.filter(bijeenkomst=theirs).update(module=bijeenkomst.module)
    figures = {m: f for m, f, _g in selectors.module_results(trainer)}[bijeenkomst.module]
    assert figures.count == answers and figures.enough is shown
    client.force_login(trainer)
    page = client.get(reverse("evaluations:cohorts")).content.decode()
    assert ("MODULE-OPM" in page) is shown
    if shown:
        assert figures.grade == 8.0 and figures.comments == ["MODULE-OPM"]


def test_the_programme_office_home_counts_every_answer_and_a_new_one_at_once(
    client, morning, beheerder
):
    from django.db import connection

    answered_bijeenkomst(2)
    client.force_login(beheerder)

    def shown():
        page = client.get(reverse("portal:home")).content.decode()
        return int(page.split("Tot nu toe ")[1].split()[0])

    assert shown() == 2
    # A second visit reads the kept total; the answer given next is counted at once.
    with CaptureQueriesContext(connection) as kept:
        assert shown() == 2
    assert not any("evaluations_answer" in query["sql"] for query in kept.captured_queries)
    answered_bijeenkomst(3)
    assert shown() == 5
    with connection.cursor() as cursor:  # the same figure, counted apart
        cursor.execute("SELECT count(*) FROM evaluations_answer")
        assert cursor.fetchone()[0] == 5
    Answer.objects.first().delete()
    assert shown() == 4
