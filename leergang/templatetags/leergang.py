"""The marks of the attendance and progress tables: ``{% load leergang %}``.

Each mark is a glyph for the eye (hidden from screen readers) and a word for the screen
reader; the legend is built from the same table, so the two never disagree.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
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
def attendance_mark(attendance):
    """One cell of the matrix: what was recorded, with the reason of an afmelding."""
    if attendance is None:
        return _mark(*NOT_RECORDED)
    glyph, label = ATTENDANCE_MARKS[attendance.status]
    reason = attendance.reason if attendance.status == Attendance.Status.EXCUSED else ""
    return _mark(glyph, label, reason)


@register.simple_tag
def attendance_legend():
    """``✔ present · ✘ absent · A excused · – not recorded``."""
    return _legend([*ATTENDANCE_MARKS.values(), NOT_RECORDED])


@register.simple_tag
def reflection_legend():
    """``✔ submitted · … draft · – none``."""
    return _legend(REFLECTION_MARKS.values())


@register.simple_tag
def reflection_mark(progress, *, reads_shared=False):
    """A module's reflection in the matrix: submitted, draft or none; a submitted one
    the participant shared links to its text for those who may read it."""
    if progress.reflection_submitted:
        glyph, label = REFLECTION_MARKS["submitted"]
        if reads_shared and progress.reflection.shared_with_trainer:
            return format_html(
                '<a href="{}" aria-label="{}">{}</a>',
                reverse("leergang:reflection-detail", args=[progress.reflection.pk]),
                gettext("Read the shared reflection on %(module)s")
                % {"module": progress.module.title},
                glyph,
            )
        return _mark(glyph, label)
    return _mark(*REFLECTION_MARKS["draft" if progress.reflection else "none"])


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
