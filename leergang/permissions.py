"""Who may see and do what in the leergang app (DOMAIN.md, "Roles and what each may see").

Trainers see the cohorts they train; participants their own enrolments; HR the
enrolments of their own organisation's people (for approval, never leerlog
text); the programme office everything but private content. Leerlog entries are
the participant's own unless shared with the trainer or, through a rule the coaching
app registers, with the coach.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from leergang.models import (
    SEAT_STATES,
    Bijeenkomst,
    Cohort,
    Enrolment,
    Interest,
    Leergang,
    Material,
    Reflection,
    open_to_q,
)
from portal import access
from portal.models import Role


@access.register(Leergang)
class LeergangPolicy(access.Policy):
    verbs = frozenset()

    def visible(self, user, queryset):
        return queryset if user.is_beheerder else queryset.filter(is_published=True)


@access.register(Cohort)
class CohortPolicy(access.Policy):
    verbs = frozenset({"enrol", "manage", "read_shared"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        # EXISTS rather than joins: joined, a cohort came back once per enrolment and
        # trainer, to be sorted (descriptions and all) and made DISTINCT again.
        trains = Exists(Cohort.trainers.through.objects.filter(cohort=OuterRef("pk"), user=user))
        enrolled = Exists(Enrolment.objects.filter(cohort=OuterRef("pk"), participant=user))
        return queryset.filter(open_to_q(user) | Q(trains) | Q(enrolled))

    def allows(self, user, action, obj):
        if action == "manage":  # participant list, matrix, attendance
            return user.is_beheerder or self._trains(user, obj)
        if action == "read_shared":
            # Reflections are shared with the trainers, not with the programme office.
            return self._trains(user, obj)
        if action == "enrol":
            return user.has_role(Role.DEELNEMER) and obj.is_open_to(user)
        return False

    @staticmethod
    def _trains(user, cohort) -> bool:
        if not user.has_role(Role.TRAINER):
            return False
        # Remembered on the instance: a page asks more than one verb of the same cohort
        # (the matrix: "manage" in the view, "read_shared" in its template).
        trained_by = cohort.__dict__.setdefault("_trained_by", {})
        if user.pk not in trained_by:
            trained_by[user.pk] = cohort.trainers.filter(pk=user.pk).exists()
        return trained_by[user.pk]


@access.register(Enrolment)
class EnrolmentPolicy(access.Policy):
    verbs = frozenset({"cancel", "certificate", "decide", "follow"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        rules = Q(participant=user)
        if user.has_role(Role.TRAINER):
            # EXISTS, not a join on the trainers: no doubles, so no DISTINCT over wide rows
            # (and a list counts its rows in its own query, see portal.listing).
            trains = Cohort.trainers.through.objects.filter(
                cohort_id=OuterRef("cohort_id"), user=user
            )
            rules |= Q(Exists(trains))
        if user.is_hr:
            rules |= Q(participant__organisation=user.organisation_id)
        return queryset.filter(rules)

    def allows(self, user, action, obj):
        own = obj.participant_id == user.pk
        if action == "follow":  # the participant's own pages
            return own
        if action == "cancel":
            return (own or user.is_beheerder) and obj.cancel_refusal(by=user) is None
        if action == "decide":  # approve or reject a request
            same_organisation = (
                user.is_hr and obj.participant.organisation_id == user.organisation_id
            )
            return obj.is_pending and (same_organisation or user.is_beheerder)
        if action == "certificate":
            return own and obj.is_completed
        return False


@access.register(Bijeenkomst)
class BijeenkomstPolicy(access.Policy):
    verbs = frozenset({"record_attendance"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        return queryset.filter(
            Q(cohort__trainers=user)
            | Q(cohort__enrolments__participant=user, cohort__enrolments__state__in=SEAT_STATES)
        ).distinct()

    def allows(self, user, action, obj):
        if action == "record_attendance":
            return access.may(user, "manage", obj.cohort)
        # Who may report absence is the participant's enrolment's rule
        # (``Enrolment.excuse_refusal``): the excuse page and the schedule ask it there.
        return False


# Further readers of a shared reflection, named by apps that leergang may not import (the
# coaching app: the coach). Each rule takes the user and gives a Q on Reflection, or None.
_reflection_readers: list[Callable[..., Q | None]] = []


def register_reflection_reader(rule):
    _reflection_readers.append(rule)
    return rule


@access.register(Reflection)
class ReflectionPolicy(access.Policy):
    verbs = frozenset()

    def visible(self, user, queryset):
        rules = Q(enrolment__participant=user)
        if user.has_role(Role.TRAINER):
            rules |= Q(shared_with_trainer=True, enrolment__cohort__trainers=user)
        for reader in _reflection_readers:
            extra = reader(user)
            if extra is not None:
                rules |= extra
        return queryset.filter(rules).distinct()


@access.register(Material)
class MaterialPolicy(access.Policy):
    """Course material is for the people in a leergang that has the module."""

    verbs = frozenset()

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        return queryset.filter(
            Q(module__leergang_links__leergang__cohorts__trainers=user)
            | Q(
                module__leergang_links__leergang__cohorts__enrolments__participant=user,
                module__leergang_links__leergang__cohorts__enrolments__state__in=SEAT_STATES,
            )
        ).distinct()


@access.register(Interest)
class InterestPolicy(access.Policy):
    """The interest list: the person's own registrations; HR those of their own
    organisation's people (never another's); the programme office all of them."""

    verbs = frozenset({"change"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        rules = Q(participant=user)
        if user.is_hr and user.organisation_id:
            rules |= Q(participant__organisation=user.organisation_id)
        return queryset.filter(rules)

    def allows(self, user, action, obj):
        if action == "change":
            return obj.participant_id == user.pk
        return False
