"""The leergang part of a person's AVG export: their enrolments, attendance and leerlog."""

from leergang.models import Enrolment
from portal.selectors import iso, register_export_section


@register_export_section("enrolments")
def enrolments(user):
    queryset = (
        Enrolment.objects.filter(participant=user)
        .select_related("cohort__leergang")
        .prefetch_related("transitions", "attendances__bijeenkomst", "reflections__module")
    )
    return [
        {
            "leergang": enrolment.cohort.leergang.title,
            "cohort": enrolment.cohort.name,
            "state": enrolment.state,
            "enrolled_at": iso(enrolment.created_at),
            "completed_at": iso(enrolment.completed_at),
            "certificate_code": enrolment.certificate_code,
            "decision_reason": enrolment.decision_reason,
            "history": [
                {"from": t.from_state, "to": t.to_state, "at": iso(t.at), "reason": t.reason}
                for t in enrolment.transitions.all()
            ],
            "attendance": [
                {
                    "bijeenkomst": a.bijeenkomst.title,
                    "starts_at": iso(a.bijeenkomst.starts_at),
                    "status": a.status,
                    "reason": a.reason,
                }
                for a in enrolment.attendances.all()
            ],
            "leerlog": [
                {
                    "module": r.module.title,
                    "text": r.text,
                    "submitted_at": iso(r.submitted_at),
                    "shared_with_trainer": r.shared_with_trainer,
                    "shared_with_coach": r.shared_with_coach,
                }
                for r in enrolment.reflections.all()
            ],
        }
        for enrolment in queryset
    ]
