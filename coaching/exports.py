"""The coaching part of a participant's AVG export: their trajectories, goals and sessions.

The coach's private notes are the coach's working notes and are not part of it.
"""

from django.db.models import Exists, OuterRef

from coaching.models import AvailabilitySlot, CoachingSession, Trajectory
from portal.selectors import exclude_from_export, iso, register_export_section

exclude_from_export(
    "coaching.PrivateNote.coach",
    reason="A coach's private notes are the coach's working notes about a participant: "
    "not the participant's (DOMAIN.md), and not a record about the coach either.",
)
exclude_from_export(
    "coaching.Trajectory.started_by",
    reason="Who started someone's trajectory (HR or the programme office): part of that "
    "participant's trajectory, which is in their export.",
)
exclude_from_export(
    "coaching.TrajectoryTransition.by",
    reason="Who changed the state of a trajectory: a line in its history, which is the "
    "participant's and in their export.",
)
exclude_from_export(
    "coaching.GoalUpdate.by",
    reason="Who updated a goal's progress: part of the participant's goals, which are in "
    "their export.",
)
exclude_from_export(
    "coaching.CoachingSession.cancelled_by",
    reason="Who cancelled a session: part of the participant's sessions, whose status is "
    "in their export.",
)


@register_export_section("coaching", covers=("coaching.Trajectory.participant",))
def trajectories(user):
    queryset = (
        Trajectory.objects.filter(participant=user)
        .select_related("coach")
        .prefetch_related("goals__updates", "sessions", "transitions")
    )
    return [
        {
            "coach": t.coach.get_full_name(),
            "state": t.state,
            "agreed_sessions": t.agreed_sessions,
            "funded_by": t.funded_by,
            "leervraag": t.leervraag,
            "history": [{"to": x.to_state, "at": iso(x.at)} for x in t.transitions.all()],
            "goals": [
                {
                    "goal": g.description,
                    "progress": g.progress,
                    "updates": [
                        {"progress": u.progress, "note": u.note, "at": iso(u.at)}
                        for u in g.updates.all()
                    ],
                }
                for g in t.goals.all()
            ],
            "sessions": [
                {
                    "starts_at": iso(s.starts_at),
                    "status": s.status,
                    "preparation": s.preparation,
                    "summary": s.summary,
                    "my_comment": s.participant_comment,
                }
                for s in t.sessions.all()
            ],
        }
        for t in queryset
    ]


@register_export_section(
    "coaching_as_coach", covers=("coaching.Trajectory.coach", "coaching.AvailabilitySlot.coach")
)
def coaching_as_coach(user):
    """A coach's own work: whom they coach (the frame only) and the moments they offered.

    No leervraag, goals, summaries or notes: those belong to the participant, or are the
    coach's working notes.
    """
    trajectories = Trajectory.objects.filter(coach=user).select_related("participant")
    slots = (
        AvailabilitySlot.objects.filter(coach=user)
        .annotate(booked=Exists(CoachingSession.objects.filter(slot=OuterRef("pk"))))
        .order_by("starts_at")
    )
    return {
        "trajectories": [
            {
                "participant": t.participant.get_full_name(),
                "state": t.state,
                "agreed_sessions": t.agreed_sessions,
                "started_at": iso(t.created_at),
            }
            for t in trajectories
        ],
        "offered_moments": [
            {
                "starts_at": iso(s.starts_at),
                "ends_at": iso(s.ends_at),
                "location": s.location,
                "booked": s.booked,
            }
            for s in slots
        ],
    }
