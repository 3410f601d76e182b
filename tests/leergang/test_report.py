"""The programme office's report: every figure it shows against a second computation in
plain Python over the rows, the anonymity threshold, the filters and their refusals, the
XLSX read back, the query count as the data grows tenfold, and who may open it."""

import io
import statistics
from collections import defaultdict
from datetime import date, timedelta

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Answer, Kind
from leergang import report
from leergang.models import (
    SEAT_STATES,
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    Interest,
    LeergangModule,
    MakeUpRequest,
)
from portal.models import AuditEvent, Role
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    LeergangFactory,
    UserFactory,
)
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

State = Enrolment.State
URL = reverse("leergang:office-report")
EXPORT = reverse("leergang:office-report-export")


def _trainer(first, last):
    return UserFactory(roles=[Role.TRAINER], first_name=first, last_name=last)


def _answer(cohort, *, kind=Kind.BIJEENKOMST, bijeenkomst=None, grade=8, recommendation=9):
    return Answer.objects.create(
        kind=kind,
        leergang_id=cohort.leergang_id,
        cohort=cohort,
        bijeenkomst=bijeenkomst,
        module_id=bijeenkomst.module_id if bijeenkomst else None,
        answered_on=timezone.localdate(),
        grade=grade,
        recommendation=recommendation,
    )


def _past(cohort, *days_ago):
    """Move the cohort's bijeenkomsten (in order) to ``days_ago`` days before now (a
    negative number: still to come)."""
    bijeenkomsten = list(cohort.bijeenkomsten.order_by("starts_at"))
    for bijeenkomst, days in zip(bijeenkomsten, days_ago, strict=True):
        bijeenkomst.starts_at = timezone.now() - timedelta(days=days)
        bijeenkomst.ends_at = bijeenkomst.starts_at + timedelta(hours=3)
        bijeenkomst.save()
    return bijeenkomsten


def build_world(*, prefix="", leergang=None, trainers=None):
    """A finished cohort and a running one of one leergang, a future cohort of another,
    interest in both leergangen, make-up sessions and evaluation answers on both sides of
    the threshold. Returns the objects by name."""
    today = timezone.localdate()
    leergang = leergang or LeergangFactory(title=f"{prefix}Omgevingsprofessional", module_count=2)
    other = LeergangFactory(title=f"{prefix}Urban Professional", module_count=2)
    first, second = trainers or (_trainer("Ilse", "de Wit"), _trainer("Ruud", "Bakker"))
    finished = CohortFactory(
        leergang=leergang,
        name=f"{prefix}Voorjaar",
        starts_on=today - timedelta(days=120),
        ends_on=today - timedelta(days=10),
        seats=10,
        trainers=[first],
        bijeenkomsten=2,
    )
    a1, a2 = _past(finished, 100, 40)
    running = CohortFactory(
        leergang=leergang,
        name=f"{prefix}Najaar",
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=100),
        seats=4,
        trainers=[first, second],
        bijeenkomsten=2,
    )
    b1, _b2 = _past(running, 10, -20)
    future = CohortFactory(
        leergang=other, name=f"{prefix}Later", starts_on=today + timedelta(days=60), seats=8
    )
    people = {}
    for index, state in enumerate(
        [State.COMPLETED] * 3 + [State.ENROLLED] * 2 + [State.WAITLISTED, State.OFFERED]
    ):
        people[f"a{index}"] = EnrolmentFactory(cohort=finished, state=state)
    EnrolmentFactory(cohort=finished, state=State.CANCELLED)
    for index in range(4):
        people[f"b{index}"] = EnrolmentFactory(cohort=running, state=State.ENROLLED)
    for _n in range(2):
        EnrolmentFactory(cohort=running, state=State.WAITLISTED)
    EnrolmentFactory(cohort=future, state=State.REQUESTED)
    present = Attendance.Status.PRESENT
    for key in ("a0", "a1", "a2", "a3"):
        Attendance.objects.create(enrolment=people[key], bijeenkomst=a1, status=present)
    for key in ("a0", "a1", "a2"):
        Attendance.objects.create(enrolment=people[key], bijeenkomst=a2, status=present)
    Attendance.objects.create(enrolment=people["a3"], bijeenkomst=a2, status="absent")
    Attendance.objects.create(enrolment=people["b0"], bijeenkomst=b1, status=present)
    Attendance.objects.create(enrolment=people["b1"], bijeenkomst=b1, status="excused")
    # a4 missed the first bijeenkomst and made it up in the running cohort (attended);
    # b1 was excused and has one approved that she did not attend, b2 one still asked.
    Attendance.objects.create(enrolment=people["a4"], bijeenkomst=a1, status="absent")
    MakeUpRequest.objects.create(
        enrolment=people["a4"], missed=a1, bijeenkomst=b1, state="approved"
    )
    Attendance.objects.create(enrolment=people["a4"], bijeenkomst=b1, status=present)
    other_b = BijeenkomstFactory(cohort=future, module=b1.module)
    MakeUpRequest.objects.create(
        enrolment=people["b1"], missed=b1, bijeenkomst=other_b, state="approved"
    )
    MakeUpRequest.objects.create(
        enrolment=people["b2"], missed=b1, bijeenkomst=other_b, state="requested"
    )
    for region in ("utrecht", "utrecht", ""):
        Interest.objects.create(leergang=leergang, participant=UserFactory(), region=region)
    for region in ("gelderland", "online"):
        Interest.objects.create(leergang=other, participant=UserFactory(), region=region)
    # The finished cohort's end evaluation: 3 answers (enough); its first module: 4 answers
    # (enough); its second: 2 (too few); the running cohort's first: 1.
    for grade, recommendation in ((8, 9), (7, 6), (9, 10)):
        _answer(finished, kind=Kind.LEERGANG, grade=grade, recommendation=recommendation)
    for grade, recommendation in ((8, 9), (6, 5), (9, 10), (7, 8)):
        _answer(finished, bijeenkomst=a1, grade=grade, recommendation=recommendation)
    for grade in (5, 10):
        _answer(finished, bijeenkomst=a2, grade=grade, recommendation=7)
    _answer(running, bijeenkomst=b1, grade=4, recommendation=3)
    return {
        "leergang": leergang,
        "other": other,
        "finished": finished,
        "running": running,
        "future": future,
        "trainers": (first, second),
    }


@pytest.fixture
def world():
    return build_world()


# --- the second computation: plain Python over the rows -------------------------------------


def _python_attendance(enrolment, now):
    """Attended of held for one enrolment, as ``AttendanceRate`` defines it, by loops."""
    own = list(Bijeenkomst.objects.filter(cohort=enrolment.cohort_id))
    attended = [
        a
        for a in Attendance.objects.filter(enrolment=enrolment).select_related("bijeenkomst")
        if a.status == "present" and a.bijeenkomst.starts_at <= now
    ]
    credited = {
        a.bijeenkomst.module_id
        for a in attended
        if a.bijeenkomst.cohort_id != enrolment.cohort_id and a.bijeenkomst.module_id
    }
    here = {a.bijeenkomst_id for a in attended}
    held = sum(1 for b in own if b.starts_at <= now or b.module_id in credited)
    went = sum(1 for b in own if b.pk in here or b.module_id in credited)
    return went, held


def _python_figures(answers, minimum):
    """(count, grade, recommendation, nps) of answer rows, or (count, None...) below the
    minimum."""
    count = len(answers)
    if count < minimum:
        return (count, None, None, None)
    promoters = sum(1 for a in answers if a.recommendation >= 9)
    detractors = sum(1 for a in answers if a.recommendation <= 6)
    return (
        count,
        round(statistics.mean(a.grade for a in answers), 1),
        round(statistics.mean(a.recommendation for a in answers), 1),
        round(100 * (promoters - detractors) / count),
    )


def _shown(figures):
    return (figures.count, figures.grade, figures.recommendation, figures.nps)


def python_report(filters: report.Filters):
    """Every figure of the report, computed again one row at a time."""
    now = timezone.now()
    today = timezone.localdate()
    minimum = settings.EVALUATION_TRAINER_MIN
    cohorts = [
        c
        for c in Cohort.objects.select_related("leergang")
        if (not filters.leergang or c.leergang_id == filters.leergang)
        and (not filters.starts_from or c.starts_on >= filters.starts_from)
        and (not filters.starts_to or c.starts_on <= filters.starts_to)
    ]
    result = {"cohorts": {}, "leergangen": defaultdict(dict)}
    answers = list(Answer.objects.all())
    for cohort in cohorts:
        enrolments = list(Enrolment.objects.filter(cohort=cohort))
        seated = [e for e in enrolments if e.state in SEAT_STATES]
        attendance = [_python_attendance(e, now) for e in seated]
        make_ups = [
            m
            for m in MakeUpRequest.objects.all()
            if m.state == "approved" and m.enrolment.cohort_id == cohort.pk
        ]
        attended_make_ups = [
            m
            for m in make_ups
            if m.bijeenkomst.starts_at <= now
            and any(
                a.status == "present"
                for a in Attendance.objects.filter(
                    enrolment=m.enrolment_id, bijeenkomst=m.bijeenkomst_id
                )
            )
        ]
        result["cohorts"][cohort.pk] = {
            "seats": cohort.seats,
            "enrolled": len(seated),
            "completed": sum(1 for e in enrolments if e.state == State.COMPLETED),
            "waiting": sum(1 for e in enrolments if e.state in ("waitlisted", "offered")),
            "attendance": (sum(a for a, _h in attendance), sum(h for _a, h in attendance)),
            "make_ups": (len(make_ups), len(attended_make_ups)),
            "finished": cohort.ends_on < today,
            "evaluation": _python_figures(
                [a for a in answers if a.cohort_id == cohort.pk and a.kind == Kind.LEERGANG],
                minimum,
            ),
        }
    chosen = {c.pk for c in cohorts}
    about_bijeenkomsten = [
        a for a in answers if a.kind == Kind.BIJEENKOMST and a.cohort_id in chosen
    ]
    for leergang_id in {c.leergang_id for c in cohorts}:
        per_module, per_trainer = defaultdict(list), defaultdict(list)
        for answer in about_bijeenkomsten:
            cohort = Cohort.objects.get(pk=answer.cohort_id)
            if cohort.leergang_id != leergang_id:
                continue
            if answer.module_id:
                per_module[answer.module.title].append(answer)
            for trainer in cohort.trainers.all():
                per_trainer[trainer.get_full_name()].append(answer)
        leergang = result["leergangen"][leergang_id]
        leergang["modules"] = {
            link.module.title: _python_figures(per_module.get(link.module.title, []), minimum)
            for link in LeergangModule.objects.filter(leergang_id=leergang_id)
        }
        leergang["trainers"] = {
            name: _python_figures(rows, minimum) for name, rows in per_trainer.items()
        }
    for interest in Interest.objects.all():
        if not filters.leergang or interest.leergang_id == filters.leergang:
            counts = result["leergangen"][interest.leergang_id].setdefault("interest", {})
            label = interest.get_region_display() or "Geen voorkeur"
            counts[label] = counts.get(label, 0) + 1
    return result


def assert_matches(figures: report.Report, expected):
    """Every figure of ``figures`` equals the Python computation, and nothing is missing."""
    assert {c.pk for c in figures.cohorts} == set(expected["cohorts"])
    for cohort in figures.cohorts:
        want = expected["cohorts"][cohort.pk]
        assert cohort.seats == want["seats"]
        assert cohort.enrolled == want["enrolled"]
        assert cohort.fill.part == want["enrolled"] and cohort.fill.whole == want["seats"]
        assert cohort.completed_count == want["completed"]
        assert cohort.waiting == want["waiting"]
        assert (cohort.attendance.part, cohort.attendance.whole) == want["attendance"]
        assert (cohort.make_ups, cohort.make_ups_attended) == want["make_ups"]
        assert cohort.finished == want["finished"]
        if want["finished"]:
            assert (cohort.completion.part, cohort.completion.whole) == (
                want["completed"],
                want["enrolled"],
            )
        else:
            assert cohort.completion is None
        assert _shown(cohort.evaluation) == want["evaluation"]
    assert {leergang.pk for leergang in figures.leergangen} == set(expected["leergangen"])
    for leergang in figures.leergangen:
        want = expected["leergangen"][leergang.pk]
        cohorts = [expected["cohorts"][c.pk] for c in leergang.cohorts]
        assert leergang.seats == sum(c["seats"] for c in cohorts)
        assert leergang.enrolled == sum(c["enrolled"] for c in cohorts)
        assert leergang.waiting == sum(c["waiting"] for c in cohorts)
        assert leergang.completed_count == sum(c["completed"] for c in cohorts)
        assert (leergang.attendance.part, leergang.attendance.whole) == (
            sum(c["attendance"][0] for c in cohorts),
            sum(c["attendance"][1] for c in cohorts),
        )
        assert leergang.make_ups == sum(c["make_ups"][0] for c in cohorts)
        assert leergang.make_ups_attended == sum(c["make_ups"][1] for c in cohorts)
        ended = [c for c in cohorts if c["finished"]]
        if ended:
            assert (leergang.completion.part, leergang.completion.whole) == (
                sum(c["completed"] for c in ended),
                sum(c["enrolled"] for c in ended),
            )
        else:
            assert leergang.completion is None
        assert dict(leergang.interest) == want.get("interest", {})
        assert leergang.interest_count == sum(want.get("interest", {}).values())
        assert {line.name: _shown(line.figures) for line in leergang.modules} == want.get(
            "modules", {}
        )
        assert {line.name: _shown(line.figures) for line in leergang.trainers} == want.get(
            "trainers", {}
        )


# --- the figures ---------------------------------------------------------------------------


def test_every_figure_matches_a_count_in_python(world):
    figures = report.report(report.Filters())
    assert_matches(figures, python_report(report.Filters()))
    # And what that is, for the reader: the finished cohort's figures by hand.
    finished = next(c for c in figures.cohorts if c.pk == world["finished"].pk)
    assert (finished.enrolled, finished.seats, finished.waiting) == (5, 10, 2)
    # a0-a2 both, a3 one, a4 the first made up elsewhere (the second missed): 6 + 1 + 1.
    assert (finished.attendance.part, finished.attendance.whole) == (8, 10)
    assert (finished.completion.part, finished.completion.whole) == (3, 5)
    assert (finished.make_ups, finished.make_ups_attended) == (1, 1)
    running = next(c for c in figures.cohorts if c.pk == world["running"].pk)
    assert (running.make_ups, running.make_ups_attended) == (1, 0)
    assert running.completion is None


def test_the_page_shows_the_figures_it_was_given(client, beheerder, world):
    client.force_login(beheerder)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    figures = response.context["report"]
    assert_matches(figures, python_report(report.Filters()))
    for cohort in figures.cohorts:
        assert str(cohort.fill) in page
        assert str(cohort.attendance) in page
    assert "5 van 10 (50%)" in page  # the finished cohort's seats taken
    assert "8 van 10 (80%)" in page  # and its attendance
    assert "3 van 5 (60%)" in page  # completed of those with a seat, it has ended
    assert "1 (1 bijgewoond)" in page  # its make-up session
    assert "Utrecht: 2" in page and "Geen voorkeur: 1" in page  # the interest list


def test_an_evaluation_under_the_threshold_shows_no_average(client, beheerder, world):
    assert settings.EVALUATION_TRAINER_MIN == 3
    figures = report.report(report.Filters(leergang=world["leergang"].pk))
    (leergang,) = figures.leergangen
    first, second = leergang.modules
    # The first module: four answers in the finished cohort, one in the running one.
    assert first.figures.enough and first.figures.count == 5 and first.figures.grade == 6.8
    assert not second.figures.enough and second.figures.grade is None
    assert second.figures.count == 2
    # Ruud trains only the running cohort, with one answer: none of its grade shows.
    trainers = {line.name: line.figures for line in leergang.trainers}
    assert trainers["Ruud Bakker"].count == 1 and trainers["Ruud Bakker"].grade is None
    assert trainers["Ilse de Wit"].count == 7 and trainers["Ilse de Wit"].enough
    client.force_login(beheerder)
    page = client.get(URL).content.decode()
    assert "te weinig reacties" in page
    assert "minstens 3 mensen" in page  # the note why
    # The running cohort's single answer (mark 4) is nowhere on the page.
    assert ">4.0<" not in page and ">4,0<" not in page


def test_the_filters_narrow_to_a_leergang_and_a_start_period(world):
    today = timezone.localdate()
    for filters in (
        report.Filters(leergang=world["leergang"].pk),
        report.Filters(leergang=world["other"].pk),
        report.Filters(starts_from=today - timedelta(days=30)),
        report.Filters(starts_to=today),
        report.Filters(
            starts_from=today - timedelta(days=200), starts_to=today - timedelta(days=100)
        ),
    ):
        assert_matches(report.report(filters), python_report(filters))
    only_running = report.report(
        report.Filters(leergang=world["leergang"].pk, starts_from=today - timedelta(days=30))
    )
    assert [c.pk for c in only_running.cohorts] == [world["running"].pk]


def test_the_form_reads_the_filters_from_the_address(client, beheerder, world):
    client.force_login(beheerder)
    response = client.get(
        URL, {"leergang": world["other"].pk, "starts_from": "01-01-2000", "starts_to": ""}
    )
    assert response.status_code == 200
    assert [c.pk for c in response.context["report"].cohorts] == [world["future"].pk]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"leergang": "abc"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"leergang": "999999999"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"leergang": "1e9"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"starts_from": "31-02-2026"}, "Vul een datum in, bijvoorbeeld 31-12-2026."),
        ({"starts_from": "0001-01-01"}, "Kies een datum tussen"),
        ({"starts_from": "10-03-2026", "starts_to": "01-03-2026"}, "ligt voor het begin"),
        ({"starts_to": "x" * 5000}, "Vul een datum in"),
    ],
)
def test_bad_filters_are_told_in_dutch_on_the_page_and_the_download(
    client, beheerder, world, query, message
):
    client.force_login(beheerder)
    for url in (URL, EXPORT):
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert message in response.content.decode()
        assert response["Content-Type"].startswith("text/html")


def test_an_empty_selection_says_so(client, beheerder):
    client.force_login(beheerder)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Geen uitvoering of belangstelling in deze selectie." in response.content.decode()


# --- the file ------------------------------------------------------------------------------


def _sheet_rows(workbook, title):
    rows = list(workbook[title].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_xlsx_holds_the_same_figures_a_sheet_per_level(client, beheerder, world):
    client.force_login(beheerder)
    response = client.get(EXPORT, {"leergang": world["leergang"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="programmarapportage-')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Export",
        "Leergangen",
        "Uitvoeringen",
        "Belangstelling",
        "Modules",
        "Trainers",
    ]
    expected = python_report(report.Filters(leergang=world["leergang"].pk))
    headers, rows = _sheet_rows(workbook, "Uitvoeringen")
    by_name = {row[1]: dict(zip(headers, row, strict=True)) for row in rows}
    assert set(by_name) == {"Voorjaar", "Najaar"}
    for cohort in (world["finished"], world["running"]):
        row, want = by_name[cohort.name], expected["cohorts"][cohort.pk]
        assert row["Plekken"] == want["seats"]
        assert row["Met een plaats"] == want["enrolled"]
        assert row["Wachtlijst"] == want["waiting"]
        assert (row["Aanwezig"], row["Gehouden"]) == want["attendance"]
        assert row["Afgerond"] == want["completed"]
        assert (row["Inhaalbijeenkomsten"], row["Inhaalbijeenkomsten bijgewoond"]) == want[
            "make_ups"
        ]
        assert row["Begint op"].date() == cohort.starts_on
    assert by_name["Voorjaar"]["Bezettingsgraad (%)"] == 50
    assert by_name["Voorjaar"]["Afgerond (%)"] == 60
    assert by_name["Najaar"]["Afgerond (%)"] is None  # still running
    assert by_name["Voorjaar"]["Gemiddeld rapportcijfer"] == 8.0
    assert by_name["Najaar"]["Gemiddeld rapportcijfer"] == "te weinig reacties"
    _headers, modules = _sheet_rows(workbook, "Modules")
    titles = list(expected["leergangen"][world["leergang"].pk]["modules"])
    assert [(row[1], row[2], row[3]) for row in modules] == [
        (titles[0], 5, 6.8),
        (titles[1], 2, "te weinig reacties"),
    ]
    _headers, trainers = _sheet_rows(workbook, "Trainers")
    assert [(row[1], row[2]) for row in trainers] == [("Ilse de Wit", 7), ("Ruud Bakker", 1)]
    _headers, interest = _sheet_rows(workbook, "Belangstelling")
    assert sorted((row[1], row[2]) for row in interest) == [("Geen voorkeur", 1), ("Utrecht", 2)]
    _headers, leergangen = _sheet_rows(workbook, "Leergangen")
    assert [row[:4] for row in leergangen] == [(world["leergang"].title, 2, 14, 9)]
    # Recorded as an export, by whom.
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("pk")
    assert event.actor == beheerder


# --- the cost ------------------------------------------------------------------------------


def test_the_page_and_the_file_keep_their_query_count_when_the_data_grows_tenfold(
    client, beheerder
):
    trainers = (_trainer("Ilse", "de Wit"), _trainer("Ruud", "Bakker"))
    build_world(prefix="0 ", trainers=trainers)
    few = page_query_count(client, URL, beheerder)
    few_file = page_query_count(client, EXPORT)
    for n in range(1, 10):
        build_world(prefix=f"{n} ", trainers=(_trainer("T", str(n)), trainers[1]))
    assert Cohort.objects.count() == 30
    assert page_query_count(client, URL) == few
    assert page_query_count(client, EXPORT) == few_file
    assert few <= 16, few


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hr", "trainer", "participant", "coach", "outsider_hr"])
def test_only_the_programme_office_opens_the_report(client, persona, request, world):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_reports_charts_are_the_offices_alone(client, beheerder, hr, trainer, world):
    client.force_login(beheerder)
    charts = client.get(URL).context["charts"]
    assert charts["fill"] and charts["attendance"] and charts["evaluation"]
    url = charts["fill"].url
    assert client.get(url).status_code == 200
    for other in (hr, trainer):
        client.force_login(other)
        assert client.get(url).status_code == 404
    # The text alternative says the figures the chart draws.
    assert "Voorjaar: 5 / 10 (50%)" in charts["fill"].chart.alternative


def test_the_office_finds_the_report_in_its_menu_and_from_the_planning(client, beheerder):
    client.force_login(beheerder)
    page = client.get(reverse("leergang:planning")).content.decode()
    assert page.count(f'href="{URL}"') >= 2  # the menu and the planning page


def test_a_year_of_data_with_no_cohort_started_is_not_an_error(client, beheerder, world):
    client.force_login(beheerder)
    response = client.get(URL, {"starts_from": "01-01-2099", "starts_to": "31-12-2099"})
    assert response.status_code == 200
    assert not response.context["report"].cohorts
    assert date(2099, 1, 1) == response.context["filters"].starts_from


def test_the_demo_report_shows_real_figures(client, demo_data):
    from portal import demo
    from portal.models import User

    client.force_login(User.objects.get(email=demo.BEHEERDER_EMAIL))
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["report"]
    assert_matches(figures, python_report(report.Filters()))
    assert any(cohort.completion for cohort in figures.cohorts)  # an ended cohort
    assert any(leergang.interest_count for leergang in figures.leergangen)
    assert any(line.figures.enough for leergang in figures.leergangen for line in leergang.modules)
    assert all(response.context["charts"].values())
