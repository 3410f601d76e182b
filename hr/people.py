"""HR's list of their own people: one row per enrolment, every figure a count in SQL.

Each figure is a correlated subquery per row (``subquery_count``), never a
``COUNT(DISTINCT)`` over joins of several one-to-many relations: joining
attendance, reflections, sessions and coaching sessions multiplies the rows
PostgreSQL has to build before it can count them. Only counts leave this module:
no reflection, intervisie or coaching content, no evaluation answers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Round
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext

from coaching.models import USED, CoachingSession, Trajectory
from intervisie.models import Session, SessionAttendance
from leergang.models import (
    Attendance,
    Bijeenkomst,
    Enrolment,
    LeergangModule,
    Reflection,
    subquery_count,
)
from portal.listing import pk_url
from portal.models import Role, User, full_name

# The order in which an enrolment moves through its states: how the state column sorts.
STATE_ORDER = [state.value for state in Enrolment.State]


def _modules_completed(now) -> Coalesce:
    """Modules of the enrolment's leergang with a submitted reflection and, when the cohort
    has bijeenkomsten of that module, attendance at one of them (``ModuleProgress.completed``)."""
    enrolment = OuterRef(OuterRef("pk"))
    cohort = OuterRef(OuterRef("cohort_id"))
    reflected = Reflection.objects.filter(
        enrolment=enrolment, module=OuterRef("module_id"), submitted_at__isnull=False
    )
    has_bijeenkomsten = Bijeenkomst.objects.filter(cohort=cohort, module=OuterRef("module_id"))
    attended = Attendance.objects.attended(now=now).filter(
        enrolment=enrolment, bijeenkomst__cohort=cohort, bijeenkomst__module=OuterRef("module_id")
    )
    completed = LeergangModule.objects.filter(leergang=OuterRef("cohort__leergang_id")).filter(
        Exists(reflected), ~Exists(has_bijeenkomsten) | Exists(attended)
    )
    return subquery_count(completed)


def _coaching_of_row(prefix: str = "") -> Q:
    """The trajectories (``prefix`` "trajectory__" from their sessions) a row counts: those
    of its enrolment and, as a person's coaching need not belong to a leergang, those of
    no enrolment on the person's latest enrolment, so that no trajectory counts twice."""
    latest = (
        Enrolment.objects.filter(participant=OuterRef(OuterRef("participant_id")))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return Q(**{f"{prefix}enrolment": OuterRef("pk")}) | (
        Q(
            **{
                f"{prefix}enrolment__isnull": True,
                f"{prefix}participant": OuterRef("participant_id"),
            }
        )
        & Q(Exact(Subquery(latest), OuterRef("pk")))
    )


def _coaching_agreed() -> Coalesce:
    agreed = (
        Trajectory.objects.filter(_coaching_of_row())
        .order_by()
        .annotate(total=Func(F("agreed_sessions"), function="SUM"))
        .values("total")
    )
    return Coalesce(Subquery(agreed, output_field=IntegerField()), 0)


def percent_expression(attended, held) -> Cast:
    """``attended`` of ``held`` in whole per cents, a half rounded up; NULL when nothing
    was held. ``attendance_percent`` computes the same in Python."""
    return Cast(Round(attended * 100.0 / NullIf(held, 0)), IntegerField())


def attendance_percent(attended: int, held: int) -> int | None:
    """``percent_expression`` in Python, for the page: in SQL it repeats the attendance's
    subqueries, which cost the page's query ~2 ms. PostgreSQL rounds a half away from
    zero (Python's ``round`` to even)."""
    return (attended * 200 + held) // (2 * held) if held else None


def people_enrolments(user, *, now=None) -> QuerySet[Enrolment]:
    """Every enrolment of an active person of ``user``'s organisation, with the figures the
    list and its exports show, sorted by name (a ``ListFilterSet`` may sort otherwise)."""
    now = now or timezone.now()
    return (
        _timeless_figures()
        .filter(participant__organisation_id=user.organisation_id)
        .with_attendance(now=now)
        .annotate(
            attendance_percent=percent_expression(
                F("bijeenkomsten_attended"), F("bijeenkomsten_held")
            ),
            modules_completed=_modules_completed(now),
        )
        # Only sorts, so an alias: the attendance's subqueries are not selected once more.
        # Nothing held yet sorts below 0 %.
        .alias(attendance_sort=Coalesce(F("attendance_percent"), -1))
    )


@functools.cache
def _timeless_figures() -> QuerySet[Enrolment]:
    """The part of ``people_enrolments`` that does not depend on the moment, built once per
    process: building these subqueries cost every request ~3 ms. Never evaluated itself:
    ``people_enrolments`` hands out a filtered copy."""
    held_session = Q(status=Session.Status.HELD)
    return (
        Enrolment.objects.filter(participant__is_active=True)
        # What only sorts is an alias: computed in the ORDER BY when the list is sorted by
        # it, never selected.
        .alias(
            person_name=Concat("participant__last_name", Value(" "), "participant__first_name"),
            state_rank=Case(
                *[When(state=state, then=Value(rank)) for rank, state in enumerate(STATE_ORDER)],
                output_field=IntegerField(),
            ),
        )
        .annotate(
            modules_total=subquery_count(
                LeergangModule.objects.filter(leergang=OuterRef("cohort__leergang_id"))
            ),
            intervisie_held=subquery_count(
                Session.objects.filter(held_session, group__memberships__enrolment=OuterRef("pk"))
            ),
            intervisie_attended=subquery_count(
                SessionAttendance.objects.filter(
                    participant=OuterRef("participant_id"),
                    status=SessionAttendance.Status.PRESENT,
                    session__status=Session.Status.HELD,
                    session__group__memberships__enrolment=OuterRef("pk"),
                )
            ),
            coaching_used=subquery_count(
                CoachingSession.objects.filter(_coaching_of_row("trajectory__"), status__in=USED)
            ),
            coaching_agreed=_coaching_agreed(),
        )
        .order_by("person_name", "pk")
    )


def people_page_rows(queryset) -> QuerySet:
    """What the page shows of each row: names, leergang, cohort and the figures, as
    dictionaries (no model instances to build for a row of text)."""
    return queryset.values(*PAGE_FIELDS)


PAGE_FIELDS = [
    "participant_id",
    "participant__first_name",
    "participant__last_name",
    "participant__department",
    "cohort__name",
    "cohort__starts_on",
    "cohort__leergang__title",
    "state",
    "bijeenkomsten_attended",
    "bijeenkomsten_held",
    "modules_completed",
    "modules_total",
    "intervisie_attended",
    "intervisie_held",
    "coaching_used",
    "coaching_agreed",
]


@dataclass(frozen=True)
class PeopleRow:
    """One line of the page with its texts written: a ``{% blocktranslate %}`` per cell
    cost the page ~0.2 ms a line, most of its rendering."""

    name: str
    department: str
    department_url: str
    department_label: str  # what the "change" link changes, for a screen reader
    leergang: str
    cohort: str
    state: str
    attendance_percent: int | None  # None: no bijeenkomst held yet
    attendance: str
    modules: str
    intervisie: str  # "" when no session was held
    coaching: str  # "" when no session was agreed


def people_table(enrolments, *, back: str) -> list[PeopleRow]:
    """The page's lines of ``enrolments`` (dictionaries of ``people_page_rows``);
    ``back``: the list's query string, for the department form to return to."""
    states = dict(Enrolment.State.choices)
    of = gettext("%(attended)s of %(held)s")
    modules_of = gettext("%(done)s of %(all)s")
    coaching_of = gettext("%(used)s of %(agreed)s")
    department_of = gettext("the department of %(name)s")
    back = f"?back={quote(back)}"
    department_url = pk_url("hr:person-department")
    rows = []
    for row in enrolments:
        name = full_name(row["participant__first_name"], row["participant__last_name"])
        held, intervisie_held = row["bijeenkomsten_held"], row["intervisie_held"]
        rows.append(
            PeopleRow(
                name=name,
                department=row["participant__department"],
                department_url=department_url(row["participant_id"]) + back,
                department_label=department_of % {"name": name},
                leergang=row["cohort__leergang__title"],
                cohort=f"{row['cohort__name']}, {row['cohort__starts_on']:%d-%m-%Y}",
                state=str(states.get(row["state"], row["state"])),
                attendance_percent=attendance_percent(row["bijeenkomsten_attended"], held),
                attendance=of % {"attended": row["bijeenkomsten_attended"], "held": held},
                modules=modules_of
                % {"done": row["modules_completed"], "all": row["modules_total"]},
                intervisie=of % {"attended": row["intervisie_attended"], "held": intervisie_held}
                if intervisie_held
                else "",
                coaching=coaching_of
                % {"used": row["coaching_used"], "agreed": row["coaching_agreed"]}
                if row["coaching_agreed"]
                else "",
            )
        )
    return rows


def people_without_enrolment(user) -> int:
    """Participants of the organisation who are in no cohort at all: HR's to invite."""
    return (
        User.objects.filter(organisation_id=user.organisation_id, is_active=True)
        .with_role(Role.DEELNEMER)
        .exclude(Exists(Enrolment.objects.filter(participant=OuterRef("pk"))))
        .count()
    )


def organisation_departments(user) -> list[str]:
    """The departments HR gave their people, for the filter and the department form."""
    return list(
        User.objects.filter(organisation_id=user.organisation_id)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
