"""Access rules for the core models (see DOMAIN.md, "Roles and what each may see")."""

from portal import access
from portal.models import Invitation, InvitationImport, Notification, Organisation, Role, User


class ForUserPolicy(access.Policy):
    """What a person sees is the model's own ``QuerySet.for_user``."""

    def visible(self, user, queryset):
        return queryset.for_user(user)


@access.register(Organisation)
class OrganisationPolicy(ForUserPolicy):
    verbs = frozenset({"invite"})

    def allows(self, user, action, obj):
        if action == "invite":
            return user.is_beheerder or (user.is_hr and obj.pk == user.organisation_id)
        return False


@access.register(User)
class UserPolicy(ForUserPolicy):
    # A person's own data export reads ``request.user`` and asks no verb.
    verbs = frozenset({"set_department"})

    def allows(self, user, action, obj):
        if action == "set_department":
            # The organisation's HR cuts it into departments; nobody else's people.
            return user.is_hr and obj.organisation_id == user.organisation_id
        return False


@access.register(Invitation)
class InvitationPolicy(ForUserPolicy):
    verbs = frozenset({"resend", "revoke"})

    def allows(self, user, action, obj):
        if action in {"revoke", "resend"}:
            owns = user.is_beheerder or (user.is_hr and obj.organisation_id == user.organisation_id)
            return owns and obj.is_open
        return False


@access.register(InvitationImport)
class InvitationImportPolicy(ForUserPolicy):
    verbs = frozenset()  # only seen: an import changes through its task alone


@access.register(Notification)
class NotificationPolicy(access.Policy):
    """The programme office watches the whole outbox and sends a failed message again;
    everyone else sees only what was sent to them (their data export)."""

    verbs = frozenset({"resend"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        return queryset.filter(recipient=user)

    def allows(self, user, action, obj):
        if action == "resend":
            return user.is_beheerder and obj.has_failed
        return False


def invitable_roles(user) -> list[tuple[str, str]]:
    """Roles this user may hand out in an invitation."""
    if user.is_beheerder:
        return list(Role.choices)
    if user.is_hr:
        return [(Role.DEELNEMER.value, Role.DEELNEMER.label), (Role.HR.value, Role.HR.label)]
    return []
