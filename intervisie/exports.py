"""The intervisie part of a person's AVG export.

A member gets their groups, their answers in date polls, the cases they brought in and
their attendance; a begeleider the groups they facilitate, the polls they opened and the
methods they wrote. What others said in a session (notes, agreements, their cases) is the
group's, not this person's, and stays out.
"""

from intervisie.models import Group, Membership, Method, Poll, Session, SessionAttendance, Vote
from portal.selectors import iso, register_export_section


@register_export_section(
    "intervisie",
    covers=(
        "intervisie.Vote.voter",
        "intervisie.Session.case_bringer",
        "intervisie.SessionAttendance.participant",
    ),
)
def intervisie(user):
    memberships = Membership.objects.filter(enrolment__participant=user).select_related(
        "group__cohort__leergang"
    )
    votes = (
        Vote.objects.filter(voter=user)
        .select_related("slot__poll__group")
        .order_by("slot__poll__created_at", "slot__starts_at")
    )
    cases = Session.objects.filter(case_bringer=user).select_related("group")
    attendance = (
        SessionAttendance.objects.filter(participant=user)
        .select_related("session__group")
        .order_by("session__starts_at")
    )
    return {
        "groups": [
            {
                "group": m.group.name,
                "cohort": m.group.cohort.name,
                "leergang": m.group.cohort.leergang.title,
                "joined_at": iso(m.joined_at),
            }
            for m in memberships
        ],
        "poll_answers": [
            {
                "group": v.slot.poll.group.name,
                "poll": v.slot.poll.title,
                "moment": iso(v.slot.starts_at),
                "answer": v.answer,
                "answered_at": iso(v.updated_at),
            }
            for v in votes
        ],
        "cases_brought_in": [
            {
                "group": s.group.name,
                "session": iso(s.starts_at),
                "case_title": s.case_title,
                "case_text": s.case_text,
            }
            for s in cases
        ],
        "attendance": [
            {
                "group": a.session.group.name,
                "session": iso(a.session.starts_at),
                "status": a.status,
                "reason": a.reason,
            }
            for a in attendance
        ],
    }


@register_export_section(
    "intervisie_as_begeleider",
    covers=(
        "intervisie.Group.begeleider",
        "intervisie.Poll.created_by",
        "intervisie.Method.created_by",
    ),
)
def intervisie_as_begeleider(user):
    # The frame of the begeleider's own work; the content of sessions is the group's.
    return {
        "groups_facilitated": [
            {"group": g.name, "cohort": g.cohort.name}
            for g in Group.objects.filter(begeleider=user).select_related("cohort")
        ],
        "polls_opened": [
            {"group": p.group.name, "poll": p.title, "opened_at": iso(p.created_at)}
            for p in Poll.objects.filter(created_by=user).select_related("group")
        ],
        "methods_written": list(
            Method.objects.filter(created_by=user).values_list("name", flat=True)
        ),
    }
