"""The marks of the attendance and progress tables: ``{% load leergang %}``.

Each mark is a glyph for the eye (hidden from screen readers) and a word for the screen
reader; the legend is built from the same table, so the two never disagree.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from leergang.models import Attendance

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


@register.inclusion_tag("leergang/_mark.html")
def attendance_mark(attendance):
    """One cell of the matrix: what was recorded, with the reason of an afmelding."""
    if attendance is None:
        glyph, label = NOT_RECORDED
        return {"glyph": glyph, "label": label}
    glyph, label = ATTENDANCE_MARKS[attendance.status]
    reason = attendance.reason if attendance.status == Attendance.Status.EXCUSED else ""
    return {"glyph": glyph, "label": label, "detail": reason}


@register.simple_tag
def attendance_legend():
    """``✔ present · ✘ absent · A excused · – not recorded``."""
    return _legend([*ATTENDANCE_MARKS.values(), NOT_RECORDED])


@register.simple_tag
def reflection_legend():
    """``✔ submitted · … draft · – none``."""
    return _legend(REFLECTION_MARKS.values())


@register.inclusion_tag("leergang/_mark.html")
def reflection_mark(progress, *, reads_shared=False):
    """A module's reflection in the matrix: submitted, draft or none; a submitted one
    the participant shared links to its text for those who may read it."""
    if progress.reflection_submitted:
        glyph, label = REFLECTION_MARKS["submitted"]
        shared = reads_shared and progress.reflection.shared_with_trainer
        return {
            "glyph": glyph,
            "label": label,
            "reflection": shared and progress.reflection,
            "module": progress.module,
        }
    glyph, label = REFLECTION_MARKS["draft" if progress.reflection else "none"]
    return {"glyph": glyph, "label": label}


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
