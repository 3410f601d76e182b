"""The dashboard's figures as a file: CSV for Dutch Excel, and XLSX with a sheet per section.

Both carry exactly what the page shows (the same ``hr.figures.Dashboard``), with Dutch
headers; an evaluation below the threshold is "te weinig reacties" here too.

``safe_cell``, ``csv_response`` and ``xlsx_response`` serve any HR export: a text cell
that a spreadsheet would read as a formula (it starts with = + - @, a tab or a return) gets
a leading apostrophe, so a cohort named "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hr.figures import STATE_FIELDS, Dashboard, Rate

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d-%m-%Y"
XLSX_DATE_FORMAT = "dd-mm-yyyy"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A text that no spreadsheet runs as a formula; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Section:
    title: str  # the sheet's name (at most 31 characters)
    headers: list[str]
    rows: list[list]


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


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _csv_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # Dutch Excel reads a decimal comma
    return str(safe_cell(value))


def csv_response(section_list: list[Section], *, organisation: str) -> HttpResponse:
    """One file, the sections one below the other: UTF-8 with a byte order mark and
    semicolons, as Dutch Excel opens it without an import wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, section in enumerate(section_list):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(section.title)])
        writer.writerow([safe_cell(header) for header in section.headers])
        for row in section.rows:
            writer.writerow([_csv_text(value) for value in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    return _download(response, _filename(organisation, "csv"))


def xlsx_response(section_list: list[Section], *, organisation: str) -> HttpResponse:
    """A sheet per section, dates as real date cells shown dd-mm-jjjj."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for section in section_list:
        sheet = workbook.create_sheet(section.title[:31])
        sheet.append([safe_cell(header) for header in section.headers])
        for cell in sheet[1]:
            cell.font = bold
        for row in section.rows:
            sheet.append([safe_cell(value) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = XLSX_DATE_FORMAT
                elif isinstance(cell.value, float):
                    cell.number_format = "0.0"
        for index, header in enumerate(section.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    return _download(response, _filename(organisation, "xlsx"))
