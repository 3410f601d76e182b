"""Access rules for the core models (see DOMAIN.md, "Roles and what each may see")."""

from portal import access
from portal.models import Invitation, InvitationImport, Notification, Organisation, Role, User


@access.register(Organisation)
class OrganisationPolicy(access.Policy):
    verbs = frozenset({"invite"})

    def visible(self, user, queryset):
        return queryset.for_user(user)

    def allows(self, user, action, obj):
        if action == "invite":
            return user.is_beheerder or (user.is_hr and obj.pk == user.organisation_id)
        return False


@access.register(User)
class UserPolicy(access.Policy):
    verbs = frozenset({"export", "view"})

    def visible(self, user, queryset):
        return queryset.for_user(user)

    def allows(self, user, action, obj):
        if action in {"view", "export"}:
            return obj.pk == user.pk or (action == "view" and user.is_beheerder)
        return False


@access.register(Invitation)
class InvitationPolicy(access.Policy):
    verbs = frozenset({"resend", "revoke"})

    def visible(self, user, queryset):
        return queryset.for_user(user)

    def allows(self, user, action, obj):
        if action in {"revoke", "resend"}:
            owns = user.is_beheerder or (user.is_hr and obj.organisation_id == user.organisation_id)
            return owns and obj.status in {Invitation.Status.PENDING, Invitation.Status.EXPIRED}
        return False


@access.register(InvitationImport)
class InvitationImportPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.for_user(user)


@access.register(Notification)
class NotificationPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(recipient=user)


def invitable_roles(user) -> list[tuple[str, str]]:
    """Roles this user may hand out in an invitation."""
    if user.is_beheerder:
        return list(Role.choices)
    if user.is_hr:
        return [(Role.DEELNEMER.value, Role.DEELNEMER.label), (Role.HR.value, Role.HR.label)]
    return []
