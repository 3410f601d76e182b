"""The dashboard's figures as a file: CSV for Dutch Excel, and XLSX with a sheet per section.

Both carry exactly what the page shows (the same ``hr.figures.Dashboard``), with Dutch
headers; an evaluation below the threshold is "te weinig reacties" here too.

The files are written by ``portal.tables``, which keeps a text cell from being read as a
formula.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hr.figures import STATE_FIELDS, Dashboard, Rate
from portal import tables
from portal.tables import Section


def _percent(rate: Rate):
    return rate.percent if rate.percent is not None else ""


def _evaluation_cells(figures) -> list:
    if not figures.enough:
        return [_("too few responses"), "", "", ""]
    return [figures.count, figures.grade, figures.recommendation, figures.nps]


def sections(dashboard: Dashboard, *, organisation: str, labels) -> list:
    """The dashboard as tables; ``labels`` names the chosen filters as the page does."""
    state_headers = [
        _("Awaiting approval"),
        _("On the waiting list"),
        _("Enrolled"),
        _("Completed"),
        _("Cancelled"),
        _("Not approved"),
    ]
    about = Section(
        _("Export"),
        [_("What"), _("Value")],
        [
            [_("Organisation"), organisation],
            [_("Exported on"), timezone.localdate()],
            *([label, value] for label, value in labels),
        ],
    )
    enrolments = Section(
        _("Enrolments"),
        [_("Leergang"), _("Cohort"), _("Starts on"), _("Ends on"), *state_headers, _("Total")],
        [
            [
                leergang.title,
                cohort.name,
                cohort.starts_on,
                cohort.ends_on,
                *(getattr(cohort.states, name) for name in STATE_FIELDS),
                cohort.states.total,
            ]
            for leergang in dashboard.leergangen
            for cohort in leergang.cohorts
        ],
    )
    attendance = Section(
        _("Attendance"),
        [
            _("Leergang"),
            _("Cohort"),
            _("Bijeenkomst"),
            _("Date"),
            _("Present"),
            _("With a seat"),
            _("Percentage"),
        ],
        [
            [
                leergang.title,
                cohort.name,
                bijeenkomst.title,
                timezone.localtime(bijeenkomst.starts_at).date(),
                bijeenkomst.attendance.part,
                bijeenkomst.attendance.whole,
                _percent(bijeenkomst.attendance),
            ]
            for leergang in dashboard.leergangen
            for cohort in leergang.cohorts
            for bijeenkomst in cohort.bijeenkomsten
        ],
    )
    modules = Section(
        _("Modules"),
        [
            _("Leergang"),
            _("Cohort"),
            _("Step"),
            _("Module"),
            _("Completed"),
            _("With a seat"),
            _("Percentage"),
        ],
        [
            [
                leergang.title,
                cohort.name,
                number,
                step.module,
                step.completed.part,
                step.completed.whole,
                _percent(step.completed),
            ]
            for leergang in dashboard.leergangen
            for cohort in leergang.cohorts
            for number, step in enumerate(cohort.funnel, start=1)
        ],
    )
    intervisie = Section(
        _("Intervisie"),
        [
            _("Leergang"),
            _("Cohort"),
            _("Sessions held"),
            _("Attended"),
            _("Possible"),
            _("Percentage"),
        ],
        [
            [
                leergang.title,
                cohort.name,
                cohort.intervisie.sessions,
                cohort.intervisie.attendance.part,
                cohort.intervisie.attendance.whole,
                _percent(cohort.intervisie.attendance),
            ]
            for leergang in dashboard.leergangen
            for cohort in leergang.cohorts
        ],
    )
    coaching_rows = [
        [
            leergang.title,
            cohort.name,
            cohort.coaching.trajectories,
            cohort.coaching.used.part,
            cohort.coaching.used.whole,
        ]
        for leergang in dashboard.leergangen
        for cohort in leergang.cohorts
    ]
    if dashboard.coaching_outside:
        outside = dashboard.coaching_outside
        coaching_rows.append(
            [
                _("Outside a leergang"),
                "",
                outside.trajectories,
                outside.used.part,
                outside.used.whole,
            ]
        )
    coaching = Section(
        _("Coaching"),
        [_("Leergang"), _("Cohort"), _("Trajectories"), _("Sessions used"), _("Sessions agreed")],
        coaching_rows,
    )
    evaluation_rows = []
    for leergang in dashboard.leergangen:
        scopes = [(_("Whole leergang"), leergang.evaluation)] + [
            (cohort.name, cohort.evaluation) for cohort in leergang.cohorts
        ]
        for scope, evaluation in scopes:
            for kind, figures in (
                (_("End of the leergang"), evaluation.leergang),
                (_("Bijeenkomsten"), evaluation.bijeenkomsten),
            ):
                evaluation_rows.append([leergang.title, scope, kind, *_evaluation_cells(figures)])
    evaluations = Section(
        _("Evaluations"),
        [
            _("Leergang"),
            _("Cohort"),
            _("Evaluation of"),
            _("Responses"),
            _("Average mark"),
            _("Would recommend it (average, 0-10)"),
            _("Recommendation score (NPS)"),
        ],
        evaluation_rows,
    )
    trend = Section(
        _("Trend"),
        [_("Quarter"), _("Enrolments"), _("Completed")],
        [[q.label, q.enrolments, q.completions] for q in dashboard.trend],
    )
    return [about, enrolments, attendance, modules, intervisie, coaching, evaluations, trend]


def _filename(organisation: str, extension: str) -> str:
    return f"dashboard-{slugify(organisation)}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(section_list: list[Section], *, organisation: str) -> HttpResponse:
    return tables.csv_response(section_list, filename=_filename(organisation, "csv"))


def xlsx_response(section_list: list[Section], *, organisation: str) -> HttpResponse:
    return tables.xlsx_response(section_list, filename=_filename(organisation, "xlsx"))
