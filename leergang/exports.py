"""The leergang part of a person's AVG export: their enrolments, attendance and leerlog,
their Insights profile, and the cohorts they train."""

from leergang.models import Cohort, Enrolment, InsightsProfile, Interest
from portal.selectors import exclude_from_export, iso, register_export_section

exclude_from_export(
    "leergang.EnrolmentTransition.by",
    reason="Who moved an enrolment (HR approving, the programme office moving someone): a "
    "line in that participant's history, which is theirs; one's own is under enrolments.",
)
exclude_from_export(
    "leergang.Attendance.recorded_by",
    reason="Which trainer recorded a participant's attendance: part of that participant's "
    "attendance record, which is in their own export.",
)
exclude_from_export(
    "leergang.MakeUpRequest.decided_by",
    reason="Who approved or declined a participant's make-up request (the programme office or "
    "the host cohort's trainer): part of that participant's request, which is in their own "
    "export under enrolments.",
)
exclude_from_export(
    "leergang.RetentionPostponement.by",
    reason="Which member of the programme office postponed a cohort's retention: a decision "
    "about the cohort, recorded in the audit trail, not data about the person.",
)


@register_export_section("enrolments", covers=("leergang.Enrolment.participant",))
def enrolments(user):
    queryset = (
        Enrolment.objects.filter(participant=user)
        .select_related("cohort__leergang")
        .prefetch_related(
            "transitions",
            "attendances__bijeenkomst",
            "reflections__module",
            "make_up_requests__missed",
            "make_up_requests__bijeenkomst__cohort",
        )
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
            "on_waiting_list_since": iso(enrolment.waitlisted_at),
            "seat_offered_until": iso(enrolment.offer_expires_at),
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
            # Inhalen: a missed bijeenkomst made up in another cohort.
            "make_up_requests": [
                {
                    "missed": m.missed.title,
                    "bijeenkomst": m.bijeenkomst.title,
                    "cohort": m.bijeenkomst.cohort.name,
                    "starts_at": iso(m.bijeenkomst.starts_at),
                    "state": m.state,
                    "requested_at": iso(m.created_at),
                    "decided_at": iso(m.decided_at),
                    "reason": m.reason,
                }
                for m in enrolment.make_up_requests.all()
            ],
        }
        for enrolment in queryset
    ]


@register_export_section("insights_profile", covers=("leergang.InsightsProfile.participant",))
def insights_profile(user):
    profile = InsightsProfile.objects.filter(participant=user).first()
    if profile is None:
        return None
    return {
        "red": profile.red,
        "yellow": profile.yellow,
        "green": profile.green,
        "blue": profile.blue,
        "updated_at": iso(profile.updated_at),
    }


@register_export_section("interest_list", covers=("leergang.Interest.participant",))
def interest_list(user):
    """The leergangen the person asked to be told about (the interest list)."""
    return [
        {
            "leergang": interest.leergang.title,
            "region": interest.get_region_display() if interest.region else "",
            "earliest_start": iso(interest.earliest_start),
            "latest_start": iso(interest.latest_start),
            "registered_at": iso(interest.created_at),
        }
        for interest in Interest.objects.filter(participant=user).select_related("leergang")
    ]


@register_export_section("cohorts_trained", covers=("leergang.Cohort.trainers",))
def cohorts_trained(user):
    # The trainer's own assignments; the participants' data stays in their own exports.
    return [
        {
            "leergang": cohort.leergang.title,
            "cohort": cohort.name,
            "starts_on": iso(cohort.starts_on),
        }
        for cohort in Cohort.objects.filter(trainers=user).select_related("leergang")
    ]
