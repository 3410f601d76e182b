"""HR's people list: own organisation only, figures that match a count by hand, pages,
sorting, filters and bad input."""

from datetime import timedelta

import pytest
from django.db.models import Value
from django.utils import timezone

from hr import people
from intervisie.models import SessionAttendance
from leergang.models import Attendance, Enrolment
from portal.models import User
from tests import factories
from tests.helpers import page_query_count
from tests.hr.people_world import (
    PRESENT,
    URL,
    _by_hand,
    _cell,
    _get,
    _names,
    _ordered_like,
    _person,
    _rows,
    build_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(utrecht, nijmegen, trainer):
    return build_world(utrecht, nijmegen, trainer)


# --- scoping --------------------------------------------------------------------------------


def test_hr_sees_one_row_per_enrolment_of_their_own_people_only(client, hr, world):
    response = _get(client, hr)
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(_names(page)) == sorted(
        ["Anna Smit", "Anna Smit", "Bram de Wit", "Carla Mertens"]
    )
    assert "Noor Geheim" not in page and "Geheime afdeling" not in page
    assert "Daan Zonder" not in page
    assert "1 deelnemer van je organisatie zit nog in geen enkele uitvoering" in page
    for secret in ("GEHEIME-REFLECTIE", "GEHEIME-CASUS", "GEHEIME-LEERVRAAG", "concept"):
        assert secret not in page


def test_hr_of_another_organisation_sees_none_of_these_rows(client, outsider_hr, world):
    page = _get(client, outsider_hr).content.decode()
    assert _names(page) == ["Noor Geheim", "Noor Geheim"]
    for text in ("Stadsontwikkeling", "Sociaal domein", world.anna.email, world.bram.email):
        assert text not in page


@pytest.mark.parametrize(
    "params",
    [
        lambda w: {"cohort": w.later.pk},  # only Utrecht's people are in it
        lambda w: {"leergang": w.later.leergang_id},
        lambda w: {"department": "Stadsontwikkeling"},
    ],
)
def test_filter_values_of_another_organisation_are_refused(client, outsider_hr, world, params):
    response = _get(client, outsider_hr, **params(world))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page
    assert _names(page) == ["Noor Geheim", "Noor Geheim"]


def test_filter_choices_hold_only_the_own_organisation(client, hr, outsider_hr, world):
    page = _get(client, hr).content.decode()
    assert f'value="{world.nijmegen_cohort.pk}"' not in page
    assert "Geheime afdeling" not in page
    assert "Stadsontwikkeling</option>" in page and "Sociaal domein</option>" in page
    page = _get(client, outsider_hr).content.decode()
    assert f'<option value="{world.later.pk}"' not in page


# --- figures --------------------------------------------------------------------------------


def test_every_figure_matches_a_count_by_hand(client, hr, world):
    now = timezone.now()
    by_hand = {e.pk: _by_hand(e, now) for e in world.enrolments}
    # What the world was built to hold, so the count by hand is itself checked.
    e_anna, e_bram, e_anna_later, e_carla = world.enrolments
    assert by_hand[e_anna.pk] == {
        "attendance": (1, 2),
        "modules": (2, 3),
        "intervisie": (2, 2),
        "coaching": (3, 6),
    }
    assert by_hand[e_bram.pk] == {
        "attendance": (1, 2),
        "modules": (1, 3),
        "intervisie": (1, 2),
        "coaching": (1, 4),
    }
    assert by_hand[e_anna_later.pk]["coaching"] == (1, 2)
    assert by_hand[e_carla.pk]["coaching"] == (0, 0)
    page = _get(client, hr).content.decode()
    rows = _rows(page)
    assert len(rows) == 4
    by_row = dict(zip([e.pk for e in _ordered_like(page, world.enrolments)], rows, strict=True))
    for pk, row in by_row.items():
        figures = by_hand[pk]
        attended, held = figures["attendance"]
        if held:
            assert _cell(row, "attendance") == [
                f"{round(attended * 100 / held)}%",
                str(attended),
                "van",
                str(held),
            ]
        else:
            assert _cell(row, "attendance") == ["nog", "niets", "gehouden"]
        assert _cell(row, "modules") == [
            str(figures["modules"][0]),
            "van",
            str(figures["modules"][1]),
        ]
        for column in ("intervisie", "coaching"):
            done, of = figures[column]
            assert _cell(row, column) == ([str(done), "van", str(of)] if of else ["–"])


def test_the_department_shows_in_the_row(client, hr, world):
    page = _get(client, hr, q="Bram").content.decode()
    (row,) = _rows(page)
    assert "Sociaal domein" in row


# --- sorting --------------------------------------------------------------------------------


def _order(client, hr, sort):
    page = _get(client, hr, sort=sort).content.decode()
    return _rows(page)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("name", lambda f: f["name"]),
        ("leergang", lambda f: f["leergang"]),
        ("state", lambda f: f["state"]),
        ("attendance", lambda f: f["attendance"]),
        ("modules", lambda f: f["modules"]),
        ("intervisie", lambda f: f["intervisie"]),
        ("coaching", lambda f: f["coaching"]),
    ],
)
def test_sort_by_each_column_both_ways(client, hr, world, sort, key):
    now = timezone.now()
    states = [s.value for s in Enrolment.State]

    def facts(e):
        figures = _by_hand(e, now)
        attended, held = figures["attendance"]
        return {
            "name": (e.participant.last_name, e.participant.first_name),
            "leergang": e.cohort.leergang.title,
            "state": states.index(e.state),
            "attendance": round(attended * 100 / held) if held else -1,
            "modules": figures["modules"][0],
            "intervisie": figures["intervisie"][0],
            "coaching": figures["coaching"][0],
        }

    enrolments = [Enrolment.objects.get(pk=e.pk) for e in world.enrolments]
    for direction in ("", "-"):
        page = _get(client, hr, sort=f"{direction}{sort}").content.decode()
        assert f'aria-sort="{"descending" if direction else "ascending"}"' in page
        shown = [key(facts(e)) for e in _ordered_like(page, enrolments)]
        assert shown == sorted(shown, reverse=bool(direction)), (sort, direction, shown)


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda w: {"cohort": w.cohort.pk}, ["Anna Smit", "Bram de Wit"]),
        (lambda w: {"leergang": w.later.leergang_id}, ["Anna Smit", "Carla Mertens"]),
        (lambda w: {"state": "waitlisted"}, ["Anna Smit"]),
        (lambda w: {"department": "Stadsontwikkeling"}, ["Anna Smit", "Anna Smit"]),
        (lambda w: {"department": "-"}, ["Carla Mertens"]),
        (lambda w: {"q": "de wit"}, ["Bram de Wit"]),
        (lambda w: {"q": w.carla.email.upper()}, ["Carla Mertens"]),
        (
            lambda w: {"enrolled_to": (timezone.localdate() - timedelta(days=300)).isoformat()},
            ["Carla Mertens"],
        ),
        (
            lambda w: {"enrolled_from": (timezone.localdate() - timedelta(days=1)).isoformat()},
            ["Anna Smit", "Anna Smit", "Bram de Wit"],
        ),
    ],
)
def test_filters(client, hr, world, params, expected):
    response = _get(client, hr, **params(world))
    assert response.status_code == 200
    assert sorted(_names(response.content.decode())) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "nonsense"}, "Deze lijst kan niet zo gesorteerd worden"),
        ({"cohort": "abc"}, "Selecteer een geldige keuze"),
        ({"cohort": "99999999999999999999999"}, "Selecteer een geldige keuze"),
        ({"cohort": "٣"}, "Selecteer een geldige keuze"),
        ({"state": "deleted"}, "Selecteer een geldige keuze"),
        ({"enrolled_from": "31-02-2026"}, "Voer een geldige datum in"),
        ({"enrolled_from": "2026-05-01", "enrolled_to": "2026-04-01"}, "voor de vanaf-datum"),
        ({"q": "x" * 101}, "niet meer dan 100 tekens"),
    ],
)
def test_bad_values_give_a_dutch_message_and_400(client, hr, world, params, message):
    response = _get(client, hr, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    # A date field never holds what is no date: that would be invalid HTML.
    assert 'value="31-02-2026"' not in response.content.decode()


def test_a_page_past_the_end_is_404_and_a_page_that_is_no_number_the_first(client, hr, world):
    assert _get(client, hr, page="9").status_code == 404
    assert _get(client, hr, page="x").status_code == 200


# --- pagination and query count -------------------------------------------------------------


def test_fifty_one_rows_make_two_pages_and_the_filter_stays_in_the_links(client, hr, utrecht):
    cohort = factories.CohortFactory()
    for n in range(51):
        person = _person(utrecht, f"Persoon{n:02d}", "Test", "Wijkteam")
        factories.EnrolmentFactory(cohort=cohort, participant=person)
    first = _get(client, hr, department="Wijkteam").content.decode()
    assert len(_rows(first)) == 50
    assert "department=Wijkteam&amp;page=2" in first
    second = _get(client, hr, department="Wijkteam", page=2).content.decode()
    assert len(_rows(second)) == 1
    assert "Regels 51 tot en met 51 van 51" in second


def _grow(utrecht, trainer, size):
    """``size`` cohorts, each with 5 of Utrecht's people and everything they count."""
    for _ in range(size):
        cohort = factories.CohortFactory(
            starts_on=timezone.localdate() - timedelta(days=30), bijeenkomsten=2
        )
        enrolments = [
            factories.EnrolmentFactory(cohort=cohort, participant=_person(utrecht, "P", "Q", "X"))
            for _n in range(5)
        ]
        group = factories.GroupFactory(cohort=cohort, begeleider=trainer, members=enrolments)
        session = factories.IntervisieSessionFactory(group=group, status="held", in_days=-3)
        for enrolment in enrolments:
            for bijeenkomst in cohort.bijeenkomsten.all():
                Attendance.objects.create(
                    enrolment=enrolment, bijeenkomst=bijeenkomst, status=PRESENT
                )
            SessionAttendance.objects.create(
                session=session, participant=enrolment.participant, status=PRESENT
            )
            trajectory = factories.TrajectoryFactory(
                participant=enrolment.participant, enrolment=enrolment
            )
            factories.CoachingSessionFactory(trajectory=trajectory, status="held", in_days=-2)


def test_query_count_is_the_same_at_ten_times_the_data_and_at_most_15(client, hr, utrecht, trainer):
    _grow(utrecht, trainer, 1)
    url = f"{URL}?department=X&sort=-attendance"
    few = page_query_count(client, url, hr)
    _grow(utrecht, trainer, 9)
    many = page_query_count(client, url, hr)
    print(f"people list queries: {few} at 1x, {many} at 10x")
    assert many == few <= 15, (few, many)


def test_the_figures_built_once_per_process_follow_the_rows_and_the_moment(hr, world):
    # Part of people_enrolments is built once per process: never evaluated itself, so a
    # second call sees new rows, and the figures of a moment stay those of that moment.
    def held(**now):
        rows = people.people_enrolments(hr, **now).values("bijeenkomsten_held")
        return sorted(row["bijeenkomsten_held"] for row in rows)

    now = held()
    assert sum(now) > 0
    assert held(now=timezone.now() - timedelta(days=3650)) == [0, 0, 0, 0]
    assert held() == now
    assert people.people_enrolments(hr).count() == 4
    factories.EnrolmentFactory(participant=world.bram)
    assert people.people_enrolments(hr).count() == 5


@pytest.mark.parametrize("held", [1, 2, 3, 6, 7, 8, 9, 12, 16, 40])
def test_the_pages_attendance_percent_is_the_one_in_sql(hr, held):
    # The page computes in Python what the exports and the sort read from SQL.
    cases = [(attended, held) for attended in range(held + 1)]
    in_sql = (
        User.objects.filter(pk=hr.pk)
        .values(
            **{
                f"p{attended}": people.percent_expression(Value(attended), Value(held))
                for attended, held in cases
            }
        )
        .get()
    )
    assert [people.attendance_percent(a, h) for a, h in cases] == [
        in_sql[f"p{attended}"] for attended, _held in cases
    ]
    assert people.attendance_percent(0, 0) is None
    assert people.attendance_percent(1, 8) == 13  # 12.5: a half rounds up


# --- the list kept until its data changes (hr.summary) -----------------------------------------


def test_a_second_visit_reads_the_list_kept(client, hr, world, monkeypatch):
    first = _get(client, hr, sort="name").context["list_html"]

    def recompute(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(people, "people_page_rows", recompute)
    assert _get(client, hr, sort="name").context["list_html"] == first
    with pytest.raises(AssertionError, match="computed again"):
        _get(client, hr, sort="-name")  # another address: another list


def test_a_change_shows_on_the_next_visit(client, hr, world):
    assert "Werk en inkomen" not in _get(client, hr).content.decode()
    world.anna.department = "Werk en inkomen"
    world.anna.save(update_fields=["department"])
    page = _get(client, hr).content.decode()
    assert "Werk en inkomen" in page


def test_a_refused_filter_is_never_kept(client, hr, world):
    for _ in range(2):
        response = _get(client, hr, state="kwijt")
        assert response.status_code == 400
        assert "Selecteer een geldige keuze" in response.content.decode()
