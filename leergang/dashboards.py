"""The leergang's panels on the home dashboard and its columns in HR's overview."""

from django.db.models import OuterRef
from django.utils.translation import gettext as _

from leergang import selectors
from leergang.models import Enrolment, LeergangModule, Reflection, subquery_count
from portal.dashboards import register_hr_column, register_panel
from portal.models import Role


@register_panel("leergang/_panel_participant.html", roles=(Role.DEELNEMER,), order=10)
def participant_panel(user):
    return selectors.participant_panel(user)


@register_panel("leergang/_panel_trainer.html", roles=(Role.TRAINER,), order=20)
def trainer_panel(user):
    return {"current": selectors.trainer_cohorts(user)["current"][:5]}


@register_panel("leergang/_panel_hr.html", roles=(Role.HR,), order=30)
def hr_panel(user):
    return {"request_count": selectors.approval_queue(user).count()}


@register_hr_column(_("Leergang"), order=10)
def enrolment_states(users):
    """Per person: each leergang with its state, attendance and reflections as counts."""
    enrolments = (
        Enrolment.objects.filter(participant__in=users)
        .live()
        .with_attendance()
        .select_related("cohort__leergang")
        .annotate(
            modules=subquery_count(
                LeergangModule.objects.filter(leergang=OuterRef("cohort__leergang_id"))
            ),
            reflected=subquery_count(
                Reflection.objects.filter(enrolment=OuterRef("pk")).exclude(submitted_at=None)
            ),
        )
        .order_by("-cohort__starts_on")
    )
    cells: dict[int, list[str]] = {}
    for e in enrolments:
        text = f"{e.cohort.leergang.title}: {e.get_state_display()}"
        if e.holds_seat:
            text += " · " + _("present %(present)s of %(held)s, modules %(done)s of %(all)s") % {
                "present": e.attendance.attended,
                "held": e.attendance.held,
                "done": e.reflected,
                "all": e.modules,
            }
        cells.setdefault(e.participant_id, []).append(text)
    return cells
