"""The certificate of participation of a completed enrolment, as a PDF.

Rendered with fpdf2 and the embedded DejaVu Sans fonts (``leergang/fonts``), so every
name prints as written: Şahin, Łukasz, Brontë. The texts are Dutch on purpose: the
certificate is an official document of a Dutch academy, whatever the reader's language.

Anyone can check a certificate at the verification URL printed on it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from fpdf import FPDF

# fontTools logs every step of subsetting the embedded font at INFO level.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

ISSUER = "Academie voor Publiek Vakmanschap"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"

DARK_BLUE = (0x15, 0x42, 0x73)  # #154273
GOLD = (0xFF, 0xB6, 0x12)  # #ffb612
WHITE = (0xFF, 0xFF, 0xFF)
TEXT = (0x22, 0x22, 0x22)
MUTED = (0x55, 0x55, 0x55)

# A4 landscape, in millimetres.
PAGE_W, PAGE_H = 297, 210
MARGIN = 28  # left and right edge of the text, inside the frame
CONTENT_W = PAGE_W - 2 * MARGIN
BODY_TOP = 36  # below the blue band
FOOTER_TOP = PAGE_H - 48
BODY_BOTTOM = FOOTER_TOP - 6
SEAL_RADIUS = 13
FOOTER_COLUMN_W = CONTENT_W / 2 - SEAL_RADIUS - 6  # clear of the seal in the middle


def dutch_date(day: datetime.date | datetime.datetime) -> str:
    """``12 maart 2026``. A datetime is taken in the portal's time zone first."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    with translation.override("nl"):
        return date_format(day, "j F Y")


def dutch_period(start: datetime.date, end: datetime.date) -> str:
    """``12 maart 2026 – 3 juli 2026``, or a single date for a one-day cohort."""
    if start == end:
        return dutch_date(start)
    return f"{dutch_date(start)} – {dutch_date(end)}"


def verification_url(code: str) -> str:
    """The public page where anyone can check the certificate with this code."""
    path = reverse("leergang:certificate-verify", args=[code])
    return f"{settings.PORTAL_BASE_URL}{path}"


def participant_name(enrolment) -> str:
    participant = enrolment.participant
    return participant.get_full_name() or participant.email


def completion_date(enrolment) -> datetime.date:
    if enrolment.completed_at:
        return timezone.localtime(enrolment.completed_at).date()
    return enrolment.cohort.ends_on


@dataclass
class _Line:
    """A centred paragraph of the body, with the space above it."""

    text: str
    size: float
    style: str = ""
    colour: tuple[int, int, int] = TEXT
    gap: float = 0
    rule: bool = False  # a short gold rule below it
    shrink_to_fit: bool = False  # smaller type rather than a second line (the name)


class _CertificatePDF(FPDF):
    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")

    # --- the page furniture ------------------------------------------------------------

    def frame(self) -> None:
        """A dark blue frame, a fine gold line inside it and a blue band at the top."""
        self.set_draw_color(*DARK_BLUE)
        self.set_line_width(2.2)
        self.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
        self.set_draw_color(*GOLD)
        self.set_line_width(0.6)
        self.rect(14, 14, PAGE_W - 28, PAGE_H - 28)
        self.set_fill_color(*DARK_BLUE)
        self.rect(14, 14, PAGE_W - 28, 16, style="F")
        self.set_fill_color(*GOLD)
        self.rect(14, 30, PAGE_W - 28, 1.2, style="F")
        self.set_font(FONT, "B", 10.5)
        self.set_text_color(*WHITE)
        self.set_xy(MARGIN, 19)
        self.cell(CONTENT_W, 6, ISSUER.upper(), align="C")

    def seal(self, x: float, y: float) -> None:
        self.set_fill_color(*GOLD)
        self.circle(x, y, SEAL_RADIUS, style="F")
        self.set_draw_color(*DARK_BLUE)
        self.set_line_width(0.5)
        self.circle(x, y, SEAL_RADIUS - 2.5, style="D")
        self.set_line_width(0.25)
        self.circle(x, y, SEAL_RADIUS - 3.5, style="D")
        self.set_font(FONT, "B", 11)
        self.set_text_color(*DARK_BLUE)
        self.set_xy(x - 10, y - 3)
        self.cell(20, 6, "APV", align="C")

    def footer_block(self, *, completed: str, code: str, url: str) -> None:
        top = FOOTER_TOP
        column_w = FOOTER_COLUMN_W
        right = PAGE_W - MARGIN - column_w
        self.set_draw_color(*DARK_BLUE)
        self.set_line_width(0.3)
        self.line(MARGIN, top + 9, MARGIN + column_w, top + 9)
        self.line(right, top + 9, PAGE_W - MARGIN, top + 9)

        # Left: when, and who issued it.
        self.set_xy(MARGIN, top)
        self.set_font(FONT, "", 11)
        self.set_text_color(*TEXT)
        self.cell(column_w, 7, f"Afgerond op {completed}")
        self.set_xy(MARGIN, top + 11)
        self.set_font(FONT, "B", 10.5)
        self.set_text_color(*DARK_BLUE)
        self.cell(column_w, 5, ISSUER)
        self.set_xy(MARGIN, top + 16)
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.cell(column_w, 5, "Uitgever van dit certificaat")

        # Right: how to check it.
        self.set_xy(right, top)
        self.set_font(FONT, "", 11)
        self.set_text_color(*TEXT)
        self.cell(column_w, 7, f"Verificatiecode {code}", align="R")
        self.set_xy(right, top + 11)
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.cell(column_w, 5, "Controleer de echtheid van dit certificaat op", align="R")
        size = 9.0
        self.set_font(FONT, "B", size)
        while size > 7 and self.get_string_width(url) > column_w:
            size -= 0.5
            self.set_font(FONT, "B", size)
        self.set_text_color(*DARK_BLUE)
        self.set_xy(right, top + 16)
        self.multi_cell(column_w, 4.5, url, align="R", link=url, wrapmode="CHAR")

    # --- the body ----------------------------------------------------------------------

    def _fitted_size(self, line: _Line, scale: float) -> float:
        size = line.size * scale
        if line.shrink_to_fit:
            self.set_font(FONT, line.style, size)
            while size > 14 and self.get_string_width(line.text) > CONTENT_W:
                size -= 1
                self.set_font(FONT, line.style, size)
        return size

    def _line_height(self, line: _Line, scale: float, *, draw: bool) -> float:
        size = self._fitted_size(line, scale)
        self.set_font(FONT, line.style, size)
        self.set_text_color(*line.colour)
        line_h = size * 0.46
        height = self.multi_cell(
            CONTENT_W, line_h, line.text, align="C", dry_run=True, output="HEIGHT"
        )
        if draw:
            self.set_x(MARGIN)
            self.multi_cell(CONTENT_W, line_h, line.text, align="C", new_x="LMARGIN", new_y="NEXT")
            if line.rule:
                self.set_draw_color(*GOLD)
                self.set_line_width(0.8)
                y = self.get_y() + 2.5 * scale
                self.line(PAGE_W / 2 - 30, y, PAGE_W / 2 + 30, y)
        return height + (6 * scale if line.rule else 0)

    def _modules_height(
        self, titles: list[str], columns: int, size: float, *, draw: bool, top: float = 0
    ) -> float:
        """The modules in order, numbered, in columns; the block is centred on the page."""
        self.set_font(FONT, "", size)
        self.set_text_color(*TEXT)
        line_h = size * 0.46
        number_w = self.get_string_width(f"{len(titles)}.") + 2.5
        column_w = min(CONTENT_W / columns, 120)
        widest = max(self.get_string_width(title) for title in titles) + 2 * self.c_margin + 0.5
        text_w = min(widest, column_w - number_w - 6)
        block_w = columns * (number_w + text_w) + (columns - 1) * 8
        left = (PAGE_W - block_w) / 2
        rows = -(-len(titles) // columns)
        height = 0.0
        for column in range(columns):
            y = top
            for row in range(rows):
                index = column * rows + row
                if index >= len(titles):
                    break
                x = left + column * (number_w + text_w + 8)
                item_h = self.multi_cell(
                    text_w, line_h, titles[index], align="L", dry_run=True, output="HEIGHT"
                )
                if draw:
                    self.set_xy(x, y)
                    self.cell(number_w - 2.5, line_h, f"{index + 1}.", align="R")
                    self.set_xy(x + number_w, y)
                    self.multi_cell(text_w, line_h, titles[index], align="L")
                y += item_h + 0.9 * size / 10
            height = max(height, y - top)
        return height

    def body(self, lines: list[_Line], modules: list[str]) -> None:
        """Everything between the band and the footer, centred in that space.

        Many modules or a long title first make the type smaller, then add columns.
        """
        default_columns = 1 if len(modules) <= 4 else 2 if len(modules) <= 12 else 3
        available = BODY_BOTTOM - BODY_TOP
        options = [(scale, default_columns) for scale in (1.0, 0.92, 0.85, 0.78)]
        options += [(scale, min(default_columns + 1, 3)) for scale in (0.85, 0.78, 0.72)]
        for scale, columns in options:
            height = self._body(lines, modules, scale, columns, draw=False)
            if height <= available:
                break
        self.set_y(BODY_TOP + max((available - height) / 2, 0))
        self._body(lines, modules, scale, columns, draw=True)

    def _body(self, lines, modules, scale, columns, *, draw: bool) -> float:
        height = 0.0
        for line in lines:
            height += line.gap * scale
            if draw:
                self.set_y(self.get_y() + line.gap * scale)
            height += self._line_height(line, scale, draw=draw)
            if draw and line.rule:
                self.set_y(self.get_y() + 6 * scale)
        if modules:
            label = _Line("MODULES", 8.5, "B", DARK_BLUE, gap=6)
            height += label.gap * scale
            if draw:
                self.set_y(self.get_y() + label.gap * scale)
            height += self._line_height(label, scale, draw=draw) + 1.5 * scale
            top = self.get_y() + 1.5 * scale
            size = (10.5 if len(modules) <= 12 else 9.5) * scale
            height += self._modules_height(modules, columns, size, draw=draw, top=top)
        return height


def render_certificate_pdf(enrolment) -> bytes:
    """The certificate of participation of a completed enrolment, as PDF bytes.

    Raises ValueError when the enrolment has no certificate code, i.e. when it was
    not completed.
    """
    code = enrolment.certificate_code
    if not code:
        raise ValueError("This enrolment has no certificate: it was not completed.")

    cohort = enrolment.cohort
    leergang = cohort.leergang
    name = participant_name(enrolment)
    modules = [link.module.title for link in leergang.module_links.select_related("module")]

    pdf = _CertificatePDF()
    pdf.set_title(f"Certificaat van deelname – {leergang.title}")
    pdf.set_author(ISSUER)
    pdf.set_creator(ISSUER)
    pdf.set_subject(f"{name}, {leergang.title}, {cohort.name}")
    pdf.set_keywords(f"certificaat {code}")
    pdf.set_lang("nl")
    if enrolment.completed_at:
        pdf.set_creation_date(enrolment.completed_at)
    pdf.add_page()
    pdf.frame()
    pdf.body(
        [
            _Line("Certificaat van deelname", 30, "B", DARK_BLUE, rule=True),
            _Line(f"Hierbij verklaart de {ISSUER} dat", 11.5, colour=MUTED, gap=1),
            _Line(name, 26, "B", gap=3, shrink_to_fit=True),
            _Line("heeft deelgenomen aan de leergang", 11.5, colour=MUTED, gap=3),
            _Line(leergang.title, 18, "B", DARK_BLUE, gap=1.5),
            _Line(
                f"{cohort.name}  ·  {dutch_period(cohort.starts_on, cohort.ends_on)}", 11, gap=1.5
            ),
        ],
        modules,
    )
    pdf.footer_block(
        completed=dutch_date(completion_date(enrolment)), code=code, url=verification_url(code)
    )
    pdf.seal(PAGE_W / 2, FOOTER_TOP + 10)
    return bytes(pdf.output())
