"""HR's dashboard: every figure checked a second way, scoping, the threshold, the exports,
bad filters and the number of queries.

The world: Gemeente Utrecht's people in three cohorts (two departments), Nijmegen's people
in the same cohort (never counted for Utrecht), held and future bijeenkomsten, attendance
present, absent and "present" recorded in advance, reflections submitted and draft,
intervisie sessions held and planned, coaching used, missed, planned and cancelled.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession
from evaluations.models import Answer, Kind
from intervisie.models import Session, SessionAttendance
from leergang.models import Attendance, Enrolment, Reflection
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    LeergangFactory,
    TrajectoryFactory,
    UserFactory,
)

State = Enrolment.State
Present, Absent, Excused = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)
DASHBOARD = "hr:dashboard"


def _at(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@dataclass
class World:
    running: object  # cohort A1: two held bijeenkomsten, one to come
    upcoming: object  # cohort A2: requests only
    finished: object  # cohort B1: completed people
    other_cohort: object  # Nijmegen's own cohort
    held: list
    future: object


def _enrol(cohort, person, state=State.ENROLLED, **extra):
    return EnrolmentFactory(cohort=cohort, participant=person, state=state, **extra)


def _person(organisation, department=""):
    return UserFactory(organisation=organisation, department=department)


def build_world(utrecht, nijmegen, *, scale: int = 1, tag: str = "") -> World:
    """The data set; ``scale`` repeats the people of the running cohort, ``tag`` tells the
    leergangen of a second world apart (query counts)."""
    leergang = LeergangFactory(title=f"Omgevingsprofessional{tag}", module_count=3)
    running = CohortFactory(
        leergang=leergang,
        name="Voorjaar",
        starts_on=timezone.localdate() - datetime.timedelta(days=40),
        seats=500,
    )
    links = list(leergang.module_links.select_related("module"))
    held = [
        BijeenkomstFactory(cohort=running, module=links[0].module, starts_at=_at(-30)),
        BijeenkomstFactory(cohort=running, module=links[1].module, starts_at=_at(-10)),
    ]
    future = BijeenkomstFactory(cohort=running, module=links[2].module, starts_at=_at(10))
    upcoming = CohortFactory(leergang=leergang, name="Najaar")
    other_leergang = LeergangFactory(title=f"Urban Professional{tag}", module_count=2)
    finished = CohortFactory(
        leergang=other_leergang,
        name="Vorig jaar",
        starts_on=timezone.localdate() - datetime.timedelta(days=300),
    )
    other_cohort = CohortFactory(leergang=other_leergang, organisation=nijmegen, name="Nijmegen")

    for _n in range(scale):
        ruimte_1 = _enrol(running, _person(utrecht, "Ruimte"))
        sociaal_1 = _enrol(running, _person(utrecht, "Sociaal"))
        done = _enrol(running, _person(utrecht, "Ruimte"), State.COMPLETED, completed_at=_at(-5))
        gone = _enrol(running, _person(utrecht, "Ruimte"), State.CANCELLED)
        _enrol(running, _person(utrecht, "Sociaal"), State.WAITLISTED)
        outsider_1 = _enrol(running, _person(nijmegen, "Ruimte"))
        outsider_2 = _enrol(running, _person(nijmegen))
        marks = [
            (ruimte_1, held[0], Present),
            (sociaal_1, held[0], Absent),
            (done, held[0], Present),
            (gone, held[0], Present),  # cancelled since: holds no seat, not counted
            (outsider_1, held[0], Present),
            (ruimte_1, held[1], Present),
            (done, held[1], Excused),
            (outsider_2, held[1], Present),
            (sociaal_1, future, Present),  # recorded in advance: never counts
        ]
        for enrolment, bijeenkomst, status in marks:
            Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomst, status=status)
        submitted = timezone.now()
        reflections = [
            (ruimte_1, 0, submitted),  # attended: module 1 completed
            (sociaal_1, 0, submitted),  # absent: not completed
            (done, 0, submitted),  # completed
            (ruimte_1, 1, submitted),  # completed
            (done, 1, None),  # a draft
            (ruimte_1, 2, submitted),  # its bijeenkomst is still to come: not completed
            (outsider_1, 0, submitted),  # Nijmegen's
        ]
        for enrolment, index, at in reflections:
            Reflection.objects.create(
                enrolment=enrolment, module=links[index].module, text="…", submitted_at=at
            )
        group = GroupFactory(cohort=running, members=[ruimte_1, sociaal_1, outsider_1])
        first = IntervisieSessionFactory(group=group, in_days=-20, status=Session.Status.HELD)
        second = IntervisieSessionFactory(group=group, in_days=-6, status=Session.Status.HELD)
        IntervisieSessionFactory(group=group, in_days=8)  # planned
        for session, enrolment, status in [
            (first, ruimte_1, Present),
            (first, sociaal_1, Present),
            (first, outsider_1, Present),
            (second, ruimte_1, Present),
            (second, sociaal_1, Absent),
        ]:
            SessionAttendance.objects.create(
                session=session, participant=enrolment.participant, status=status
            )
        trajectory = TrajectoryFactory(
            participant=ruimte_1.participant, enrolment=ruimte_1, agreed_sessions=6
        )
        for days, status in [
            (-25, CoachingSession.Status.HELD),
            (-15, CoachingSession.Status.NO_SHOW),
            (-12, CoachingSession.Status.CANCELLED),
            (5, CoachingSession.Status.PLANNED),
        ]:
            CoachingSession.objects.create(
                trajectory=trajectory,
                starts_at=_at(days),
                ends_at=_at(days) + datetime.timedelta(hours=1),
                status=status,
            )
        outsider_trajectory = TrajectoryFactory(
            participant=outsider_1.participant, enrolment=outsider_1, agreed_sessions=3
        )
        CoachingSession.objects.create(
            trajectory=outsider_trajectory,
            starts_at=_at(-3),
            ends_at=_at(-3) + datetime.timedelta(hours=1),
            status=CoachingSession.Status.HELD,
        )

    _enrol(upcoming, _person(utrecht, "Ruimte"), State.REQUESTED)
    _enrol(upcoming, _person(utrecht, "Sociaal"), State.REJECTED)
    _enrol(upcoming, _person(nijmegen), State.REQUESTED)
    for _n in range(2):
        _enrol(finished, _person(utrecht, "Sociaal"), State.COMPLETED, completed_at=_at(-200))
    _enrol(finished, _person(utrecht))
    _enrol(other_cohort, _person(nijmegen, "Ruimte"))
    # Coaching HR started outside any leergang.
    loose = TrajectoryFactory(participant=_person(utrecht, "Ruimte"), agreed_sessions=4)
    CoachingSession.objects.create(
        trajectory=loose,
        starts_at=_at(-2),
        ends_at=_at(-2) + datetime.timedelta(hours=1),
        status=CoachingSession.Status.HELD,
    )
    return World(running, upcoming, finished, other_cohort, held, future)


def answers(cohort, organisation, count, *, kind=Kind.LEERGANG, grade=8, recommendation=9):
    for _n in range(count):
        Answer.objects.create(
            kind=kind,
            leergang=cohort.leergang,
            cohort=cohort,
            organisation=organisation,
            answered_on=timezone.localdate(),
            grade=grade,
            recommendation=recommendation,
        )


@pytest.fixture
def world(utrecht, nijmegen):
    return build_world(utrecht, nijmegen)


def _dashboard(client, hr, **params):
    client.force_login(hr)
    return client.get(reverse(DASHBOARD), params)


def _cohort(response, cohort):
    return next(c for c in response.context["dashboard"].cohorts if c.pk == cohort.pk)


# --- the second computation: plain SQL ----------------------------------------------------


def _sql(query, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def sql_states(cohort_id, organisation_id, department=None):
    rows = _sql(
        """
        SELECT e.state, COUNT(*) FROM leergang_enrolment e
        JOIN portal_user u ON u.id = e.participant_id
        WHERE e.cohort_id = %s AND u.organisation_id = %s
          AND (%s::text IS NULL OR u.department = %s::text)
        GROUP BY e.state
        """,
        cohort_id,
        organisation_id,
        department,
        department,
    )
    return dict(rows)


def sql_attendance(bijeenkomst_id, organisation_id):
    """(present with a seat, people with a seat) of one bijeenkomst."""
    present = _sql(
        """
        SELECT COUNT(*) FROM leergang_attendance a
        JOIN leergang_enrolment e ON e.id = a.enrolment_id
        JOIN portal_user u ON u.id = e.participant_id
        JOIN leergang_bijeenkomst b ON b.id = a.bijeenkomst_id
        WHERE a.bijeenkomst_id = %s AND a.status = 'present' AND b.starts_at <= now()
          AND e.state IN ('enrolled', 'completed') AND u.organisation_id = %s
        """,
        bijeenkomst_id,
        organisation_id,
    )[0][0]
    seats = _sql(
        """
        SELECT COUNT(*) FROM leergang_enrolment e
        JOIN portal_user u ON u.id = e.participant_id
        JOIN leergang_bijeenkomst b ON b.cohort_id = e.cohort_id
        WHERE b.id = %s AND e.state IN ('enrolled', 'completed') AND u.organisation_id = %s
        """,
        bijeenkomst_id,
        organisation_id,
    )[0][0]
    return present, seats


def sql_intervisie(cohort_id, organisation_id):
    """(distinct held sessions, member x held session, attended) for the cohort."""
    sessions, possible = _sql(
        """
        SELECT COUNT(DISTINCT s.id), COUNT(s.id) FROM intervisie_membership m
        JOIN leergang_enrolment e ON e.id = m.enrolment_id
        JOIN portal_user u ON u.id = e.participant_id
        JOIN intervisie_session s ON s.group_id = m.group_id AND s.status = 'held'
        WHERE e.cohort_id = %s AND u.organisation_id = %s AND e.state IN ('enrolled', 'completed')
        """,
        cohort_id,
        organisation_id,
    )[0]
    attended = _sql(
        """
        SELECT COUNT(*) FROM intervisie_sessionattendance sa
        JOIN intervisie_session s ON s.id = sa.session_id
        JOIN intervisie_group g ON g.id = s.group_id
        JOIN portal_user u ON u.id = sa.participant_id
        WHERE g.cohort_id = %s AND u.organisation_id = %s AND sa.status = 'present'
          AND s.status = 'held'
        """,
        cohort_id,
        organisation_id,
    )[0][0]
    return sessions, possible, attended


def sql_coaching(cohort_id, organisation_id):
    """(trajectories, used, agreed) of the organisation's trajectories in the cohort, or
    outside any enrolment when ``cohort_id`` is None."""
    where = "e.cohort_id = %s" if cohort_id else "t.enrolment_id IS NULL AND %s IS NULL"
    return _sql(
        f"""
        SELECT COUNT(*),
          COALESCE(SUM((SELECT COUNT(*) FROM coaching_coachingsession c
                        WHERE c.trajectory_id = t.id AND c.status IN ('held', 'no_show'))), 0),
          COALESCE(SUM(t.agreed_sessions), 0)
        FROM coaching_trajectory t
        LEFT JOIN leergang_enrolment e ON e.id = t.enrolment_id
        JOIN portal_user u ON u.id = t.participant_id
        WHERE {where} AND u.organisation_id = %s
        """,
        cohort_id,
        organisation_id,
    )[0]


def sql_trend(organisation_id):
    made = dict(
        _sql(
            """
            SELECT date_trunc('quarter', e.created_at AT TIME ZONE 'Europe/Amsterdam')::date,
                   COUNT(*)
            FROM leergang_enrolment e JOIN portal_user u ON u.id = e.participant_id
            WHERE u.organisation_id = %s GROUP BY 1
            """,
            organisation_id,
        )
    )
    done = dict(
        _sql(
            """
            SELECT date_trunc('quarter', e.completed_at AT TIME ZONE 'Europe/Amsterdam')::date,
                   COUNT(*)
            FROM leergang_enrolment e JOIN portal_user u ON u.id = e.participant_id
            WHERE u.organisation_id = %s AND e.completed_at IS NOT NULL GROUP BY 1
            """,
            organisation_id,
        )
    )
    return made, done


# --- the figures, checked ------------------------------------------------------------------


def test_states_per_cohort_match_a_count_in_sql(client, hr, world, utrecht):
    response = _dashboard(client, hr)
    assert response.status_code == 200
    for cohort in (world.running, world.upcoming, world.finished):
        shown = _cohort(response, cohort).states
        expected = sql_states(cohort.pk, utrecht.pk)
        # HR counts a seat offered from the waiting list as waiting (none in this world).
        counted = [s for s in State if s != State.OFFERED]
        assert {s.value: getattr(shown, s.value) for s in counted if getattr(shown, s.value)} == (
            dict(expected.items())
        )
    cohorts = {c.pk for c in response.context["dashboard"].cohorts}
    assert world.other_cohort.pk not in cohorts  # Nijmegen's people only


def test_states_of_the_running_cohort_by_hand(client, hr, world):
    states = _cohort(_dashboard(client, hr), world.running).states
    # Two enrolled and one completed of Utrecht; Nijmegen's two enrolled are not counted.
    assert (states.enrolled, states.completed, states.cancelled, states.waitlisted) == (2, 1, 1, 1)
    assert (states.requested, states.rejected, states.total, states.seats) == (0, 0, 5, 3)


def test_attendance_per_held_bijeenkomst_matches_sql(client, hr, world, utrecht):
    cohort = _cohort(_dashboard(client, hr), world.running)
    shown = {b.pk: (b.attendance.part, b.attendance.whole) for b in cohort.bijeenkomsten}
    assert set(shown) == {b.pk for b in world.held}  # the future one is not held
    for bijeenkomst in world.held:
        assert shown[bijeenkomst.pk] == sql_attendance(bijeenkomst.pk, utrecht.pk)
    # By hand: 2 of 3 at the first (the cancelled one's present does not count), 1 of 3 at
    # the second; overall 3 of 6.
    assert shown[world.held[0].pk] == (2, 3)
    assert shown[world.held[1].pk] == (1, 3)
    assert (cohort.attendance.part, cohort.attendance.whole, cohort.attendance.percent) == (
        3,
        6,
        50,
    )


def test_module_funnel_follows_the_completion_rule(client, hr, world):
    cohort = _cohort(_dashboard(client, hr), world.running)
    modules = [link.module.title for link in world.running.leergang.module_links.all()]
    assert [step.module for step in cohort.funnel] == modules  # the leergang's order
    # Module 1: two attended and reflected (the absent one did not); module 2: one (the
    # other has a draft); module 3: its bijeenkomst is still to come, so nobody yet.
    assert [(s.completed.part, s.completed.whole) for s in cohort.funnel] == [
        (2, 3),
        (1, 3),
        (0, 3),
    ]
    # Independently: count the submitted reflections of Utrecht's seat holders whose
    # module's bijeenkomst they attended, straight from the rows.
    for index, step in enumerate(cohort.funnel):
        module = world.running.leergang.module_links.all()[index].module
        expected = sum(
            1
            for r in Reflection.objects.filter(
                module=module,
                enrolment__cohort=world.running,
                enrolment__state__in=[State.ENROLLED, State.COMPLETED],
                enrolment__participant__organisation=hr.organisation,
                submitted_at__isnull=False,
            )
            if Attendance.objects.filter(
                enrolment=r.enrolment,
                bijeenkomst__module=module,
                bijeenkomst__starts_at__lte=timezone.now(),
                status=Present,
            ).exists()
        )
        assert step.completed.part == expected


def test_a_module_without_bijeenkomst_is_completed_by_its_reflection(client, hr, world):
    module = world.finished.leergang.module_links.first().module
    person = world.finished.enrolments.filter(state=State.COMPLETED).first()
    Reflection.objects.create(
        enrolment=person, module=module, text="…", submitted_at=timezone.now()
    )
    cohort = _cohort(_dashboard(client, hr), world.finished)
    assert (cohort.funnel[0].completed.part, cohort.funnel[0].completed.whole) == (1, 3)


def test_intervisie_matches_sql(client, hr, world, utrecht):
    cohort = _cohort(_dashboard(client, hr), world.running)
    sessions, possible, attended = sql_intervisie(world.running.pk, utrecht.pk)
    assert cohort.intervisie.sessions == sessions == 2
    assert cohort.intervisie.attendance.whole == possible == 4  # two members x two held
    assert cohort.intervisie.attendance.part == attended == 3


def test_coaching_matches_sql(client, hr, world, utrecht):
    response = _dashboard(client, hr)
    cohort = _cohort(response, world.running)
    trajectories, used, agreed = sql_coaching(world.running.pk, utrecht.pk)
    assert (cohort.coaching.trajectories, cohort.coaching.used.part) == (trajectories, used)
    assert cohort.coaching.used.whole == agreed
    assert (trajectories, used, agreed) == (1, 2, 6)  # held and missed count; planned not
    outside = response.context["dashboard"].coaching_outside
    assert (outside.trajectories, outside.used.part, outside.used.whole) == sql_coaching(
        None, utrecht.pk
    )
    assert response.context["dashboard"].coaching.used.part == 3


def test_trend_matches_sql(client, hr, world, utrecht):
    trend = _dashboard(client, hr).context["dashboard"].trend
    made, done = sql_trend(utrecht.pk)
    assert {q.start: q.enrolments for q in trend if q.enrolments} == made
    assert {q.start: q.completions for q in trend if q.completions} == done
    starts = [q.start for q in trend]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_headline_figures_add_up_the_cohorts(client, hr, world):
    dashboard = _dashboard(client, hr).context["dashboard"]
    assert dashboard.states.enrolled == sum(c.states.enrolled for c in dashboard.cohorts) == 3
    assert dashboard.states.completed == 3
    assert dashboard.attendance.part == 3


def test_the_page_shows_the_figures(client, hr, world):
    page = _dashboard(client, hr).content.decode()
    assert "3 van 6 (50%)" in page
    assert "Omgevingsprofessional: Voorjaar" in page
    assert "Nijmegen" not in page.replace(hr.organisation.name, "")


# --- filters and scoping -------------------------------------------------------------------


def test_department_filter_counts_that_department_only(client, hr, world, utrecht):
    response = _dashboard(client, hr, department="Sociaal")
    assert response.status_code == 200
    cohort = _cohort(response, world.running)
    assert dict(sql_states(world.running.pk, utrecht.pk, "Sociaal").items()) == {
        "enrolled": cohort.states.enrolled,
        "waitlisted": cohort.states.waitlisted,
    }
    # Sociaal's one seat holder was absent at the first bijeenkomst and not at the second.
    assert (cohort.attendance.part, cohort.attendance.whole) == (0, 2)
    assert (cohort.intervisie.attendance.part, cohort.intervisie.attendance.whole) == (1, 2)


def test_period_selects_cohorts_that_ran_in_it(client, hr, world):
    today = timezone.localdate()
    response = _dashboard(
        client,
        hr,
        period_from=(today - datetime.timedelta(days=15)).isoformat(),
        period_to=today.isoformat(),
    )
    assert response.status_code == 200
    shown = {c.pk for c in response.context["dashboard"].cohorts}
    assert shown == {world.running.pk}
    cohort = _cohort(response, world.running)
    # Only the second bijeenkomst started in the period.
    assert [b.pk for b in cohort.bijeenkomsten] == [world.held[1].pk]
    assert cohort.intervisie.sessions == 1


def test_dutch_dates_are_read_too(client, hr, world):
    today = timezone.localdate()
    response = _dashboard(client, hr, period_from=today.strftime("%d-%m-%Y"))
    assert response.status_code == 200


def test_cohort_filter(client, hr, world):
    response = _dashboard(client, hr, cohort=world.finished.pk)
    assert [c.pk for c in response.context["dashboard"].cohorts] == [world.finished.pk]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period_from": "gisteren"}, "period_from", "Vul een datum in"),
        ({"period_to": "2026-02-30"}, "period_to", "Vul een datum in"),
        ({"period_from": "9999-12-31"}, "period_from", "Kies een datum tussen"),
        (
            {"period_from": "2026-06-01", "period_to": "2026-01-01"},
            "period_to",
            "Het einde van de periode ligt voor het begin.",
        ),
        ({"cohort": "abc"}, "cohort", "Kies een van de mogelijkheden"),
        ({"cohort": "٣"}, "cohort", "Kies een van de mogelijkheden"),
        ({"leergang": "99999999999999999999999"}, "leergang", "Kies een van de mogelijkheden"),
        ({"department": "Onbekend"}, "department", "Kies een van de mogelijkheden"),
    ],
)
def test_bad_filter_values_get_a_dutch_message_and_400(client, hr, world, params, field, message):
    response = _dashboard(client, hr, **params)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()


def test_a_cohort_of_another_leergang_is_refused(client, hr, world):
    response = _dashboard(client, hr, leergang=world.running.leergang_id, cohort=world.finished.pk)
    assert response.status_code == 400
    assert "hoort niet bij de gekozen leergang" in response.content.decode()


def test_another_organisations_cohort_by_url_tampering(client, hr, world):
    response = _dashboard(client, hr, cohort=world.other_cohort.pk)
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden" in response.content.decode()
    assert world.other_cohort.pk not in {c.pk for c in response.context["dashboard"].cohorts}
    assert "Nijmegen" not in response.content.decode().replace(hr.organisation.name, "")


def test_nijmegens_hr_sees_none_of_utrecht(client, outsider_hr, world, nijmegen):
    response = _dashboard(client, outsider_hr)
    cohorts = {c.pk: c for c in response.context["dashboard"].cohorts}
    # Nijmegen's people are in the running cohort too: there it sees its own two only.
    assert cohorts[world.running.pk].states.enrolled == 2
    assert cohorts[world.running.pk].states.total == 2
    assert world.finished.pk not in cohorts
    # Utrecht's department names are not Nijmegen's choices.
    assert [name for name, _label in response.context["form"].fields["department"].choices] == [
        "",
        "Ruimte",
    ]
    response = _dashboard(client, outsider_hr, cohort=world.finished.pk)
    assert response.status_code == 400
    response = _dashboard(client, outsider_hr, department="Sociaal")
    assert response.status_code == 400
    assert response.context["dashboard"].cohorts[0].states.total == 2  # unfiltered, own only


def test_filter_choices_are_the_organisations_own(client, hr, world):
    form = _dashboard(client, hr).context["form"]
    cohort_ids = {value for value, _label in form.fields["cohort"].choices if value}
    assert cohort_ids == {str(c.pk) for c in (world.running, world.upcoming, world.finished)}
    assert [v for v, _label in form.fields["department"].choices] == ["", "Ruimte", "Sociaal"]


# --- evaluations and their threshold -------------------------------------------------------


def test_four_answers_are_too_few_five_show_the_average(client, hr, world, utrecht, nijmegen):
    answers(world.running, utrecht, 4, grade=9)
    answers(world.running, nijmegen, 3, grade=1)  # another organisation's: never counted
    response = _dashboard(client, hr)
    cohort = _cohort(response, world.running)
    assert not cohort.evaluation.leergang.enough
    assert cohort.evaluation.leergang.grade is None
    page = response.content.decode()
    assert "te weinig reacties" in page
    answers(world.running, utrecht, 1, grade=4, recommendation=3)
    cohort = _cohort(_dashboard(client, hr), world.running)
    figures = cohort.evaluation.leergang
    expected_grade, expected_nps = _sql(
        """
        SELECT round(avg(grade)::numeric, 1),
               round(100.0 * (count(*) FILTER (WHERE recommendation >= 9)
                              - count(*) FILTER (WHERE recommendation <= 6)) / count(*))
        FROM evaluations_answer WHERE cohort_id = %s AND organisation_id = %s AND kind = %s
        """,
        world.running.pk,
        utrecht.pk,
        Kind.LEERGANG,
    )[0]
    assert figures.enough and figures.count == 5
    assert figures.grade == float(expected_grade) == 8.0
    assert figures.nps == int(expected_nps) == 60


def test_too_few_answers_leak_no_average_in_the_exports(client, hr, world, utrecht):
    answers(world.running, utrecht, 4, grade=3, recommendation=2)
    client.force_login(hr)
    rows = _csv_rows(client.get(reverse("hr:dashboard-export", args=["csv"])))
    evaluation = [
        r for r in rows if len(r) > 3 and r[1] == "Voorjaar" and r[2] == "Einde van de leergang"
    ]
    assert evaluation and evaluation[0][3] == "te weinig reacties"
    assert all(cell in ("", "te weinig reacties") for cell in evaluation[0][4:])
    sheet = _workbook(client.get(reverse("hr:dashboard-export", args=["xlsx"])))["Evaluaties"]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[1] == "Voorjaar":
            assert row[3] == "te weinig reacties" and row[4:] == (None, None, None)


# --- exports -------------------------------------------------------------------------------


def _csv_rows(response):
    assert response.status_code == 200
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # a byte order mark for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_xlsx_export_has_dutch_sheets_headers_and_the_pages_figures(client, hr, world):
    client.force_login(hr)
    page = client.get(reverse(DASHBOARD)).context["dashboard"]
    response = client.get(reverse("hr:dashboard-export", args=["xlsx"]))
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "gemeente-utrecht" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    book = _workbook(response)
    assert book.sheetnames == [
        "Export",
        "Inschrijvingen",
        "Aanwezigheid",
        "Modules",
        "Intervisie",
        "Coaching",
        "Evaluaties",
        "Trend",
    ]
    sheet = book["Inschrijvingen"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Leergang",
        "Uitvoering",
        "Begint op",
        "Eindigt op",
        "Wacht op goedkeuring",
        "Op de wachtlijst",
        "Ingeschreven",
        "Afgerond",
        "Geannuleerd",
        "Afgewezen",
        "Totaal",
    ]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    running = next(c for c in page.cohorts if c.pk == world.running.pk)
    assert rows["Voorjaar"][6:11] == (
        running.states.enrolled,
        running.states.completed,
        running.states.cancelled,
        running.states.rejected,
        running.states.total,
    )
    start = sheet.cell(row=2, column=3)
    assert isinstance(start.value, datetime.datetime) and start.number_format == "dd-mm-yyyy"
    attendance = book["Aanwezigheid"]
    assert [c.value for c in attendance[1]] == [
        "Leergang",
        "Uitvoering",
        "Bijeenkomst",
        "Datum",
        "Aanwezig",
        "Met een plaats",
        "Percentage",
    ]
    got = [row[4:7] for row in attendance.iter_rows(min_row=2, values_only=True)]
    expected = [
        (b.attendance.part, b.attendance.whole, b.attendance.percent)
        for c in page.cohorts
        for b in c.bijeenkomsten
    ]
    assert sorted(got) == sorted(expected)
    trend = list(book["Trend"].iter_rows(min_row=2, values_only=True))
    assert trend == [(q.label, q.enrolments, q.completions) for q in page.trend]


def test_csv_export_is_dutch_excel_and_matches_the_page(client, hr, world):
    client.force_login(hr)
    page = client.get(reverse(DASHBOARD)).context["dashboard"]
    response = client.get(reverse("hr:dashboard-export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = _csv_rows(response)
    header = rows.index(["Inschrijvingen"]) + 1
    assert rows[header][:4] == ["Leergang", "Uitvoering", "Begint op", "Eindigt op"]
    voorjaar = next(r for r in rows[header:] if r[1:2] == ["Voorjaar"])
    assert re.fullmatch(r"\d\d-\d\d-\d{4}", voorjaar[2])
    assert voorjaar[2] == world.running.starts_on.strftime("%d-%m-%Y")
    running = next(c for c in page.cohorts if c.pk == world.running.pk)
    assert [int(n) for n in voorjaar[4:11]] == [
        running.states.requested,
        running.states.waitlisted,
        running.states.enrolled,
        running.states.completed,
        running.states.cancelled,
        running.states.rejected,
        running.states.total,
    ]


def test_exports_keep_the_filters_and_the_scope(client, hr, outsider_hr, world):
    client.force_login(hr)
    rows = _csv_rows(
        client.get(reverse("hr:dashboard-export", args=["csv"]), {"department": "Sociaal"})
    )
    assert ["Afdeling", "Sociaal"] in rows
    client.force_login(outsider_hr)
    response = client.get(
        reverse("hr:dashboard-export", args=["csv"]), {"cohort": world.finished.pk}
    )
    assert response.status_code == 400
    assert "attachment" not in response.get("Content-Disposition", "")
    rows = _csv_rows(client.get(reverse("hr:dashboard-export", args=["csv"])))
    text = "\n".join(";".join(r) for r in rows)
    assert "Vorig jaar" not in text  # Utrecht's cohort only
    voorjaar = next(r for r in rows if r[1:2] == ["Voorjaar"] and len(r) == 11)
    assert voorjaar[-1] == "2"  # Nijmegen's own two, not Utrecht's five


def test_a_cohort_named_like_a_formula_stays_text(client, hr, world):
    world.finished.name = '=HYPERLINK("http://x")'
    world.finished.save()
    client.force_login(hr)
    rows = _csv_rows(client.get(reverse("hr:dashboard-export", args=["csv"])))
    assert any(r[1:2] == ['\'=HYPERLINK("http://x")'] for r in rows)
    sheet = _workbook(client.get(reverse("hr:dashboard-export", args=["xlsx"])))["Inschrijvingen"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


# --- the page itself -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [DASHBOARD, "hr:report"])
def test_charts_are_images_of_the_portal_with_their_figures_in_words(
    client, hr, outsider_hr, participant, world, name
):
    client.force_login(hr)
    page = client.get(reverse(name)).content.decode()
    images = re.findall(r'<img class="chart-image" src="([^"]+)" alt="([^"]+)"', page)
    assert len(images) >= 4
    assert "<svg" not in page and "style=" not in page and "<script>" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for src, alt in images:
        assert "." in alt and any(character.isdigit() for character in alt)
        response = client.get(src)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        svg = response.content.decode()
        root = ET.fromstring(svg)
        chart_id = root.get("id")
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        assert "<style" not in svg and "<script" not in svg and "style=" not in svg
        assert 'fill="#154273"' in svg  # coloured in the image itself, not by the page
    # Another organisation's HR, a participant of the same organisation, nobody signed in.
    src = images[0][0]
    for other in (outsider_hr, participant):
        client.force_login(other)
        assert client.get(src).status_code == 404
    client.logout()
    assert client.get(src).status_code == 302


def test_a_chart_the_cache_lost_is_not_found_and_the_page_draws_it_again(client, hr, world):
    client.force_login(hr)
    src = re.search(
        r'<img class="chart-image" src="([^"]+)"', client.get(reverse(DASHBOARD)).content.decode()
    )[1]
    cache.clear()
    assert client.get(src).status_code == 404
    client.get(reverse(DASHBOARD))
    assert client.get(src).status_code == 200


def test_report_is_printable(client, hr, world):
    client.force_login(hr)
    response = client.get(reverse("hr:report"), {"department": "Ruimte"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'media="print"' in page and "print.css" in page
    assert "Ctrl+P" in page
    assert "Afdeling: Ruimte" in page


def test_empty_organisation_gets_a_page_not_an_error(client, outsider_hr):
    response = _dashboard(client, outsider_hr)
    assert response.status_code == 200
    assert "chart-image" not in response.content.decode()


# --- queries ------------------------------------------------------------------------------


def _count(client, name, args=(), *, computed=True):
    if computed:
        cache.clear()  # the figures computed, not read back from hr.summary's cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (DASHBOARD, ()),
        ("hr:report", ()),
        ("hr:dashboard-export", ["csv"]),
        ("hr:dashboard-export", ["xlsx"]),
    ],
)
def test_queries_do_not_grow_with_the_data(client, hr, utrecht, nijmegen, name, args):
    build_world(utrecht, nijmegen, scale=1)
    client.force_login(hr)
    client.get(reverse(name, args=args))  # warm the session and caches
    few = _count(client, name, args)
    few_stored = _count(client, name, args, computed=False)
    build_world(utrecht, nijmegen, scale=10, tag=" (groot)")
    many = _count(client, name, args)
    many_stored = _count(client, name, args, computed=False)
    print(
        f"{name} {args}: {few} queries at 1x, {many} at 10x; "
        f"{few_stored} and {many_stored} with the figures kept"
    )
    # An export writes its record in the audit trail: one query more.
    recorded = 1 if name == "hr:dashboard-export" else 0
    assert many == few
    assert few <= 15 + recorded
    # Kept: the session, the user, their roles and organisation; the figures are cached.
    assert many_stored == few_stored <= 4 + recorded
