"""The interest list (interesselijst): people who would like to follow a leergang that has
no upcoming cohort for them, told first when one opens.

A participant registers interest in a leergang, optionally with a preferred region and a
period in which the cohort should start (``interest_register``, ``_update``, ``_withdraw``).
When the programme office opens a cohort (``leergang.planning.cohort_save``, or the admin),
``cohort_open_to_interest`` tells everyone it fits, through the outbox, once per cohort
(``Cohort.interest_notified_at``, set under the cohort's row lock), and keeps the cohort
for the interest list until ``Cohort.priority_until`` (``INTEREST_PRIORITY_DAYS``): until
then only people who were on the list of the leergang when it opened see it in the
catalogue and may enrol (``first_access_refusal``, asked by ``enrolment_create``); then it
is open to all. With nobody to tell, the cohort is open at once.

Enrolling in a cohort of the leergang removes the person's interest in it
(``interest_fulfilled``): they are no longer demand. A cancelled enrolment does not bring it
back; they can register again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from leergang.models import Cohort, Interest, Leergang, Region
from portal.models import Role, User
from portal.notifications import notify

# Nobody plans further ahead (the planning forms' limit too).
MAX_DAYS_AHEAD = 3 * 366


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def period_refusals(
    earliest: date | None, latest: date | None, *, today: date
) -> dict[str, list[str]]:
    """What is wrong with a preferred period, per field, in Dutch (empty: nothing)."""
    errors: dict[str, list[str]] = {}
    limit = today + timedelta(days=MAX_DAYS_AHEAD)
    for name, day in (("earliest_start", earliest), ("latest_start", latest)):
        if day is None:
            continue
        if day < today:
            errors.setdefault(name, []).append(_("This date is in the past."))
        elif day > limit:
            errors.setdefault(name, []).append(_("Choose a date within three years."))
    if earliest and latest and latest < earliest and "latest_start" not in errors:
        errors.setdefault("latest_start", []).append(
            _("The latest start is before the earliest start.")
        )
    return errors


def _check(participant: User, leergang: Leergang, region: str, earliest, latest) -> None:
    if not participant.has_role(Role.DEELNEMER):
        raise ValidationError(_("Only participants can register interest."), code="role")
    if not leergang.is_published:
        raise ValidationError(_("This leergang is not open for enrolment."), code="unpublished")
    if region and region not in Region.values:
        raise ValidationError({"region": _("Choose one of the regions.")})
    errors = period_refusals(earliest, latest, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interest_register(
    *,
    participant: User,
    leergang: Leergang,
    region: str = "",
    earliest_start: date | None = None,
    latest_start: date | None = None,
) -> Interest:
    """Put a participant on the interest list of a leergang (once; a second registration
    changes the first)."""
    _check(participant, leergang, region, earliest_start, latest_start)
    fields = {"region": region, "earliest_start": earliest_start, "latest_start": latest_start}
    try:
        with transaction.atomic():
            interest, _created = Interest.objects.update_or_create(
                leergang=leergang,
                participant=participant,
                defaults=fields,
                create_defaults={**fields, "created_at": timezone.now()},
            )
    except IntegrityError:  # the same person registering twice at once: the other won
        interest = Interest.objects.get(leergang=leergang, participant=participant)
        return interest_update(interest=interest, **fields)
    return interest


@transaction.atomic
def interest_update(
    *,
    interest: Interest,
    region: str = "",
    earliest_start: date | None = None,
    latest_start: date | None = None,
) -> Interest:
    """Change the preferred region and period of an interest (the registration date stays:
    it is the person's place on the list)."""
    interest = Interest.objects.select_for_update().select_related("leergang").get(pk=interest.pk)
    _check(interest.participant, interest.leergang, region, earliest_start, latest_start)
    interest.region = region
    interest.earliest_start, interest.latest_start = earliest_start, latest_start
    interest.save(update_fields=["region", "earliest_start", "latest_start"])
    return interest


def interest_withdraw(*, participant: User, leergang: Leergang) -> int:
    """Take a participant off the interest list of a leergang; how many went (0 or 1)."""
    deleted, _counts = Interest.objects.filter(participant=participant, leergang=leergang).delete()
    return deleted


def interest_fulfilled(*, participant: User, leergang_id: int) -> None:
    """The person enrolled in a cohort of the leergang: no longer on its list."""
    Interest.objects.filter(participant=participant, leergang_id=leergang_id).delete()


def interest_expire(now=None) -> int:
    """Retention: an interest registered ``RETENTION_MONTHS`` ago and never fulfilled goes
    (the person can register again); how many went. Run daily with the retention."""
    from leergang.retention import add_months

    now = now or timezone.now()
    cutoff = add_months(timezone.localdate(now), -settings.RETENTION_MONTHS)
    deleted, _counts = Interest.objects.filter(created_at__date__lt=cutoff).delete()
    return deleted


def fitting_interests(cohort: Cohort):
    """The interests a cohort fits: same leergang, the region any or the cohort's, the
    start within the person's period where given, and the cohort open to the person's
    organisation (op maat: only its own people)."""
    starts = cohort.starts_on
    interests = Interest.objects.filter(
        leergang=cohort.leergang_id, participant__is_active=True
    ).filter(
        Q(region="") | Q(region=cohort.region),
        Q(earliest_start=None) | Q(earliest_start__lte=starts),
        Q(latest_start=None) | Q(latest_start__gte=starts),
    )
    if cohort.organisation_id is not None:
        interests = interests.filter(participant__organisation=cohort.organisation_id)
    return interests


def cohort_open_to_interest(*, cohort: Cohort) -> int:
    """Tell the people on the interest list a new cohort fits, once per cohort, and keep it
    for them for ``INTEREST_PRIORITY_DAYS``; how many were told. Under the cohort's row
    lock: a retried or parallel call waits, then finds them told already."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("leergang").get(pk=cohort.pk)
        if cohort.interest_notified_at is not None:
            return 0
        now = timezone.now()
        cohort.interest_notified_at = now
        if cohort.starts_on < timezone.localdate() or not cohort.leergang.is_published:
            cohort.save(update_fields=["interest_notified_at"])
            return 0
        interests = list(fitting_interests(cohort).select_related("participant"))
        if interests:
            cohort.priority_until = now + timedelta(days=settings.INTEREST_PRIORITY_DAYS)
        cohort.save(update_fields=["interest_notified_at", "priority_until"])
        for interest in interests:
            notify(
                interest.participant,
                "interest_cohort_opened",
                about=cohort,
                dedupe_key=f"interest-cohort-{cohort.pk}-{interest.participant_id}",
            )
        return len(interests)


def had_first_access(*, user) -> Q:
    """A filter on cohorts: ``user`` was on the leergang's interest list when the cohort
    opened to it (a registration during the first-access window does not jump the queue)."""
    earlier = Interest.objects.filter(
        participant=user,
        leergang=OuterRef("leergang_id"),
        created_at__lte=OuterRef("interest_notified_at"),
    )
    return Q(Exists(earlier))


def in_first_access(now=None) -> Q:
    """A filter on cohorts: still kept for the interest list at ``now``."""
    return Q(priority_until__gt=now or timezone.now())


def first_access_q(user, now=None) -> Q:
    """A filter on cohorts: not kept for the interest list at ``now``, or kept for
    ``user`` (the catalogue's half of ``first_access_refusal``)."""
    rule = ~in_first_access(now)
    if user is not None and user.is_authenticated:
        rule |= had_first_access(user=user)
    return rule


def first_access_refusal(cohort: Cohort, participant: User, now=None) -> str | None:
    """Why this person cannot enrol in this cohort yet because it is kept for the interest
    list, in Dutch; None when they can."""
    now = now or timezone.now()
    if cohort.priority_until is None or cohort.priority_until <= now:
        return None
    if Interest.objects.filter(
        participant=participant,
        leergang=cohort.leergang_id,
        created_at__lte=cohort.interest_notified_at or now,
    ).exists():
        return None
    return _(
        "This cohort is open until %(date)s first to those who registered interest in this "
        "leergang; after that you can enrol."
    ) % {"date": _day(timezone.localdate(cohort.priority_until))}


# --- reads for the pages ----------------------------------------------------------------------


def own_interests(user):
    """The participant's own interests, with their leergang."""
    return (
        Interest.objects.filter(participant=user)
        .select_related("leergang")
        .order_by("leergang__title", "pk")
    )


def organisation_interests(user):
    """HR: who of their own organisation is on which interest list; nobody else's people."""
    if not (user.is_hr and user.organisation_id):
        return Interest.objects.none()
    return (
        Interest.objects.filter(participant__organisation=user.organisation_id)
        .select_related("leergang", "participant")
        .order_by("leergang__title", "participant__last_name", "participant__first_name", "pk")
    )


@dataclass(frozen=True)
class DemandRow:
    leergang: str
    leergang_slug: str
    region: str
    count: int
    earliest: date | None
    latest: date | None


def demand(*, leergang_id: int | None = None) -> list[DemandRow]:
    """The programme office: how many people are interested per leergang and region, with
    the spread of their preferred periods. One query, whatever the numbers."""
    rows = Interest.objects.filter(participant__is_active=True)
    if leergang_id is not None:
        rows = rows.filter(leergang=leergang_id)
    rows = (
        rows.order_by()
        .values("leergang__title", "leergang__slug", "region")
        .annotate(count=Count("pk"), earliest=Min("earliest_start"), latest=Max("latest_start"))
        .order_by("leergang__title", "region")
    )
    labels = dict(Region.choices)
    return [
        DemandRow(
            leergang=row["leergang__title"],
            leergang_slug=row["leergang__slug"],
            region=str(labels.get(row["region"], "")) or _("Any region"),
            count=row["count"],
            earliest=row["earliest"],
            latest=row["latest"],
        )
        for row in rows
    ]
