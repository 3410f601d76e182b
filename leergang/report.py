"""The programme office's report: per leergang and cohort how full, how attended, how
completed and how valued, computed in the database in a fixed number of queries.

What counts, in the words of the rest of the portal:
- fill rate: people with a seat (``SEAT_STATES``) of the cohort's seats;
- waiting list: waitlisted and offered (a seat offered is not yet taken);
- interest: the leergang's interest list (``Interest``), per preferred region;
- attendance: ``EnrolmentQuerySet.with_attendance`` summed over the people with a seat,
  attended of held (``AttendanceRate``), so a module taken along by a move or made up
  elsewhere counts as it does for the person's own completion;
- completion: completed of the people with a seat, only for a cohort that has ended;
- make-up sessions: approved ``MakeUpRequest``s of the cohort's people, and how many of
  them they attended (present at the make-up bijeenkomst once it was held);
- evaluations: the anonymous answers (``evaluations.selectors``): the end evaluation per
  cohort, and the bijeenkomsten's answers per module and per trainer of the cohorts, each
  shown once ``EVALUATION_TRAINER_MIN`` answered, the programme office's threshold.

The report reads ``evaluations`` as the HR dashboard does: a page that gathers from
several apps.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from evaluations.models import Answer, Kind
from evaluations.selectors import Figures, figures_of_row, grouped_totals
from leergang.models import (
    SEAT_STATES,
    Attendance,
    Cohort,
    Enrolment,
    Interest,
    LeergangModule,
    MakeUpRequest,
    Region,
    subquery_count,
)
from portal.figures import Rate

State = Enrolment.State
WAITING_STATES = [State.WAITLISTED, State.OFFERED]


@dataclass(frozen=True)
class Filters:
    """What the report is narrowed to: a leergang, and cohorts starting in a period."""

    leergang: int | None = None
    starts_from: datetime.date | None = None
    starts_to: datetime.date | None = None


def _no_answers() -> Figures:
    return Figures(count=0, enough=False)


@dataclass
class CohortFigures:
    pk: int
    leergang_id: int
    leergang: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    seats: int
    enrolled: int = 0  # with a seat: enrolled or completed
    completed_count: int = 0
    waiting: int = 0  # waitlisted or offered
    attendance: Rate = field(default_factory=Rate)  # attended of held
    make_ups: int = 0  # approved
    make_ups_attended: int = 0
    finished: bool = False  # ended before today
    evaluation: Figures = field(default_factory=_no_answers)  # end of the leergang

    @property
    def label(self) -> str:
        return f"{self.leergang}: {self.name}"

    @property
    def fill(self) -> Rate:
        return Rate(self.enrolled, self.seats)

    @property
    def completion(self) -> Rate | None:
        """Completed of those with a seat, once the cohort has ended (None before)."""
        return Rate(self.completed_count, self.enrolled) if self.finished else None


@dataclass
class EvaluationLine:
    """The averages of one module or one trainer over the selected cohorts."""

    name: str
    figures: Figures


@dataclass
class LeergangFigures:
    pk: int
    title: str
    cohorts: list[CohortFigures] = field(default_factory=list)
    interest: list[tuple[str, int]] = field(default_factory=list)  # (region, people)
    modules: list[EvaluationLine] = field(default_factory=list)
    trainers: list[EvaluationLine] = field(default_factory=list)

    def _sum(self, name: str, start=0):
        total = start
        for cohort in self.cohorts:
            total = total + getattr(cohort, name)
        return total

    @cached_property
    def seats(self) -> int:
        return self._sum("seats")

    @cached_property
    def enrolled(self) -> int:
        return self._sum("enrolled")

    @property
    def fill(self) -> Rate:
        return Rate(self.enrolled, self.seats)

    @cached_property
    def waiting(self) -> int:
        return self._sum("waiting")

    @cached_property
    def interest_count(self) -> int:
        return sum(n for _region, n in self.interest)

    @cached_property
    def attendance(self) -> Rate:
        return self._sum("attendance", Rate())

    @cached_property
    def completed_count(self) -> int:
        return self._sum("completed_count")

    @cached_property
    def completion(self) -> Rate | None:
        """Over the cohorts that have ended; None when none has."""
        finished = [cohort.completion for cohort in self.cohorts if cohort.finished]
        return sum(finished, Rate()) if finished else None

    @cached_property
    def make_ups(self) -> int:
        return self._sum("make_ups")

    @cached_property
    def make_ups_attended(self) -> int:
        return self._sum("make_ups_attended")


@dataclass
class Report:
    leergangen: list[LeergangFigures]
    minimum: int  # answers needed before an average shows
    today: datetime.date

    @cached_property
    def cohorts(self) -> list[CohortFigures]:
        return [cohort for leergang in self.leergangen for cohort in leergang.cohorts]

    @property
    def is_empty(self) -> bool:
        return not self.leergangen


# --- the queries ---------------------------------------------------------------------------


def _cohorts(filters: Filters, now) -> dict[int, CohortFigures]:
    """The selected cohorts with their enrolments by state and their make-up sessions
    (one query: counts over the enrolments' join, make-ups as correlated subqueries)."""
    cohorts = Cohort.objects.all()
    if filters.leergang:
        cohorts = cohorts.filter(leergang_id=filters.leergang)
    if filters.starts_from:
        cohorts = cohorts.filter(starts_on__gte=filters.starts_from)
    if filters.starts_to:
        cohorts = cohorts.filter(starts_on__lte=filters.starts_to)
    approved = MakeUpRequest.objects.filter(
        enrolment__cohort=OuterRef("pk"), state=MakeUpRequest.State.APPROVED
    )
    present = Attendance.objects.attended(now=now).filter(
        enrolment=OuterRef("enrolment_id"), bijeenkomst=OuterRef("bijeenkomst_id")
    )
    rows = (
        cohorts.order_by("starts_on", "name", "pk")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__state__in=SEAT_STATES)),
            completed_count=Count("enrolments", filter=Q(enrolments__state=State.COMPLETED)),
            waiting=Count("enrolments", filter=Q(enrolments__state__in=WAITING_STATES)),
            make_ups=subquery_count(approved),
            make_ups_attended=subquery_count(approved.filter(Exists(present))),
        )
        .values(
            "pk",
            "leergang_id",
            "leergang__title",
            "name",
            "starts_on",
            "ends_on",
            "seats",
            "enrolled",
            "completed_count",
            "waiting",
            "make_ups",
            "make_ups_attended",
        )
    )
    today = timezone.localdate(now)
    result = {}
    for row in rows:
        result[row["pk"]] = CohortFigures(
            pk=row["pk"],
            leergang_id=row["leergang_id"],
            leergang=row["leergang__title"],
            name=row["name"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            seats=row["seats"],
            enrolled=row["enrolled"],
            completed_count=row["completed_count"],
            waiting=row["waiting"],
            make_ups=row["make_ups"],
            make_ups_attended=row["make_ups_attended"],
            finished=row["ends_on"] < today,
        )
    return result


def _attendance(cohorts: dict[int, CohortFigures], now) -> None:
    """Attended of held, summed per cohort over the people with a seat (one query)."""
    rows = (
        Enrolment.objects.filter(cohort_id__in=list(cohorts), state__in=SEAT_STATES)
        .with_attendance(now=now)
        .order_by()
        .values("cohort_id")
        .annotate(held=Sum("bijeenkomsten_held"), attended=Sum("bijeenkomsten_attended"))
    )
    for row in rows:
        cohorts[row["cohort_id"]].attendance = Rate(row["attended"] or 0, row["held"] or 0)


def _interest(filters: Filters) -> dict[int, tuple[str, list[tuple[str, int]]]]:
    """Per leergang: its title and the people interested per preferred region (one query)."""
    interests = Interest.objects.all()
    if filters.leergang:
        interests = interests.filter(leergang_id=filters.leergang)
    found: dict[int, tuple[str, list]] = {}
    labels = dict(Region.choices)
    for row in (
        interests.order_by()
        .values("leergang_id", "leergang__title", "region")
        .annotate(n=Count("id"))
        .order_by("leergang_id", "region")
    ):
        region = labels.get(row["region"]) or gettext("No preference")
        found.setdefault(row["leergang_id"], (row["leergang__title"], []))[1].append(
            (str(region), row["n"])
        )
    return found


def _evaluations(cohorts, leergangen: dict[int, LeergangFigures], minimum: int) -> None:
    """The end evaluation per cohort; the bijeenkomsten's answers per module (in the
    leergang's order) and per trainer of the cohorts (four queries)."""
    ids = list(cohorts)
    end = grouped_totals(Answer.objects.filter(kind=Kind.LEERGANG, cohort_id__in=ids), "cohort_id")
    for (cohort_id,), row in end.items():
        cohorts[cohort_id].evaluation = figures_of_row(row, minimum)
    bijeenkomsten = Answer.objects.filter(kind=Kind.BIJEENKOMST, cohort_id__in=ids)
    per_module = grouped_totals(
        bijeenkomsten.filter(module__isnull=False), "cohort__leergang_id", "module_id"
    )
    links = defaultdict(list)
    for link in (
        LeergangModule.objects.filter(leergang_id__in=list(leergangen))
        .order_by("position", "pk")
        .values("leergang_id", "module_id", "module__title")
    ):
        links[link["leergang_id"]].append(link)
    for leergang_id, leergang in leergangen.items():
        if not leergang.cohorts:
            continue
        leergang.modules = [
            EvaluationLine(
                link["module__title"],
                figures_of_row(per_module.get((leergang_id, link["module_id"])), minimum),
            )
            for link in links[leergang_id]
        ]
    # A cohort with two trainers counts its answers for each of them.
    per_trainer = grouped_totals(
        bijeenkomsten,
        "cohort__leergang_id",
        "cohort__trainers",
        "cohort__trainers__first_name",
        "cohort__trainers__last_name",
    )
    trainers = defaultdict(list)
    for (leergang_id, trainer_id, first, last), row in per_trainer.items():
        if trainer_id is not None and leergang_id in leergangen:
            name = f"{first} {last}".strip()
            trainers[leergang_id].append(EvaluationLine(name, figures_of_row(row, minimum)))
    for leergang_id, lines in trainers.items():
        leergangen[leergang_id].trainers = sorted(lines, key=lambda line: line.name)


def report(filters: Filters, *, now=None) -> Report:
    """Everything the report shows, narrowed by ``filters`` (checked by the form)."""
    now = now or timezone.now()
    minimum = settings.EVALUATION_TRAINER_MIN
    cohorts = _cohorts(filters, now)
    interest = _interest(filters)
    leergangen: dict[int, LeergangFigures] = {}
    for cohort in cohorts.values():
        leergangen.setdefault(
            cohort.leergang_id, LeergangFigures(cohort.leergang_id, cohort.leergang)
        ).cohorts.append(cohort)
    for leergang_id, (title, regions) in interest.items():
        leergangen.setdefault(leergang_id, LeergangFigures(leergang_id, title)).interest = regions
    if cohorts:
        _attendance(cohorts, now)
        _evaluations(cohorts, leergangen, minimum)
    return Report(
        leergangen=sorted(leergangen.values(), key=lambda leergang: (leergang.title, leergang.pk)),
        minimum=minimum,
        today=timezone.localdate(now),
    )
