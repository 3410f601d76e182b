"""The evaluations part of a person's AVG export: which evaluations they were asked for and
whether they answered. Their answers are not in it: nothing joins an answer to a person."""

from evaluations.models import Invitation
from portal.selectors import exclude_from_export, iso, register_export_section

exclude_from_export(
    "evaluations.Answer.coach",
    reason="What an anonymous coaching evaluation is about, not who gave it; a coach sees "
    "only averages over at least EVALUATION_COACH_MIN trajectories, never an answer.",
)


@register_export_section("evaluations", covers=("evaluations.Invitation.recipient",))
def invitations(user):
    return [
        {
            "about": invitation.get_kind_display(),
            "bijeenkomst": str(invitation.bijeenkomst) if invitation.bijeenkomst_id else None,
            "cohort": str(invitation.cohort) if invitation.cohort_id else None,
            "coaching_trajectory": invitation.trajectory_id,
            "invited_at": iso(invitation.created_at),
            "valid_until": iso(invitation.expires_at),
            "answered": invitation.used,
        }
        for invitation in Invitation.objects.filter(recipient=user).select_related(
            "bijeenkomst", "cohort__leergang"
        )
    ]
