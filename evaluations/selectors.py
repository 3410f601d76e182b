"""The figures each role reads, computed in the database in a fixed number of queries.

A group of answers shows its figures only once enough people answered (the thresholds in
the settings); below that it is "te weinig reacties" and nothing of it leaves this module
(no average, no distribution, no comment). Comments reach trainers only; HR and the
programme office read averages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, OuterRef, Q

from evaluations.models import GRADES, Answer, GoalScore, Invitation, Kind
from leergang.models import (
    Bijeenkomst,
    Cohort,
    Leergang,
    LeergangModule,
    Module,
    subquery_count,
)
from portal.models import User

PROMOTER, DETRACTOR = Q(recommendation__gte=9), Q(recommendation__lte=6)
_TOTALS = {
    "count": Count("id"),
    "grade_average": Avg("grade"),
    "recommendation_average": Avg("recommendation"),
    "promoters": Count("id", filter=PROMOTER),
    "detractors": Count("id", filter=DETRACTOR),
}


@dataclass
class Figures:
    """What a group of answers shows; empty unless ``enough`` answered."""

    count: int
    enough: bool
    grade: float | None = None
    recommendation: float | None = None
    nps: int | None = None  # % promoters (9-10) minus % detractors (0-6)
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (grade, answers)
    comments: list[str] = field(default_factory=list)
    goals: list[tuple[str, float]] = field(default_factory=list)  # (learning goal, average)

    @property
    def max_share(self) -> int:
        return max((n for _grade, n in self.distribution), default=0)


def figures_of_row(row: dict | None, minimum: int) -> Figures:
    """The figures of one row of ``grouped_totals``: shown only from ``minimum`` answers."""
    count = row["count"] if row else 0
    if count < minimum:
        return Figures(count=count, enough=False)
    return Figures(
        count=count,
        enough=True,
        grade=round(row["grade_average"], 1),
        recommendation=round(row["recommendation_average"], 1),
        nps=round(100 * (row["promoters"] - row["detractors"]) / count),
    )


def grouped_totals(answers, *keys) -> dict[tuple, dict]:
    """The answers' totals per value of ``keys``, one aggregate query."""
    return {
        tuple(row[key] for key in keys): row
        for row in answers.order_by().values(*keys).annotate(**_TOTALS)
    }


def _distributions(answers, *keys) -> dict[tuple, list[tuple[int, int]]]:
    counts = defaultdict(dict)
    for row in answers.order_by().values(*keys, "grade").annotate(n=Count("id")):
        counts[tuple(row[key] for key in keys)][row["grade"]] = row["n"]
    return {
        key: [(grade, found.get(grade, 0)) for grade in GRADES] for key, found in counts.items()
    }


def _comments(answers, *keys) -> dict[tuple, list[str]]:
    found = defaultdict(list)
    # Ordered by the random key: not by when, nor by whom.
    for row in answers.exclude(comments="").order_by("id").values(*keys, "comments"):
        found[tuple(row[key] for key in keys)].append(row["comments"])
    return found


def _module_goals(scores, minimum: int, *keys) -> dict[tuple, Figures]:
    """Per ``keys`` (module first): how many answers scored its goals, and per goal the
    average once enough did."""
    counts = {
        tuple(row[key] for key in keys): row["n"]
        for row in scores.order_by().values(*keys).annotate(n=Count("answer_id", distinct=True))
    }
    result = {key: Figures(count=n, enough=n >= minimum) for key, n in counts.items()}
    for row in scores.order_by().values(*keys, "goal").annotate(average=Avg("score")):
        key = tuple(row[k] for k in keys)
        if result[key].enough:
            result[key].goals.append((row["goal"], round(row["average"], 1)))
    return result


def cohort_results(cohort: Cohort) -> dict:
    """A cohort for its trainers: the leergang as a whole, each bijeenkomst and each module,
    with average, distribution and comments once ``EVALUATION_TRAINER_MIN`` answered."""
    minimum = settings.EVALUATION_TRAINER_MIN
    answers = Answer.objects.filter(cohort=cohort)
    totals = grouped_totals(answers, "kind", "bijeenkomst_id")
    distributions = _distributions(answers, "kind", "bijeenkomst_id")
    comments = _comments(answers, "kind", "bijeenkomst_id")

    def figures(key) -> Figures:
        result = figures_of_row(totals.get(key), minimum)
        if result.enough:
            result.distribution = distributions[key]
            result.comments = comments.get(key, [])
        return result

    goals = _module_goals(GoalScore.objects.filter(answer__cohort=cohort), minimum, "module_id")
    modules = [
        link.module
        for link in LeergangModule.objects.filter(leergang=cohort.leergang_id).select_related(
            "module"
        )
    ]
    bijeenkomsten = Bijeenkomst.objects.filter(cohort=cohort).select_related("module")
    return {
        "leergang": figures((Kind.LEERGANG, None)),
        "bijeenkomsten": [(b, figures((Kind.BIJEENKOMST, b.pk))) for b in bijeenkomsten],
        "modules": [
            (module, goals.get((module.pk,), Figures(count=0, enough=False))) for module in modules
        ],
        "minimum": minimum,
    }


def _cohorts_read_by(user: User):
    return Cohort.objects.all() if user.is_beheerder else Cohort.objects.filter(trainers=user)


def module_results(user: User) -> list[tuple[Module, Figures, Figures]]:
    """Per module, over the bijeenkomsten of every cohort this person trains (the programme
    office: all): average, distribution and comments, and the learning goals' averages,
    each once ``EVALUATION_TRAINER_MIN`` answered."""
    minimum = settings.EVALUATION_TRAINER_MIN
    cohorts = _cohorts_read_by(user).values("pk")
    answers = Answer.objects.filter(kind=Kind.BIJEENKOMST, cohort__in=cohorts, module__isnull=False)
    totals = grouped_totals(answers, "module_id")
    distributions = _distributions(answers, "module_id")
    comments = _comments(answers, "module_id")
    goals = _module_goals(
        GoalScore.objects.filter(answer__in=answers.values("pk")), minimum, "module_id"
    )
    result = []
    for module in Module.objects.filter(pk__in=[key[0] for key in totals]):
        key = (module.pk,)
        figures = figures_of_row(totals[key], minimum)
        if figures.enough:
            figures.distribution = distributions[key]
            figures.comments = comments.get(key, [])
        result.append((module, figures, goals.get(key, Figures(count=0, enough=False))))
    return result


def trained_cohorts(user: User):
    """The cohorts whose results this person reads (what they train; the programme office
    all), most recent first, each with ``answer_count``."""
    cohorts = list(_cohorts_read_by(user).select_related("leergang").order_by("-starts_on", "name"))
    counts = answer_counts(cohorts)
    for cohort in cohorts:
        cohort.answer_count = counts.get(cohort.pk, 0)
    return cohorts


def trained_cohorts_for_page(user: User):
    """``trained_cohorts`` as a queryset to page through, ``answer_count`` per row."""
    return (
        _cohorts_read_by(user)
        .select_related("leergang")
        .annotate(answer_count=subquery_count(Answer.objects.filter(cohort=OuterRef("pk"))))
        .order_by("-starts_on", "name", "pk")
    )


def answer_counts(cohorts) -> dict[int, int]:
    """Per cohort: how many answers (all kinds) it has."""
    return dict(
        Answer.objects.filter(cohort__in=cohorts)
        .order_by()
        .values_list("cohort_id")
        .annotate(n=Count("id"))
    )


def hr_results(user: User) -> dict:
    """HR's averages of its own organisation's people, per leergang and per module, where
    ``EVALUATION_HR_MIN`` answered; never comments or distributions."""
    minimum = settings.EVALUATION_HR_MIN
    answers = Answer.objects.filter(organisation_id=user.organisation_id)
    per_leergang = grouped_totals(answers.filter(kind=Kind.LEERGANG), "leergang_id")
    per_module = grouped_totals(answers.filter(kind=Kind.BIJEENKOMST), "module_id")
    goals = _module_goals(
        GoalScore.objects.filter(answer__organisation_id=user.organisation_id),
        minimum,
        "module_id",
    )
    leergangen = Leergang.objects.filter(pk__in=[key[0] for key in per_leergang])
    module_ids = {key[0] for key in per_module} | {key[0] for key in goals}
    modules = Module.objects.filter(pk__in=module_ids - {None})
    return {
        "leergangen": [
            (leergang, figures_of_row(per_leergang[(leergang.pk,)], minimum))
            for leergang in leergangen
        ],
        "modules": [
            (
                module,
                figures_of_row(per_module.get((module.pk,)), minimum),
                goals.get((module.pk,), Figures(count=0, enough=False)),
            )
            for module in modules
        ],
        "minimum": minimum,
    }


def programme_trends() -> dict:
    """For the programme office: per leergang and per module, cohort by cohort, the average
    and the recommendation score (NPS); per coach the coaching averages. Only averages, and
    a cell shows them once as many answered as a trainer needs (a coach's: a coach's)."""
    minimum = settings.EVALUATION_TRAINER_MIN
    leergang_rows = grouped_totals(
        Answer.objects.filter(kind=Kind.LEERGANG), "leergang_id", "cohort_id"
    )
    module_rows = grouped_totals(
        Answer.objects.filter(kind=Kind.BIJEENKOMST), "module_id", "cohort_id"
    )
    cohorts = {
        c.pk: c
        for c in Cohort.objects.filter(
            pk__in={key[1] for key in leergang_rows} | {key[1] for key in module_rows}
        ).order_by("starts_on")
    }
    leergangen = {
        leergang.pk: leergang
        for leergang in Leergang.objects.filter(pk__in={key[0] for key in leergang_rows})
    }
    modules = {
        module.pk: module
        for module in Module.objects.filter(pk__in={key[0] for key in module_rows} - {None})
    }

    def trend(rows, owners):
        table = defaultdict(list)
        for (owner_id, cohort_id), row in rows.items():
            if owner_id in owners and cohort_id in cohorts:
                table[owner_id].append((cohorts[cohort_id], figures_of_row(row, minimum)))
        return [
            (owners[owner_id], sorted(cells, key=lambda cell: cell[0].starts_on))
            for owner_id, cells in sorted(table.items(), key=lambda item: str(owners[item[0]]))
        ]

    return {
        "leergangen": trend(leergang_rows, leergangen),
        "modules": trend(module_rows, modules),
        "coaches": coach_overview(),
        "minimum": minimum,
    }


def coach_overview() -> list[tuple[User, Figures]]:
    """Per coach: the averages over their evaluated trajectories, once enough answered."""
    rows = grouped_totals(Answer.objects.filter(kind=Kind.COACHING).exclude(coach=None), "coach_id")
    coaches = User.objects.filter(pk__in=[key[0] for key in rows]).order_by(
        "last_name", "first_name"
    )
    return [
        (coach, figures_of_row(rows[(coach.pk,)], settings.EVALUATION_COACH_MIN))
        for coach in coaches
    ]


def coach_results(coach: User) -> Figures:
    """A coach's own averages over their trajectories: never one by one, so only once
    ``EVALUATION_COACH_MIN`` trajectories were evaluated."""
    row = Answer.objects.filter(kind=Kind.COACHING, coach=coach).aggregate(**_TOTALS)
    return figures_of_row(row, settings.EVALUATION_COACH_MIN)


def open_invitations(user: User) -> list:
    """This person's evaluations still to fill in, newest first, with what they are about.

    Mostly there are none. Saying what one is about joins eight tables, which PostgreSQL
    takes some 2.5 ms to plan (measured on the bench data, against 0.6 ms for the plain
    query): so first whether there is any."""
    invitations = Invitation.objects.open().filter(recipient=user)
    if not invitations.exists():
        return []
    return list(
        invitations.select_related(
            "bijeenkomst__cohort__leergang", "cohort__leergang", "trajectory__coach"
        ).order_by("-created_at")[:5]
    )


# The programme office's home counts every answer ever given: a COUNT(*) that grows with
# the table (2.4 ms at the bench's 22,000 answers, the rest of the page taking 10), so it is
# kept until an answer is saved or deleted (``forget_answer_total``, connected in apps.py),
# and ten minutes at most: a delete made while Redis was down reached only the fallback.
ANSWER_TOTAL_KEY = "evaluations:answer-total"
ANSWER_TOTAL_SECONDS = 600


def answer_total() -> int:
    return cache.get_or_set(ANSWER_TOTAL_KEY, Answer.objects.count, ANSWER_TOTAL_SECONDS)


def forget_answer_total(**kwargs) -> None:
    cache.delete(ANSWER_TOTAL_KEY)
    # Also once committed: a visit between the delete and the commit counted the old rows.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(ANSWER_TOTAL_KEY))
