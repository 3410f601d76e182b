"""HR's figures of its own organisation's people, computed in the database.

Every read here is scoped to one organisation (``organisation_id``), and every figure is an
aggregate (GROUP BY with conditional counts): the number of queries does not depend on how
many people, cohorts or bijeenkomsten there are; Python only walks the aggregate rows.

What counts, in the words of the other apps:
- attendance: present at a *held* bijeenkomst (``BijeenkomstQuerySet.held``) out of the
  people with a seat (``SEAT_STATES``) times the held bijeenkomsten;
- a module is completed when its reflection is submitted and the person attended one of
  its bijeenkomsten in their cohort, or the cohort has none for it
  (``leergang.selectors.ModuleProgress.completed``);
- intervisie: held sessions of the groups the people are members of, and how many of
  those they attended (``intervisie.selectors.attendance_counts``);
- coaching: sessions held or missed (``coaching.models.USED``) out of the agreed ones;
- evaluations: the averages and recommendation score (NPS) of ``evaluations.selectors``,
  from ``EVALUATION_HR_MIN`` answers of the organisation's people. Answers are anonymous,
  so the department filter cannot apply to them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from coaching.models import USED, CoachingSession, Trajectory
from evaluations.models import Answer, Kind
from evaluations.selectors import Figures, figures_of_row, grouped_totals
from intervisie.models import Membership, Session, SessionAttendance
from leergang.models import (
    SEAT_STATES,
    Attendance,
    Bijeenkomst,
    Enrolment,
    LeergangModule,
    Reflection,
    subquery_count,
)
from portal.figures import Rate
from portal.models import User

State = Enrolment.State


# --- the filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; every field is optional."""

    leergang: int | None = None
    cohort: int | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    department: str = ""

    def cohort_selected(self, row: dict) -> bool:
        """Whether a cohort row (from ``_cohort_rows``) is in the selection: its leergang,
        itself, and a run that overlaps the period."""
        if self.leergang and row["cohort__leergang_id"] != self.leergang:
            return False
        if self.cohort and row["cohort_id"] != self.cohort:
            return False
        if self.period_from and row["cohort__ends_on"] < self.period_from:
            return False
        return not (self.period_to and row["cohort__starts_on"] > self.period_to)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period_q(lookup: str, filters: Filters) -> Q:
    """``lookup`` (a datetime) within the period, whole days in the portal's time zone."""
    q = Q()
    if filters.period_from:
        q &= Q(**{f"{lookup}__gte": _day_start(filters.period_from)})
    if filters.period_to:
        q &= Q(**{f"{lookup}__lt": _day_start(filters.period_to + datetime.timedelta(days=1))})
    return q


def _people_q(prefix: str, organisation_id: int, filters: Filters) -> Q:
    """The organisation's people (of the department, when chosen), seen from ``prefix``."""
    q = Q(**{f"{prefix}organisation_id": organisation_id})
    if filters.department:
        q &= Q(**{f"{prefix}department": filters.department})
    return q


# --- the shapes the pages read -------------------------------------------------------------


STATE_FIELDS = ("requested", "waitlisted", "enrolled", "completed", "cancelled", "rejected")


@dataclass
class StateCounts:
    requested: int = 0
    waitlisted: int = 0
    enrolled: int = 0
    completed: int = 0
    cancelled: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in STATE_FIELDS)

    @property
    def seats(self) -> int:
        """People with a seat (``SEAT_STATES``): whom attendance and modules are counted of."""
        return self.enrolled + self.completed

    def __add__(self, other: StateCounts) -> StateCounts:
        return StateCounts(*(getattr(self, n) + getattr(other, n) for n in STATE_FIELDS))


@dataclass
class BijeenkomstFigures:
    pk: int
    title: str
    starts_at: datetime.datetime
    attendance: Rate


@dataclass
class FunnelStep:
    """A module, in the leergang's order: how many of the people with a seat completed it."""

    module: str
    completed: Rate


@dataclass
class IntervisieFigures:
    sessions: int = 0  # held sessions of the groups their people are in
    attendance: Rate = field(default_factory=Rate)  # attended of (member x held session)

    def __add__(self, other: IntervisieFigures) -> IntervisieFigures:
        return IntervisieFigures(self.sessions + other.sessions, self.attendance + other.attendance)


@dataclass
class CoachingFigures:
    trajectories: int = 0
    used: Rate = field(default_factory=Rate)  # sessions held or missed, of agreed

    def __add__(self, other: CoachingFigures) -> CoachingFigures:
        return CoachingFigures(self.trajectories + other.trajectories, self.used + other.used)


def _no_answers() -> Figures:
    return Figures(count=0, enough=False)


@dataclass
class Evaluation:
    """The averages of the leergang's end evaluation and of its bijeenkomsten."""

    leergang: Figures = field(default_factory=_no_answers)
    bijeenkomsten: Figures = field(default_factory=_no_answers)


# The sums below are cached properties: the page reads each many times, and they are read
# only once the figures are complete (``dashboard`` fills them in before returning).


@dataclass
class CohortFigures:
    pk: int
    leergang: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    states: StateCounts
    bijeenkomsten: list[BijeenkomstFigures] = field(default_factory=list)
    funnel: list[FunnelStep] = field(default_factory=list)
    intervisie: IntervisieFigures = field(default_factory=IntervisieFigures)
    coaching: CoachingFigures = field(default_factory=CoachingFigures)
    evaluation: Evaluation = field(default_factory=Evaluation)

    @property
    def label(self) -> str:
        return f"{self.leergang}: {self.name}"

    @cached_property
    def attendance(self) -> Rate:
        total = Rate()
        for bijeenkomst in self.bijeenkomsten:
            total += bijeenkomst.attendance
        return total


@dataclass
class LeergangFigures:
    pk: int
    title: str
    cohorts: list[CohortFigures] = field(default_factory=list)
    evaluation: Evaluation = field(default_factory=Evaluation)
    funnel: list[FunnelStep] = field(default_factory=list)

    def _sum(self, name, start):
        total = start
        for cohort in self.cohorts:
            total = total + getattr(cohort, name)
        return total

    @cached_property
    def states(self) -> StateCounts:
        return self._sum("states", StateCounts())

    @cached_property
    def attendance(self) -> Rate:
        return self._sum("attendance", Rate())

    @cached_property
    def intervisie(self) -> IntervisieFigures:
        return self._sum("intervisie", IntervisieFigures())

    @cached_property
    def coaching(self) -> CoachingFigures:
        return self._sum("coaching", CoachingFigures())

    @property
    def evaluation_rows(self) -> list[tuple[str, Evaluation, bool]]:
        """The leergang's evaluation, then each cohort's: (name, figures, is the leergang)."""
        return [(self.title, self.evaluation, True)] + [
            (cohort.name, cohort.evaluation, False) for cohort in self.cohorts
        ]

    @property
    def funnel_rows(self) -> list[tuple[FunnelStep, list[FunnelStep]]]:
        """Per module: the leergang's total and each cohort's step, for one table row."""
        return [
            (total, [cohort.funnel[index] for cohort in self.cohorts])
            for index, total in enumerate(self.funnel)
        ]


@dataclass
class Quarter:
    start: datetime.date
    enrolments: int = 0
    completions: int = 0

    @property
    def label(self) -> str:
        return f"{self.start.year} K{(self.start.month - 1) // 3 + 1}"


@dataclass
class Dashboard:
    leergangen: list[LeergangFigures]
    trend: list[Quarter]
    # Coaching trajectories of the people that belong to no enrolment (HR started them).
    coaching_outside: CoachingFigures | None
    minimum: int  # answers needed before an evaluation average shows

    def _sum(self, name, start):
        total = start
        for leergang in self.leergangen:
            total = total + getattr(leergang, name)
        return total

    @cached_property
    def states(self) -> StateCounts:
        return self._sum("states", StateCounts())

    @cached_property
    def attendance(self) -> Rate:
        return self._sum("attendance", Rate())

    @cached_property
    def intervisie(self) -> IntervisieFigures:
        return self._sum("intervisie", IntervisieFigures())

    @cached_property
    def coaching(self) -> CoachingFigures:
        total = self._sum("coaching", CoachingFigures())
        return total + self.coaching_outside if self.coaching_outside else total

    @cached_property
    def cohorts(self) -> list[CohortFigures]:
        return [cohort for leergang in self.leergangen for cohort in leergang.cohorts]

    @cached_property
    def single_cohort(self) -> CohortFigures | None:
        """The cohort, when the selection holds one: then the page shows each of its
        bijeenkomsten (for many cohorts, their list would be thousands of rows)."""
        cohorts = self.cohorts
        return cohorts[0] if len(cohorts) == 1 else None

    @property
    def is_empty(self) -> bool:
        return not self.leergangen and not self.coaching_outside


# --- the choices of the filter form --------------------------------------------------------


@dataclass
class Choices:
    """What HR may filter on: only what their own people are part of."""

    leergangen: list[tuple[int, str]]
    cohorts: list[tuple[int, str, int]]  # (cohort, "leergang: name", leergang)
    departments: list[str]
    rows: list[dict]  # the cohort rows with their state counts, reused by ``dashboard``


_STATE_COUNTS = {
    name: Count("id", filter=Q(state=state))
    for name, state in (
        ("requested", State.REQUESTED),
        ("waitlisted", State.WAITLISTED),
        ("enrolled", State.ENROLLED),
        ("completed", State.COMPLETED),
        ("cancelled", State.CANCELLED),
        ("rejected", State.REJECTED),
    )
}
# A seat offered from the waiting list is still waiting, for HR, until the person confirms.
_STATE_COUNTS["waitlisted"] = Count("id", filter=Q(state__in=[State.WAITLISTED, State.OFFERED]))


def _cohort_rows(organisation_id: int) -> list[dict]:
    """Per cohort and department: the organisation's enrolments by state (one query).
    The department is in the grouping so the filter needs no second query."""
    return list(
        Enrolment.objects.filter(participant__organisation_id=organisation_id)
        .order_by()
        .values(
            "cohort_id",
            "cohort__name",
            "cohort__starts_on",
            "cohort__ends_on",
            "cohort__leergang_id",
            "cohort__leergang__title",
            "participant__department",
        )
        .annotate(**_STATE_COUNTS)
    )


def filter_choices(organisation_id: int) -> Choices:
    """Leergangen and cohorts the organisation's people are enrolled in (in any state), and
    the departments of its people (two queries)."""
    rows = _cohort_rows(organisation_id)
    cohorts = {}
    for row in rows:
        cohorts[row["cohort_id"]] = row
    ordered = sorted(
        cohorts.values(),
        key=lambda r: (r["cohort__leergang__title"], r["cohort__starts_on"], r["cohort__name"]),
    )
    leergangen = {row["cohort__leergang_id"]: row["cohort__leergang__title"] for row in ordered}
    departments = list(
        User.objects.filter(organisation_id=organisation_id)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    return Choices(
        leergangen=sorted(leergangen.items(), key=lambda item: item[1]),
        cohorts=[
            (
                row["cohort_id"],
                f"{row['cohort__leergang__title']}: {row['cohort__name']}",
                row["cohort__leergang_id"],
            )
            for row in ordered
        ],
        departments=departments,
        rows=rows,
    )


# --- the figures ---------------------------------------------------------------------------


def _selected_cohorts(rows: list[dict], filters: Filters) -> dict[int, CohortFigures]:
    cohorts: dict[int, CohortFigures] = {}
    for row in rows:
        if not filters.cohort_selected(row):
            continue
        if filters.department and row["participant__department"] != filters.department:
            continue
        counts = StateCounts(**{name: row[name] for name in STATE_FIELDS})
        cohort = cohorts.get(row["cohort_id"])
        if cohort is None:
            cohorts[row["cohort_id"]] = CohortFigures(
                pk=row["cohort_id"],
                leergang=row["cohort__leergang__title"],
                name=row["cohort__name"],
                starts_on=row["cohort__starts_on"],
                ends_on=row["cohort__ends_on"],
                states=counts,
            )
        else:
            cohort.states = cohort.states + counts
    return cohorts


def _attendance(cohorts, organisation_id, filters, now) -> None:
    """Per held bijeenkomst in the period: present of the people with a seat (one query)."""
    present = Q(
        attendances__status=Attendance.Status.PRESENT,
        attendances__enrolment__state__in=SEAT_STATES,
    ) & _people_q("attendances__enrolment__participant__", organisation_id, filters)
    rows = (
        Bijeenkomst.objects.held(now=now)
        .filter(_period_q("starts_at", filters), cohort_id__in=list(cohorts))
        .order_by("starts_at", "pk")
        .values("pk", "title", "starts_at", "cohort_id")
        .annotate(present=Count("attendances", filter=present))
    )
    for row in rows:
        cohort = cohorts[row["cohort_id"]]
        cohort.bijeenkomsten.append(
            BijeenkomstFigures(
                pk=row["pk"],
                title=row["title"],
                starts_at=row["starts_at"],
                attendance=Rate(row["present"], cohort.states.seats),
            )
        )


def _funnel(cohorts, leergangen, organisation_id, filters, now) -> None:
    """Per cohort and module, in the leergang's order: how many with a seat completed it
    (two queries: the modules, and the completed ones counted)."""
    links = defaultdict(list)
    for link in (
        LeergangModule.objects.filter(leergang_id__in=list(leergangen))
        .order_by("position", "pk")
        .values("leergang_id", "module_id", "module__title")
    ):
        links[link["leergang_id"]].append(link)
    attended = Attendance.objects.attended(now=now).filter(
        enrolment=OuterRef("enrolment_id"),
        bijeenkomst__module=OuterRef("module_id"),
        bijeenkomst__cohort=OuterRef("enrolment__cohort_id"),
    )
    has_bijeenkomst = Bijeenkomst.objects.filter(
        cohort=OuterRef("enrolment__cohort_id"), module=OuterRef("module_id")
    )
    done = {
        (row["enrolment__cohort_id"], row["module_id"]): row["n"]
        for row in Reflection.objects.filter(
            _people_q("enrolment__participant__", organisation_id, filters),
            submitted_at__isnull=False,
            enrolment__state__in=SEAT_STATES,
            enrolment__cohort_id__in=list(cohorts),
        )
        .filter(Exists(attended) | ~Exists(has_bijeenkomst))
        .order_by()
        .values("enrolment__cohort_id", "module_id")
        .annotate(n=Count("id"))
    }
    for leergang_id, leergang in leergangen.items():
        for cohort in leergang.cohorts:
            cohort.funnel = [
                FunnelStep(
                    link["module__title"],
                    Rate(done.get((cohort.pk, link["module_id"]), 0), cohort.states.seats),
                )
                for link in links[leergang_id]
            ]
        leergang.funnel = [FunnelStep(link["module__title"], Rate()) for link in links[leergang_id]]
        for cohort in leergang.cohorts:
            for total, step in zip(leergang.funnel, cohort.funnel, strict=True):
                total.completed = total.completed + step.completed


def _intervisie(cohorts, organisation_id, filters) -> None:
    """Held sessions of the groups their people (with a seat) are in, and attended (two
    queries)."""
    held = Q(group__sessions__status=Session.Status.HELD) & _period_q(
        "group__sessions__starts_at", filters
    )
    members = (
        Membership.objects.filter(
            _people_q("enrolment__participant__", organisation_id, filters),
            enrolment__state__in=SEAT_STATES,
            enrolment__cohort_id__in=list(cohorts),
        )
        .order_by()
        .values("enrolment__cohort_id")
        .annotate(
            possible=Count("group__sessions", filter=held),
            sessions=Count("group__sessions", filter=held, distinct=True),
        )
    )
    for row in members:
        cohort = cohorts[row["enrolment__cohort_id"]]
        cohort.intervisie.sessions = row["sessions"]
        cohort.intervisie.attendance.whole = row["possible"]
    member = Membership.objects.filter(
        group=OuterRef("session__group"),
        enrolment__participant=OuterRef("participant"),
        enrolment__state__in=SEAT_STATES,
    )
    attended = (
        SessionAttendance.objects.filter(
            _people_q("participant__", organisation_id, filters),
            _period_q("session__starts_at", filters),
            Exists(member),
            status=SessionAttendance.Status.PRESENT,
            session__status=Session.Status.HELD,
            session__group__cohort_id__in=list(cohorts),
        )
        .order_by()
        .values("session__group__cohort_id")
        .annotate(n=Count("id"))
    )
    for row in attended:
        cohorts[row["session__group__cohort_id"]].intervisie.attendance.part = row["n"]


def _coaching(cohorts, organisation_id, filters) -> CoachingFigures | None:
    """Sessions used of agreed, per cohort through the trajectory's enrolment; trajectories
    of no enrolment as one figure when no leergang or cohort is chosen (one query)."""
    in_cohorts = Q(enrolment__cohort_id__in=list(cohorts))
    outside = not (filters.leergang or filters.cohort)
    scope = (
        in_cohorts | (Q(enrolment=None) & _period_q("created_at", filters))
        if outside
        else (in_cohorts)
    )
    used = subquery_count(
        CoachingSession.objects.filter(trajectory=OuterRef("pk"), status__in=USED)
    )
    rows = (
        Trajectory.objects.filter(_people_q("participant__", organisation_id, filters))
        .filter(scope)
        .annotate(used=used)
        .order_by()
        .values("enrolment__cohort_id")
        .annotate(
            trajectories=Count("id"),
            agreed=Sum("agreed_sessions"),
            used_total=Sum("used", output_field=IntegerField()),
        )
    )
    result = None
    for row in rows:
        figures = CoachingFigures(row["trajectories"], Rate(row["used_total"], row["agreed"]))
        if row["enrolment__cohort_id"] is None:
            result = figures
        else:
            cohorts[row["enrolment__cohort_id"]].coaching = figures
    return result


def _evaluations(cohorts, leergangen, organisation_id, minimum) -> None:
    """The evaluation figures of the organisation's answers about these cohorts, per cohort
    and per leergang (two queries). Anonymous: no department."""
    answers = Answer.objects.filter(
        organisation_id=organisation_id,
        cohort_id__in=list(cohorts),
        kind__in=[Kind.LEERGANG, Kind.BIJEENKOMST],
    )
    for (kind, cohort_id), row in grouped_totals(answers, "kind", "cohort_id").items():
        name = "leergang" if kind == Kind.LEERGANG else "bijeenkomsten"
        setattr(cohorts[cohort_id].evaluation, name, figures_of_row(row, minimum))
    for (kind, leergang_id), row in grouped_totals(answers, "kind", "leergang_id").items():
        if leergang_id in leergangen:
            name = "leergang" if kind == Kind.LEERGANG else "bijeenkomsten"
            setattr(leergangen[leergang_id].evaluation, name, figures_of_row(row, minimum))


def _quarter(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _flag(q: Q):
    """A condition as a column (true when ``q`` is empty: no period chosen)."""
    return ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)


def _trend(organisation_id, filters) -> list[Quarter]:
    """Enrolments made and completed per quarter, dated in the period (one query: grouped by
    both quarters, then summed each way)."""
    enrolments = Enrolment.objects.filter(_people_q("participant__", organisation_id, filters))
    if filters.leergang:
        enrolments = enrolments.filter(cohort__leergang_id=filters.leergang)
    if filters.cohort:
        enrolments = enrolments.filter(cohort_id=filters.cohort)
    created_in, completed_in = _period_q("created_at", filters), _period_q("completed_at", filters)
    completed = Q(completed_at__isnull=False) & completed_in
    rows = (
        enrolments.filter((created_in | completed) if created_in else Q())
        .order_by()
        .annotate(
            made=TruncQuarter("created_at"),
            done=TruncQuarter("completed_at"),
            made_in=_flag(created_in),
            done_in=_flag(completed),
        )
        .values("made", "done", "made_in", "done_in")
        .annotate(n=Count("id"))
    )
    quarters: dict[datetime.date, Quarter] = {}

    def quarter(moment) -> Quarter:
        start = _quarter(timezone.localtime(moment).date())
        return quarters.setdefault(start, Quarter(start))

    for row in rows:
        if row["made_in"]:
            quarter(row["made"]).enrolments += row["n"]
        if row["done_in"]:
            quarter(row["done"]).completions += row["n"]
    if not quarters:
        return []
    # Every quarter between the first and the last, so a quiet quarter shows as 0.
    start, last = min(quarters), max(quarters)
    result = []
    while start <= last:
        result.append(quarters.get(start, Quarter(start)))
        start = _quarter(start + datetime.timedelta(days=93))
    return result


def dashboard(organisation_id: int, filters: Filters, *, choices: Choices, now=None) -> Dashboard:
    """Everything the dashboard shows for one organisation, narrowed by ``filters`` (whose
    values the form checked against ``choices``; choices kept without their rows are read
    again, in one query)."""
    now = now or timezone.now()
    if not choices.rows:
        choices = dataclasses.replace(choices, rows=_cohort_rows(organisation_id))
    minimum = settings.EVALUATION_HR_MIN
    cohorts = _selected_cohorts(choices.rows, filters)
    leergangen: dict[int, LeergangFigures] = {}
    titles = {
        row["cohort_id"]: (row["cohort__leergang_id"], row["cohort__leergang__title"])
        for row in choices.rows
    }
    for cohort in sorted(cohorts.values(), key=lambda c: (c.starts_on, c.name)):
        leergang_id, title = titles[cohort.pk]
        leergangen.setdefault(leergang_id, LeergangFigures(leergang_id, title)).cohorts.append(
            cohort
        )
    coaching_outside = None
    if cohorts:
        _attendance(cohorts, organisation_id, filters, now)
        _funnel(cohorts, leergangen, organisation_id, filters, now)
        _intervisie(cohorts, organisation_id, filters)
        _evaluations(cohorts, leergangen, organisation_id, minimum)
    if cohorts or not (filters.leergang or filters.cohort):
        coaching_outside = _coaching(cohorts, organisation_id, filters)
    return Dashboard(
        leergangen=sorted(leergangen.values(), key=lambda leergang: leergang.title),
        trend=_trend(organisation_id, filters),
        coaching_outside=coaching_outside,
        minimum=minimum,
    )
