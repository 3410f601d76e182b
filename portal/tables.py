"""Tables as files to download: CSV for Dutch Excel, and XLSX with a sheet per section.

What HR's exports and the programme report share. A text cell that a spreadsheet would read
as a formula (it starts with = + - @, a tab or a return) gets a leading apostrophe, so a
cohort named "=HYPERLINK(...)" stays text (CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d-%m-%Y"
XLSX_DATE_FORMAT = "dd-mm-yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading apostrophe where it would
    otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value):
    """A text that no spreadsheet runs as a formula; other values as they are."""
    return formula_safe(value) if isinstance(value, str) else value


@dataclass
class Section:
    title: str  # the sheet's name (at most 31 characters)
    headers: list[str]
    rows: list[list]


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Figures or personal data: no copy in a shared cache or the browser's.
    response["Cache-Control"] = "no-store, private"
    return response


def _csv_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # Dutch Excel reads a decimal comma
    return str(safe_cell(value))


def csv_response(sections: list[Section], *, filename: str) -> HttpResponse:
    """One file, the sections one below the other: UTF-8 with a byte order mark and
    semicolons, as Dutch Excel opens it without an import wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, section in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(section.title)])
        writer.writerow([safe_cell(header) for header in section.headers])
        for row in section.rows:
            writer.writerow([_csv_text(value) for value in row])
    return attachment(("\ufeff" + buffer.getvalue()).encode("utf-8"), CSV_TYPE, filename)


def xlsx_response(sections: list[Section], *, filename: str) -> HttpResponse:
    """A sheet per section, dates as real date cells shown dd-mm-jjjj."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for section in sections:
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
    return attachment(buffer.getvalue(), XLSX_TYPE, filename)
