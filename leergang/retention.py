"""Retention (AVG): a cohort's personal content is kept ``RETENTION_MONTHS`` after it ends.

Then ``apply_retention`` removes what people wrote in and around it (the leerlog, intervisie
cases, notes, agreements and poll answers, coaching summaries and private notes, the reasons
given for an absence or a decision, who was invited to evaluate), and pseudonymises the
participants who have nothing else running in the portal. It keeps what the programme needs
to count: enrolments and their states, attendance, sessions held, certificates (their public
page then shows no name) and the anonymous evaluation answers. What happens to each model is
stated, model by model, in ``tests/leergang/test_retention.py``.

Apps declare the parts of a cohort they hold (``register_part``, the way they declare
reminders), and what keeps a person from being pseudonymised (``register_keeper``): leergang
imports no app above it. The programme office sees what falls due on its page and can
postpone one cohort (``retention_postpone``); beat runs ``retention_apply_due`` daily.
"""

from __future__ import annotations

import logging
from calendar import monthrange
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leergang.interest import interest_expire
from leergang.models import (
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentTransition,
    InsightsProfile,
    Interest,
    MakeUpRequest,
    Reflection,
    RetentionPostponement,
)
from portal import audit
from portal.models import (
    CalendarFeed,
    Invitation,
    Notification,
    ReminderOptOut,
    Role,
    User,
    UserRole,
    full_name,
)

logger = logging.getLogger(__name__)

# A pseudonymised account's address: on a domain that can never receive mail (RFC 2606).
PSEUDONYM_DOMAIN = "verwijderd.invalid"
PSEUDONYM_NAME = "Oud-deelnemer"
# Whoever holds one of these roles works with the portal still: never pseudonymised.
STAFF_ROLES = (Role.TRAINER, Role.COACH, Role.HR, Role.BEHEERDER)


# --- the dates --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` ``months`` later (earlier when negative), on the month's last day when the
    month is shorter (31 January + 1 month: 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def regular_due_on(ends_on: date) -> date:
    """The day the personal content of a cohort that ended on ``ends_on`` goes, unless
    postponed."""
    return add_months(ends_on, settings.RETENTION_MONTHS)


def latest_end_due_by(day: date) -> date:
    """The last end date whose regular due date is ``day`` or earlier: month ends make
    ``add_months`` stand still for a few days, so the answer is searched, not subtracted."""
    latest = add_months(day, -settings.RETENTION_MONTHS) - timedelta(days=3)
    while regular_due_on(latest + timedelta(days=1)) <= day:
        latest += timedelta(days=1)
    return latest


def latest_postponement(field: str) -> Subquery:
    """A column of the cohort's latest postponement, for ``annotate``."""
    rows = RetentionPostponement.objects.filter(cohort=OuterRef("pk")).order_by("-at", "-pk")
    return Subquery(rows.values(field)[:1])


def _with_due(cohorts: QuerySet) -> QuerySet:
    return cohorts.filter(personal_data_removed_at=None).annotate(
        postponed_until=latest_postponement("until")
    )


def _due_by(day: date) -> Q:
    return Q(postponed_until=None, ends_on__lte=latest_end_due_by(day)) | Q(
        postponed_until__lte=day
    )


def due_on(cohort: Cohort) -> date:
    """The day the cohort's personal content goes: the latest postponement's date, or
    ``RETENTION_MONTHS`` after its end. Reads ``postponed_until`` when annotated."""
    if hasattr(cohort, "postponed_until"):
        postponed = cohort.postponed_until
    else:
        postponed = (
            cohort.retention_postponements.order_by("-at", "-pk")
            .values_list("until", flat=True)
            .first()
        )
    return postponed or regular_due_on(cohort.ends_on)


def retention_due(now: datetime | None = None) -> QuerySet[Cohort]:
    """Cohorts whose personal content is due for removal at ``now`` (overdue included),
    the longest due first."""
    today = timezone.localdate(now)
    return _with_due(Cohort.objects.all()).filter(_due_by(today)).order_by("ends_on", "pk")


# --- what apps hold of a cohort ---------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """Something of a cohort that retention removes (or empties)."""

    name: str  # the key of the counts, in the audit record too
    label: str  # what the programme office reads on its page
    count: Callable[[list[int]], dict[int, int]]  # per cohort id; a fixed number of queries
    remove: Callable[[Cohort], int]  # removes it for one cohort; how many
    order: int


_parts: dict[str, Part] = {}
# Each: person (an OuterRef to a user's pk) -> a condition that keeps them as they are.
_keepers: list[Callable[[OuterRef], Q]] = []


def register_part(name: str, *, label, count: Callable[[list[int]], dict[int, int]], order=50):
    """Declare a part of a cohort; the decorated function removes it for one cohort."""

    def decorator(remove):
        _parts[name] = Part(name, label, count, remove, order)
        return remove

    return decorator


def register_keeper(keeper: Callable[[OuterRef], Q]) -> Callable[[OuterRef], Q]:
    """Declare what keeps a person from being pseudonymised ("other running business")."""
    _keepers.append(keeper)
    return keeper


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def counted_by_cohort(queryset: QuerySet, cohort_field: str) -> dict[int, int]:
    """Rows of ``queryset`` per cohort (``cohort_field`` leads to the cohort's id)."""
    rows = (
        queryset.order_by()
        .values(cohort_field)
        .annotate(n=Count("pk"))
        .values_list(cohort_field, "n")
    )
    return dict(rows)


def summed_by_cohort(pairs) -> dict[int, int]:
    """Rows per cohort summed over several ``(queryset, cohort_field)`` pairs."""
    counts: Counter[int] = Counter()
    for queryset, cohort_field in pairs:
        counts.update(counted_by_cohort(queryset, cohort_field))
    return dict(counts)


# --- who is pseudonymised ---------------------------------------------------------------------


def _kept(person: OuterRef, cohort: OuterRef | int) -> Q:
    """A person stays as they are while they have another cohort whose content is still
    kept (a later or running one, or one postponed), a role of the training provider or HR,
    or what an app declares (a running coaching trajectory)."""
    other_cohort = Enrolment.objects.filter(
        participant=person, cohort__personal_data_removed_at=None
    ).exclude(cohort=cohort)
    staff = UserRole.objects.filter(user=person, role__in=STAFF_ROLES)
    kept = Q(Exists(other_cohort)) | Q(Exists(staff))
    for keeper in _keepers:
        kept |= keeper(person)
    return kept


def _pseudonymised(email_field: str) -> Q:
    return Q(**{f"{email_field}__endswith": f"@{PSEUDONYM_DOMAIN}"})


def people_to_pseudonymise(cohort: Cohort) -> list[int]:
    """The participants of ``cohort`` (any state) that retention pseudonymises now."""
    enrolments = Enrolment.objects.filter(cohort=cohort).exclude(
        _pseudonymised("participant__email")
    )
    return sorted(
        set(
            enrolments.exclude(_kept(OuterRef("participant_id"), cohort.pk)).values_list(
                "participant_id", flat=True
            )
        )
    )


def people_to_pseudonymise_count(cohort_ids: list[int]) -> dict[int, int]:
    """``people_to_pseudonymise`` counted for many cohorts in one query."""
    rows = (
        Enrolment.objects.filter(cohort_id__in=cohort_ids)
        .exclude(_pseudonymised("participant__email"))
        .exclude(_kept(OuterRef("participant_id"), OuterRef("cohort_id")))
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("participant_id", distinct=True))
        .values_list("cohort_id", "n")
    )
    return dict(rows)


def pseudonym_email(user_id: int) -> str:
    return f"oud-deelnemer-{user_id}@{PSEUDONYM_DOMAIN}"


def pseudonymise(user_ids: list[int]) -> int:
    """Replace the names and address of these people by a pseudonym, close their account
    (no password, no sessions, no second factor, no link to an identity provider) and
    remove what the portal held about them alone; how many."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    from portal.sessions import end_sessions

    if not user_ids:
        return 0
    people = list(User.objects.select_for_update().filter(pk__in=user_ids).order_by("pk"))
    emails = [person.email for person in people]
    end_sessions(UserSession.objects.filter(user_id__in=user_ids))
    EmailAddress.objects.filter(user_id__in=user_ids).delete()
    Authenticator.objects.filter(user_id__in=user_ids).delete()
    SocialAccount.objects.filter(user_id__in=user_ids).delete()
    InsightsProfile.objects.filter(participant_id__in=user_ids).delete()
    Interest.objects.filter(participant_id__in=user_ids).delete()
    CalendarFeed.objects.filter(user_id__in=user_ids).delete()
    ReminderOptOut.objects.filter(user_id__in=user_ids).delete()
    # The outbox and the invitations hold the address and the name as they were written.
    Notification.objects.filter(recipient_id__in=user_ids).delete()
    Invitation.objects.filter(Q(accepted_user_id__in=user_ids) | Q(email__in=emails)).delete()
    for person in people:
        person.first_name, person.last_name = PSEUDONYM_NAME, str(person.pk)
        person.email = pseudonym_email(person.pk)
        person.job_title = ""
        person.is_active = False
        person.last_login = None
        person.set_unusable_password()
        # Saved one by one, as any change of an account: what watches accounts (HR's kept
        # figures count active people) hears of it.
        person.save()
    # The admin's history names an account as it was shown then: its entries get the pseudonym.
    user_type = ContentType.objects.get_for_model(User)
    entries = LogEntry.objects.filter(
        content_type=user_type, object_id__in=[str(pk) for pk in user_ids]
    )
    for object_id in set(entries.values_list("object_id", flat=True)):
        entries.filter(object_id=object_id).update(object_repr=f"{PSEUDONYM_NAME} {object_id}")
    return len(people)


# --- applying it ------------------------------------------------------------------------------


def apply_retention(*, cohort: Cohort, now: datetime | None = None) -> dict[str, int] | None:
    """Remove the cohort's personal content and pseudonymise its participants who have
    nothing else running; the counts of what went, or None when it was not due (or done
    already: a retried or parallel run waits for the row lock and then finds it done)."""
    now = now or timezone.now()
    with transaction.atomic():
        cohort = _with_due(Cohort.objects.select_for_update(of=("self",))).filter(pk=cohort.pk)
        cohort = cohort.first()
        if cohort is None or due_on(cohort) > timezone.localdate(now):
            return None
        participants = list(
            Enrolment.objects.filter(cohort=cohort).values_list("participant_id", flat=True)
        )
        counts = {part.name: part.remove(cohort) for part in parts()}
        counts["people"] = pseudonymise(people_to_pseudonymise(cohort))
        cohort.personal_data_removed_at = now
        cohort.save(update_fields=["personal_data_removed_at"])
        audit.record(
            audit.Action.RETENTION_APPLIED,
            obj=cohort,
            detail=" ".join(f"{name}={n}" for name, n in counts.items()),
            subjects=participants,
        )
    logger.info("retention applied to cohort %s: %s", cohort.pk, counts)
    return counts


def retention_apply_due(now: datetime | None = None) -> int:
    """Apply retention to every cohort due at ``now``, each in its own transaction, then the
    late pass; how many cohorts were applied or revisited (beat runs it daily)."""
    interest_expire(now)
    applied = 0
    for cohort_id in list(retention_due(now).values_list("pk", flat=True)):
        if apply_retention(cohort=Cohort(pk=cohort_id), now=now) is not None:
            applied += 1
    return applied + retention_apply_late()


def retention_apply_late() -> int:
    """What a cohort's retention left because it still ran then (a coaching trajectory, and
    its participant with it) goes once it has ended and been kept ``RETENTION_MONTHS``: the
    parts say what of a cohort whose data went is still to go. How many cohorts it touched.
    A query per part and one for the people, however many cohorts went before."""
    gone = list(Cohort.objects.exclude(personal_data_removed_at=None).values_list("pk", flat=True))
    if not gone:
        return 0
    pending = {cohort_id for cohort_id, n in people_to_pseudonymise_count(gone).items() if n}
    for part in parts():
        pending |= {cohort_id for cohort_id, n in part.count(gone).items() if n}
    return sum(_apply_late(cohort_id) is not None for cohort_id in sorted(pending))


def _apply_late(cohort_id: int) -> dict[str, int] | None:
    with transaction.atomic():
        cohort = (
            Cohort.objects.select_for_update()
            .exclude(personal_data_removed_at=None)
            .filter(pk=cohort_id)
            .first()
        )
        if cohort is None:
            return None
        counts = {part.name: part.remove(cohort) for part in parts()}
        people = people_to_pseudonymise(cohort)
        counts["people"] = pseudonymise(people)
        if not any(counts.values()):
            return None  # a run at the same moment did it first
        audit.record(
            audit.Action.RETENTION_APPLIED,
            obj=cohort,
            detail="late " + " ".join(f"{name}={n}" for name, n in counts.items() if n),
            subjects=people
            or list(
                Enrolment.objects.filter(cohort=cohort).values_list("participant_id", flat=True)
            ),
        )
    logger.info("retention applied late to cohort %s: %s", cohort_id, counts)
    return counts


# --- what the programme office sees ---------------------------------------------------------


@dataclass
class DueCohort:
    """A cohort whose retention falls due soon (or is overdue), and what it will remove."""

    cohort: Cohort
    due_on: date
    overdue: bool
    removes: list[tuple[str, int]]  # (label, how many) per part
    people: int  # participants to pseudonymise

    @property
    def postponed(self) -> bool:
        return self.cohort.postponed_until is not None

    @property
    def postponed_by(self) -> str:
        return full_name(self.cohort.postponed_by_first or "", self.cohort.postponed_by_last or "")


def _with_postponement(cohorts: QuerySet) -> QuerySet:
    return _with_due(cohorts.select_related("leergang")).annotate(
        postponed_reason=latest_postponement("reason"),
        postponed_at=latest_postponement("at"),
        postponed_by_first=latest_postponement("by__first_name"),
        postponed_by_last=latest_postponement("by__last_name"),
    )


def retention_postponed_beyond(*, today: date, months: int = 1) -> list[DueCohort]:
    """The cohorts postponed past the forecast's ``months``: listed apart, so a postponement
    stays in sight after its cohort left the coming month. Without counts (one query)."""
    cohorts = _with_postponement(Cohort.objects.all()).filter(
        postponed_until__gt=add_months(today, months)
    )
    rows = [
        DueCohort(cohort=cohort, due_on=cohort.postponed_until, overdue=False, removes=[], people=0)
        for cohort in cohorts
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.cohort.pk))


def retention_forecast(*, today: date, months: int = 1) -> list[DueCohort]:
    """The cohorts whose personal content goes within ``months`` of ``today`` (overdue ones
    too), soonest first, with what each will remove. A fixed number of queries, however many
    cohorts and rows: one for the cohorts, a few per part."""
    cohorts = list(
        _with_postponement(Cohort.objects.all()).filter(_due_by(add_months(today, months)))
    )
    ids = [cohort.pk for cohort in cohorts]
    counts = {part.name: part.count(ids) for part in parts()} if ids else {}
    people = people_to_pseudonymise_count(ids) if ids else {}
    rows = [
        DueCohort(
            cohort=cohort,
            due_on=due_on(cohort),
            overdue=due_on(cohort) < today,
            removes=[(part.label, counts[part.name].get(cohort.pk, 0)) for part in parts()],
            people=people.get(cohort.pk, 0),
        )
        for cohort in cohorts
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.cohort.pk))


# --- postponing -------------------------------------------------------------------------------


def postponement_range(cohort: Cohort, *, today: date) -> tuple[date, date]:
    """The first and last day the cohort's removal may be postponed to: after its current
    due date (and after today), at most ``RETENTION_POSTPONE_MAX_MONTHS`` after the regular
    one, so personal data is never kept without an end."""
    first = max(due_on(cohort), today) + timedelta(days=1)
    last = add_months(regular_due_on(cohort.ends_on), settings.RETENTION_POSTPONE_MAX_MONTHS)
    return first, last


def postponement_refusal(cohort: Cohort, until: date, *, today: date) -> str | None:
    """Why ``until`` cannot be the cohort's new due date, in Dutch; None when it can."""
    if cohort.personal_data_removed_at is not None:
        return _("The personal data of this cohort has already been removed.")
    first, last = postponement_range(cohort, today=today)
    if first > last:
        return _("This cohort cannot be postponed any further.")
    if until < first:
        return _("Choose a date after %(date)s.") % {
            "date": (first - timedelta(days=1)).strftime("%d-%m-%Y")
        }
    if until > last:
        return _("Choose a date no later than %(date)s.") % {"date": last.strftime("%d-%m-%Y")}
    return None


@transaction.atomic
def retention_postpone(
    *, cohort: Cohort, until: date, reason: str, by: User
) -> RetentionPostponement:
    """Keep the cohort's personal data until ``until``, for ``reason``; recorded in the
    audit trail."""
    cohort = _with_due(Cohort.objects.select_for_update(of=("self",))).filter(pk=cohort.pk).first()
    if cohort is None:
        raise ValidationError(_("The personal data of this cohort has already been removed."))
    refusal = postponement_refusal(cohort, until, today=timezone.localdate())
    if refusal:
        raise ValidationError({"until": refusal})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data is kept longer.")})
    postponement = RetentionPostponement.objects.create(
        cohort=cohort, until=until, reason=reason, by=by
    )
    audit.record(
        audit.Action.RETENTION_POSTPONED,
        actor=by,
        obj=cohort,
        detail=f"until {until.isoformat()}",
    )
    return postponement


# --- leergang's own parts ---------------------------------------------------------------------


@register_part(
    "reflections",
    label=gettext_lazy("Reflections (leerlog)"),
    count=lambda ids: counted_by_cohort(
        Reflection.objects.filter(enrolment__cohort_id__in=ids), "enrolment__cohort_id"
    ),
    order=10,
)
def _remove_reflections(cohort: Cohort) -> int:
    return Reflection.objects.filter(enrolment__cohort=cohort).delete()[0]


def _reasons(ids) -> dict[int, int]:
    return summed_by_cohort(
        [
            (
                Attendance.objects.filter(bijeenkomst__cohort_id__in=ids).exclude(reason=""),
                "bijeenkomst__cohort_id",
            ),
            (Enrolment.objects.filter(cohort_id__in=ids).exclude(decision_reason=""), "cohort_id"),
            (
                EnrolmentTransition.objects.filter(enrolment__cohort_id__in=ids).exclude(reason=""),
                "enrolment__cohort_id",
            ),
            (
                MakeUpRequest.objects.filter(enrolment__cohort_id__in=ids).exclude(reason=""),
                "enrolment__cohort_id",
            ),
        ]
    )


@register_part(
    "reasons",
    label=gettext_lazy("Reasons given for an absence, a cancellation or a decision"),
    count=_reasons,
    order=20,
)
def _empty_reasons(cohort: Cohort) -> int:
    """The counts stay (who was there, who cancelled); why, in their own words, goes."""
    return (
        Attendance.objects.filter(bijeenkomst__cohort=cohort).exclude(reason="").update(reason="")
        + Enrolment.objects.filter(cohort=cohort)
        .exclude(decision_reason="")
        .update(decision_reason="")
        + EnrolmentTransition.objects.filter(enrolment__cohort=cohort)
        .exclude(reason="")
        .update(reason="")
        # A make-up request's decision, with the participant's own cohort; the row stays
        # for the count of make-up sessions.
        + MakeUpRequest.objects.filter(enrolment__cohort=cohort)
        .exclude(reason="")
        .update(reason="")
    )
