"""The marks of the attendance and progress tables: ``{% load leergang %}``.

Each mark is a glyph for the eye (hidden from screen readers) and a word for the screen
reader; the legend is built from the same table, so the two never disagree.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leergang.models import Attendance
from portal.listing import pk_url

register = template.Library()

ATTENDANCE_MARKS = {
    Attendance.Status.PRESENT: ("✔", _("present")),
    Attendance.Status.ABSENT: ("✘", _("absent")),
    Attendance.Status.EXCUSED: ("A", _("excused")),
}
NOT_RECORDED = ("–", _("not recorded"))
REFLECTION_MARKS = {
    "submitted": ("✔", _("submitted")),
    "draft": ("…", _("draft")),
    "none": ("–", _("none")),
}


def _legend(marks) -> str:
    return " · ".join(f"{glyph} {label}" for glyph, label in marks)


def _mark(glyph, label, detail=""):
    """A glyph for the eye and its word for the screen reader. Built in Python, not from a
    template: the trainer's matrix has one per participant per column, and an inclusion
    tag per cell made most of that page's time."""
    if detail:
        return format_html(
            '<span aria-hidden="true" title="{}">{}</span>'
            '<span class="visually-hidden">{}: {}</span>',
            detail,
            glyph,
            label,
            detail,
        )
    return format_html(
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>', glyph, label
    )


@register.simple_tag
def attendance_legend():
    """``✔ present · ✘ absent · A excused · – not recorded``."""
    return _legend([*ATTENDANCE_MARKS.values(), NOT_RECORDED])


@register.simple_tag
def reflection_legend():
    """``✔ submitted · … draft · – none``."""
    return _legend(REFLECTION_MARKS.values())


_CELL = '<td class="text-center">{}</td>'


class _MatrixCells:
    """Every cell the matrix can show as HTML, built once per page: most cells are one of a
    few fixed marks, and ``reverse()`` and ``gettext()`` per cell were a good part of the
    page's time."""

    def __init__(self, modules, reads_shared: bool):
        self.fixed = {
            status: _CELL.format(_mark(glyph, label))
            for status, (glyph, label) in ATTENDANCE_MARKS.items()
        }
        self.fixed[None] = _CELL.format(_mark(*NOT_RECORDED))
        self.reflection = {
            key: _CELL.format(_mark(*mark)) for key, mark in REFLECTION_MARKS.items()
        }
        self.links = None
        if reads_shared:
            # The reflection's link, before and after its address (a path and a number:
            # nothing to escape).
            self.reflection_url = pk_url("leergang:reflection-detail")
            self.links = [
                (
                    mark_safe('<td class="text-center"><a href="'),  # nosec B308 # a literal
                    format_html(
                        '" aria-label="{}">{}</a></td>',
                        gettext("Read the shared reflection on %(module)s")
                        % {"module": module.title},
                        REFLECTION_MARKS["submitted"][0],
                    ),
                )
                for module in modules
            ]

    def row(self, row) -> str:
        fixed, reflection_marks, cells = self.fixed, self.reflection, []
        for recorded in row.attendance:
            if recorded is None or not (recorded[0] == Attendance.Status.EXCUSED and recorded[1]):
                cells.append(fixed[recorded and recorded[0]])
            else:
                glyph, label = ATTENDANCE_MARKS[Attendance.Status.EXCUSED]
                cells.append(_CELL.format(_mark(glyph, label, recorded[1])))
        for index, reflection in enumerate(row.reflections):
            if reflection is None:
                cells.append(reflection_marks["none"])
            elif not reflection[1]:
                cells.append(reflection_marks["draft"])
            elif self.links and reflection[2]:
                before, after = self.links[index]
                cells.append(f"{before}{self.reflection_url(reflection[0])}{after}")
            else:
                cells.append(reflection_marks["submitted"])
        # Every part above is escaped (``_mark``, ``format_html``) or a number (bandit's
        # B308 and B703 cannot see that).
        return mark_safe("".join(cells))  # nosec B308 B703 # escaped above


@register.simple_tag(takes_context=True)
def matrix_cells(context, row, modules, *, reads_shared=False):
    """A participant's cells of the matrix (``selectors.cohort_matrix``): per bijeenkomst
    what was recorded, with the reason of an afmelding; per module the reflection:
    submitted, draft or none, a submitted one the participant shared linking to its text
    for those who may read it. One call per row, not per cell: the tag's own overhead was
    a good part of the page."""
    key = (_MatrixCells, id(modules), reads_shared)
    cells = context.render_context.get(key)
    if cells is None:
        cells = context.render_context[key] = _MatrixCells(modules, reads_shared)
    return cells.row(row)


@register.simple_tag
def module_status(progress) -> str:
    """Where a participant stands with one module, in a few words."""
    if progress.completed:
        return f"✔ {_('Completed')}"
    if progress.reflection_submitted:
        return _("Reflection submitted")
    if progress.reflection:
        return _("Draft saved")
    if progress.reflection_open:
        return _("Reflection to write")
    return _("Not started")
