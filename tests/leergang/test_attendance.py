"""Attendance counts only bijeenkomsten that have been held, by one definition that every
page shows the same way ("X van Y")."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leergang import selectors, services
from leergang.models import Attendance, AttendanceRate, Enrolment
from tests.factories import BijeenkomstFactory, CohortFactory, EnrolmentFactory, UserFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db
State = Enrolment.State
PRESENT, ABSENT, EXCUSED = Attendance.Status.values


@pytest.fixture
def course(trainer, participant, utrecht, clock):
    """Five bijeenkomsten a week apart from tomorrow; no reflections needed, 60% present
    completes (3 of the 5)."""
    cohort = CohortFactory(
        trainers=[trainer], reflections_required=False, min_attendance_percent=60
    )
    start = clock.now + timedelta(days=1)
    bijeenkomsten = [
        BijeenkomstFactory(cohort=cohort, starts_at=start + timedelta(weeks=week))
        for week in range(5)
    ]
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    return cohort, bijeenkomsten, enrolment


def _record(bijeenkomst, trainer, enrolment, status, reason=""):
    return services.attendance_record(
        bijeenkomst=bijeenkomst, by=trainer, entries={enrolment.pk: (status, reason)}
    )


# --- item 1: no attendance for the future ---------------------------------------------------


@pytest.mark.parametrize("status", [PRESENT, ABSENT])
def test_present_or_absent_before_the_start_is_refused_in_dutch_and_saves_nothing(
    course, trainer, status
):
    _cohort, bijeenkomsten, enrolment = course
    with pytest.raises(ValidationError, match="nog niet|begint op"):
        _record(bijeenkomsten[0], trainer, enrolment, status)
    assert not Attendance.objects.exists()


def test_a_mixed_sheet_before_the_start_is_refused_as_a_whole(course, trainer):
    cohort, bijeenkomsten, enrolment = course
    other = EnrolmentFactory(cohort=cohort)
    with pytest.raises(ValidationError):
        services.attendance_record(
            bijeenkomst=bijeenkomsten[0],
            by=trainer,
            entries={other.pk: (EXCUSED, "Ziek"), enrolment.pk: (PRESENT, "")},
        )
    assert not Attendance.objects.exists()


def test_the_trainer_can_still_record_an_afmelding_in_advance_and_clear_it(course, trainer):
    _cohort, bijeenkomsten, enrolment = course
    _record(bijeenkomsten[0], trainer, enrolment, EXCUSED, "Raadsvergadering")
    assert Attendance.objects.get().status == EXCUSED
    _record(bijeenkomsten[0], trainer, enrolment, "")
    assert not Attendance.objects.exists()


def test_from_the_start_every_status_can_be_recorded(course, trainer, clock):
    _cohort, bijeenkomsten, enrolment = course
    clock.now = bijeenkomsten[0].starts_at
    _record(bijeenkomsten[0], trainer, enrolment, PRESENT)
    assert Attendance.objects.get().status == PRESENT


def test_the_form_before_the_start_offers_only_an_afmelding(client, course, trainer):
    _cohort, bijeenkomsten, enrolment = course
    client.force_login(trainer)
    page = client.get(reverse("leergang:attendance-edit", args=[bijeenkomsten[0].pk]))
    text = page.content.decode()
    assert "nog niet begonnen" in text
    assert f'name="status_{enrolment.pk}" ' in text
    assert 'value="present"' not in text and 'value="absent"' not in text
    assert 'value="excused"' in text
    manage = client.get(reverse("leergang:cohort-manage", args=[enrolment.cohort_id]))
    assert "Afmelding vastleggen" in manage.content.decode()


def test_posting_present_before_the_start_shows_the_error_at_the_field(client, course, trainer):
    _cohort, bijeenkomsten, enrolment = course
    client.force_login(trainer)
    response = client.post(
        reverse("leergang:attendance-edit", args=[bijeenkomsten[0].pk]),
        {f"status_{enrolment.pk}": PRESENT},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "alleen vastleggen dat iemand zich heeft afgemeld" in text
    # The error summary links to the participant's fieldset, which holds the message.
    assert f'href="#id_status_{enrolment.pk}"' in text
    assert f'<fieldset id="id_status_{enrolment.pk}"' in text
    assert 'aria-invalid="true"' in text
    assert not Attendance.objects.exists()


def test_the_form_before_the_start_saves_afmeldingen_and_leaves_the_rest_open(
    client, course, trainer
):
    cohort, bijeenkomsten, enrolment = course
    other = EnrolmentFactory(cohort=cohort)
    client.force_login(trainer)
    response = client.post(
        reverse("leergang:attendance-edit", args=[bijeenkomsten[0].pk]),
        {f"status_{other.pk}": EXCUSED, f"reason_{other.pk}": "Ziek"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", "status")) == [(other.pk, EXCUSED)]


def test_a_present_recorded_in_advance_counts_nowhere_and_completes_nobody(
    client, course, trainer, hr
):
    """Rows written before this rule (or by the admin) in the future are not attendance."""
    _cohort, bijeenkomsten, enrolment = course
    for bijeenkomst in bijeenkomsten:
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomst, status=PRESENT)
    assert services.enrolment_check_completion(enrolment=enrolment) is False
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED and not enrolment.certificate_code
    assert enrolment.attendance == AttendanceRate(attended=0, held=0, planned=5)
    client.force_login(hr)
    hr_page = client.get(reverse("hr:people")).content.decode()
    assert '<td class="attendance"><span class="text-body-secondary">nog niets gehouden' in hr_page
    client.force_login(trainer)
    matrix = client.get(reverse("leergang:cohort-manage", args=[enrolment.cohort_id]))
    row = _row_of(matrix.content.decode(), enrolment.participant)
    assert 'aria-label="aanwezig"' not in row and "<td>0 van 0</td>" in row
    client.force_login(enrolment.participant)
    detail = client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk]))
    assert "<td>Aanwezig" not in detail.content.decode()


def test_completion_waits_until_enough_bijeenkomsten_have_been_held(course, trainer, clock):
    _cohort, bijeenkomsten, enrolment = course
    for bijeenkomst in bijeenkomsten[:2]:
        clock.now = bijeenkomst.starts_at + timedelta(minutes=5)
        _record(bijeenkomst, trainer, enrolment, PRESENT)
    enrolment.refresh_from_db()
    # 2 of 2 held is 100%, but completion asks 60% of all 5 planned: 3.
    assert enrolment.state == State.ENROLLED
    assert enrolment.attendance == AttendanceRate(attended=2, held=2, planned=5)
    clock.now = bijeenkomsten[2].starts_at + timedelta(minutes=5)
    _record(bijeenkomsten[2], trainer, enrolment, PRESENT)
    enrolment.refresh_from_db()
    assert enrolment.state == State.COMPLETED


# --- item 2: one definition, the same figure everywhere --------------------------------------


def _independent_figures(enrolment, now):
    """Attended of held, counted by hand from the rows: the cross-check."""
    held = [b for b in enrolment.cohort.bijeenkomsten.all() if b.starts_at <= now]
    attended = 0
    for row in Attendance.objects.filter(enrolment=enrolment):
        if row.status == PRESENT and row.bijeenkomst in held:
            attended += 1
    return attended, len(held)


def _row_of(page, person):
    """The table row that starts with this person's name."""
    name = escape(person.get_full_name())
    match = re.search(r"<tr>\s*<th scope=\"row\">" + re.escape(name) + r".*?</tr>", page, re.S)
    assert match, person
    return match.group(0)


def test_every_page_shows_the_same_attendance_figure_as_a_count_by_hand(
    client, course, trainer, participant, hr, clock, utrecht
):
    cohort, bijeenkomsten, enrolment = course
    colleague = EnrolmentFactory(cohort=cohort, participant=UserFactory(organisation=utrecht))
    plan = {
        enrolment: [PRESENT, ABSENT, PRESENT],
        colleague: [EXCUSED, PRESENT, PRESENT],
    }
    for index, bijeenkomst in enumerate(bijeenkomsten[:3]):
        clock.now = bijeenkomst.starts_at + timedelta(hours=1)
        for person, statuses in plan.items():
            _record(bijeenkomst, trainer, person, statuses[index])
    # A present recorded for a later bijeenkomst (before the rule) must not show anywhere.
    Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomsten[4], status=PRESENT)
    clock.now = bijeenkomsten[3].starts_at + timedelta(hours=1)  # 4 held, 1 to come

    for person in (enrolment, colleague):
        attended, held = _independent_figures(person, clock.now)
        assert (attended, held) == ((2, 4) if person == enrolment else (2, 4))
        figure = f"{attended} van {held}"

        client.force_login(trainer)
        matrix = client.get(reverse("leergang:cohort-manage", args=[cohort.pk])).content.decode()
        assert f"<td>{figure}</td>" in _row_of(matrix, person.participant)

        client.force_login(hr)
        overview = client.get(reverse("hr:people")).content.decode()
        percent = round(attended * 100 / held)
        assert (
            f'<td class="attendance">{percent}%<br><span class="small">{figure}</span>'
            in _row_of(overview, person.participant)
        )

        client.force_login(person.participant)
        for url in (
            reverse("leergang:enrolment-detail", args=[person.pk]),
            reverse("leergang:my-leergang"),
        ):
            assert f"Aanwezig: {figure} bijeenkomsten" in client.get(url).content.decode()

        (overview_,) = selectors.participant_enrolments(person.participant, pk=person.pk)
        assert overview_.completion["attendance"] == AttendanceRate(
            attended=attended, held=held, planned=5
        )
        plain = Enrolment.objects.get(pk=person.pk)
        assert services.completion_status(plain)["attendance"] == overview_.completion["attendance"]


def test_no_figure_ever_shows_more_attended_than_held(course, trainer, clock):
    _cohort, bijeenkomsten, enrolment = course
    for bijeenkomst in bijeenkomsten:
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomst, status=PRESENT)
    for _week in range(7):
        rate = Enrolment.objects.with_attendance().get(pk=enrolment.pk).attendance
        assert rate.attended <= rate.held <= rate.planned
        clock.travel(weeks=1)


def test_the_hr_overview_keeps_its_query_count_with_attendance(client, hr, utrecht):
    def grow(size):
        for _ in range(size):
            cohort = CohortFactory(
                bijeenkomsten=2, starts_on=timezone.localdate() - timedelta(days=60)
            )
            for _n in range(2):
                enrolment = EnrolmentFactory(
                    cohort=cohort, participant=UserFactory(organisation=utrecht)
                )
                for bijeenkomst in cohort.bijeenkomsten.all():
                    Attendance.objects.create(
                        enrolment=enrolment, bijeenkomst=bijeenkomst, status=PRESENT
                    )

    grow(1)
    client.force_login(hr)
    url = reverse("hr:people")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count('<td class="attendance">100%<br><span class="small">2 van 2</span>') == 22


def test_the_enrolment_page_queries_do_not_grow_with_bijeenkomsten(client, participant, clock):
    small = EnrolmentFactory(participant=participant, cohort=CohortFactory(bijeenkomsten=1))
    large = EnrolmentFactory(
        participant=participant, cohort=CohortFactory(bijeenkomsten=2, leergang__module_count=2)
    )
    for _ in range(18):
        BijeenkomstFactory(cohort=large.cohort, starts_at=timezone.now() + timedelta(days=40))
    clock.travel(days=100)
    client.force_login(participant)
    counts = []
    for enrolment in (small, large):
        counts.append(
            page_query_count(client, reverse("leergang:enrolment-detail", args=[enrolment.pk]))
        )
    assert counts[0] == counts[1]


def _sheet_queries(bijeenkomst, trainer, enrolments):
    with CaptureQueriesContext(connection) as queries:
        services.attendance_record(
            bijeenkomst=bijeenkomst,
            by=trainer,
            entries={enrolment.pk: (PRESENT, "") for enrolment in enrolments},
        )
    # Everything but the writing of each person's attendance row (update_or_create: a
    # locked read and the insert or update, each in a savepoint).
    return [
        query["sql"]
        for query in queries.captured_queries
        if "leergang_attendance" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]


def test_a_sheet_completes_those_who_meet_the_rule_with_one_check_for_all(course, trainer, clock):
    """Saving a sheet checks completion for everyone on it in a fixed number of queries:
    what grows with the sheet is only the writing of each person's row."""
    cohort, bijeenkomsten, _enrolment = course
    others = [EnrolmentFactory(cohort=cohort) for _ in range(12)]
    clock.now = bijeenkomsten[4].starts_at + timedelta(hours=1)
    # Three people were at the first two; the fifth bijeenkomst brings them to 3 of 5 (60%).
    ready = others[:3]
    for bijeenkomst in bijeenkomsten[:2]:
        services.attendance_record(
            bijeenkomst=bijeenkomst, by=trainer, entries={e.pk: (PRESENT, "") for e in ready}
        )
    few = _sheet_queries(bijeenkomsten[2], trainer, others[3:5])
    many = _sheet_queries(bijeenkomsten[3], trainer, others[3:12])
    assert len(many) == len(few) == 3, many  # the sheet's people, modules, reflections
    # Nobody completed so far: 2 (or 3) of 5 held, with the fifth not yet recorded.
    assert not Enrolment.objects.filter(state=State.COMPLETED).exists()

    services.attendance_record(
        bijeenkomst=bijeenkomsten[4],
        by=trainer,
        entries={e.pk: (PRESENT, "") for e in [*ready, others[3]]},
    )
    completed = set(Enrolment.objects.filter(state=State.COMPLETED).values_list("pk", flat=True))
    # others[3] was at bijeenkomsten 2, 3 and 4: also 3 of 5.
    assert completed == {e.pk for e in [*ready, others[3]]}
    assert all(e.certificate_code for e in Enrolment.objects.filter(pk__in=completed))
