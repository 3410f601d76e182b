"""The coaching part of a participant's AVG export: their trajectories, goals and sessions.

The coach's private notes are the coach's working notes and are not part of it.
"""

from coaching.models import Trajectory
from portal.selectors import iso, register_export_section


@register_export_section("coaching")
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
