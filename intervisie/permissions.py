"""What is said in intervisie stays in the group.

Groups, their polls and sessions (with case, notes and agreements) are visible
to the group's members and its begeleider only. Not to other trainers, coaches,
HR or the programme office; HR gets counts through selectors, never content.
"""

from django.db.models import Exists, OuterRef, Q

from intervisie.models import Group, Membership, Poll, Session
from leergang.models import SEAT_STATES
from portal import access


def _member_or_begeleider(user, prefix=""):
    # EXISTS rather than joins over the memberships: joined, a row came back once per
    # member, to be made DISTINCT again, and planning the participant's home took 4 ms.
    group = OuterRef(prefix.removesuffix("__") or "pk")
    member = Membership.objects.filter(
        group=group, enrolment__participant=user, enrolment__state__in=SEAT_STATES
    )
    return Q(**{f"{prefix}begeleider": user}) | Q(Exists(member))


def leads(user, group: Group) -> bool:
    """The begeleider runs the group: polls, sessions, members and attendance."""
    return group.begeleider_id == user.pk


def is_member(user, group: Group) -> bool:
    """A member holds a seat in the cohort; a cancelled enrolment leaves the group."""
    return group.memberships.filter(
        enrolment__participant=user, enrolment__state__in=SEAT_STATES
    ).exists()


def led_groups(user, queryset=None):
    """The groups this user leads as begeleider."""
    queryset = Group.objects.all() if queryset is None else queryset
    return queryset.filter(begeleider=user)


class _GroupContentPolicy(access.Policy):
    """Something of one group: its members and its begeleider see it."""

    prefix = "group__"  # the lookup from the model to its group

    def visible(self, user, queryset):
        return queryset.filter(_member_or_begeleider(user, self.prefix))


@access.register(Group)
class GroupPolicy(_GroupContentPolicy):
    verbs = frozenset({"lead"})
    prefix = ""

    def allows(self, user, action, obj):
        return action == "lead" and leads(user, obj)


@access.register(Membership)
class MembershipPolicy(_GroupContentPolicy):
    verbs = frozenset({"move"})

    def allows(self, user, action, obj):
        # To another group of the cohort that the same begeleider leads.
        return action == "move" and leads(user, obj.group)


@access.register(Poll)
class PollPolicy(_GroupContentPolicy):
    verbs = frozenset({"lead", "vote"})

    def allows(self, user, action, obj):
        if action == "vote":
            return is_member(user, obj.group)
        if action == "lead":
            return leads(user, obj.group)
        return False


@access.register(Session)
class SessionPolicy(_GroupContentPolicy):
    verbs = frozenset({"excuse", "lead", "volunteer"})

    def allows(self, user, action, obj):
        if action in {"excuse", "volunteer"}:
            return is_member(user, obj.group)
        if action == "lead":
            return leads(user, obj.group)
        return False
