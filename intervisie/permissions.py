"""What is said in intervisie stays in the group.

Groups, their polls and sessions (with case, notes and agreements) are visible
to the group's members and its begeleider only. Not to other trainers, coaches,
HR or the programme office; HR gets counts through selectors, never content.
"""

from django.db.models import Q

from intervisie.models import Group, Membership, Poll, Session
from leergang.models import SEAT_STATES
from portal import access


def _member_or_begeleider(user, prefix=""):
    return Q(**{f"{prefix}begeleider": user}) | Q(
        **{
            f"{prefix}memberships__enrolment__participant": user,
            f"{prefix}memberships__enrolment__state__in": SEAT_STATES,
        }
    )


@access.register(Group)
class GroupPolicy(access.Policy):
    verbs = frozenset({"lead"})

    def visible(self, user, queryset):
        return queryset.filter(_member_or_begeleider(user)).distinct()

    def allows(self, user, action, obj):
        if action == "lead":  # polls, sessions, members, attendance
            return obj.begeleider_id == user.pk
        return False


@access.register(Membership)
class MembershipPolicy(access.Policy):
    def visible(self, user, queryset):
        return queryset.filter(_member_or_begeleider(user, "group__")).distinct()


@access.register(Poll)
class PollPolicy(access.Policy):
    verbs = frozenset({"lead", "vote"})

    def visible(self, user, queryset):
        return queryset.filter(_member_or_begeleider(user, "group__")).distinct()

    def allows(self, user, action, obj):
        if action == "vote":
            return obj.group.memberships.filter(
                enrolment__participant=user, enrolment__state__in=SEAT_STATES
            ).exists()
        if action == "lead":
            return obj.group.begeleider_id == user.pk
        return False


@access.register(Session)
class SessionPolicy(access.Policy):
    verbs = frozenset({"excuse", "lead", "volunteer"})

    def visible(self, user, queryset):
        return queryset.filter(_member_or_begeleider(user, "group__")).distinct()

    def allows(self, user, action, obj):
        is_member = obj.group.memberships.filter(
            enrolment__participant=user, enrolment__state__in=SEAT_STATES
        ).exists()
        if action in {"excuse", "volunteer"}:
            return is_member
        if action == "lead":
            return obj.group.begeleider_id == user.pk
        return False
