"""Planning by the programme office: cohorts, and their bijeenkomsten in one go.

Every write here takes the cohort's row lock (the one enrolments take), so a seat count
checked is the seat count kept, and the trainers' rows, so two cohorts cannot book the
same trainer for the same hour at once. A bijeenkomst is saved or deleted as a model, so
the appointment path (``portal.appointments``) tells calendars and moves reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leergang import makeup
from leergang.interest import cohort_open_to_interest
from leergang.models import (
    Bijeenkomst,
    Cohort,
    Leergang,
    LeergangModule,
    Module,
    subquery_count,
)
from leergang.services import waitlist_promote
from portal import audit
from portal.models import User

# Nobody plans a series this long; it keeps a typo (every 300 weeks) from overflowing.
MAX_EVERY_WEEKS = 12


@dataclass(frozen=True)
class PlannedBijeenkomst:
    """One bijeenkomst of a series, before it is saved (the preview's row)."""

    module: Module
    day: date
    start: time
    end: time
    location: str = ""
    online_url: str = ""

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.start))

    @property
    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.end))


def row_field(position: int, name: str) -> str:
    """The preview form's field of row ``position``: refusals of a series name it."""
    return f"{name}_{position}"


def modules_to_plan(cohort: Cohort) -> list[Module]:
    """The leergang's modules in its order that have no bijeenkomst in this cohort yet."""
    planned = cohort.bijeenkomsten.exclude(module=None).values("module_id")
    return [
        link.module
        for link in cohort.leergang.module_links.select_related("module").exclude(
            module__in=planned
        )
    ]


def series(
    *,
    modules: list[Module],
    first_day: date,
    weekday: int,
    every_weeks: int,
    start: time,
    end: time,
    location: str = "",
) -> list[PlannedBijeenkomst]:
    """One bijeenkomst per module in the given order: the first on ``weekday`` (0 is
    Monday) on or after ``first_day``, then every ``every_weeks`` weeks."""
    day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    step = timedelta(weeks=every_weeks)
    return [
        PlannedBijeenkomst(
            module=module, day=day + position * step, start=start, end=end, location=location
        )
        for position, module in enumerate(modules)
    ]


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _outside_period(cohort: Cohort, day: date) -> str | None:
    if cohort.starts_on <= day <= cohort.ends_on:
        return None
    return _("This date is outside the cohort, which runs from %(start)s to %(end)s.") % {
        "start": _day(cohort.starts_on),
        "end": _day(cohort.ends_on),
    }


@dataclass(frozen=True)
class Clash:
    """Something a trainer already does at the time asked for."""

    trainers: str
    what: str
    starts_at: datetime
    ends_at: datetime


def trainer_clashes(*, trainers, starts_at: datetime, ends_at: datetime, cohort_id: int | None):
    """What one of ``trainers`` already does overlapping the time: a bijeenkomst of
    another cohort, an intervisie session they lead or a coaching session they give.
    Cancelled sessions free the time."""
    # Late imports: intervisie and coaching build on leergang, not the other way round.
    from coaching.models import CoachingSession
    from intervisie.models import Session

    by_pk = {trainer.pk: trainer for trainer in trainers}
    if not by_pk:
        return []
    overlapping = {"starts_at__lt": ends_at, "ends_at__gt": starts_at}
    clashes = [
        Clash(
            trainers=_names(by_pk, {t.pk for t in bijeenkomst.cohort.trainers.all()}),
            what=_("%(bijeenkomst)s of %(cohort)s")
            % {"bijeenkomst": bijeenkomst.title, "cohort": bijeenkomst.cohort},
            starts_at=bijeenkomst.starts_at,
            ends_at=bijeenkomst.ends_at,
        )
        for bijeenkomst in Bijeenkomst.objects.filter(cohort__trainers__in=by_pk, **overlapping)
        .exclude(cohort_id=cohort_id)
        .select_related("cohort__leergang")
        .prefetch_related("cohort__trainers")
        .distinct()
        .order_by("starts_at", "pk")
    ]
    clashes += [
        Clash(
            trainers=_names(by_pk, {session.group.begeleider_id}),
            what=_("intervisie group %(group)s") % {"group": session.group.name},
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        for session in Session.objects.filter(group__begeleider__in=by_pk, **overlapping)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("group")
        .order_by("starts_at", "pk")
    ]
    clashes += [
        Clash(
            trainers=_names(by_pk, {session.trajectory.coach_id}),
            what=_("a coaching session"),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        for session in CoachingSession.objects.filter(trajectory__coach__in=by_pk, **overlapping)
        .exclude(status=CoachingSession.Status.CANCELLED)
        .select_related("trajectory")
        .order_by("starts_at", "pk")
    ]
    return clashes


def _names(by_pk: dict, pks: set[int]) -> str:
    return ", ".join(sorted(by_pk[pk].get_full_name() for pk in pks if pk in by_pk))


def _clash_message(clashes: list[Clash], trainers=None) -> str:
    clash = clashes[0]
    return _("%(trainers)s is already busy at that time: %(what)s (%(start)s to %(end)s).") % {
        "trainers": clash.trainers,
        "what": clash.what,
        "start": timezone.localtime(clash.starts_at).strftime("%d-%m-%Y %H:%M"),
        "end": timezone.localtime(clash.ends_at).strftime("%H:%M"),
    }


def _audit(by: User, obj, detail: str) -> None:
    """Planning changes what many people have in their calendars: the logbook says who
    did what, in the same transaction as the change."""
    audit.record(audit.Action.PLANNING_CHANGED, actor=by, obj=obj, detail=detail)


def _lock(cohort_id: int | None, trainers) -> Cohort | None:
    """The cohort's row and the trainers' rows, in id order (no deadlock between two plans)."""
    list(User.objects.select_for_update().filter(pk__in=[t.pk for t in trainers]).order_by("pk"))
    if cohort_id is None:
        return None
    return Cohort.objects.select_for_update().get(pk=cohort_id)


@transaction.atomic
def cohort_save(
    *,
    cohort: Cohort | None,
    by: User,
    leergang: Leergang,
    trainers,
    **fields,
) -> Cohort:
    """Create a cohort (``cohort`` None) or change one. Refused, at the field concerned:
    fewer seats than people enrolled, a period that leaves planned bijeenkomsten outside
    it, a trainer who gives another cohort's bijeenkomst at the same time as one of this."""
    trainers = list(trainers)
    locked = _lock(cohort.pk if cohort else None, trainers)
    target = locked or Cohort(leergang=leergang)
    for name, value in fields.items():
        setattr(target, name, value)
    errors: dict[str, list[str]] = {}
    if locked is not None:
        # A seat offered from the waiting list counts: lowering seats never withdraws it.
        enrolled = locked.enrolments.claiming_seat().count()
        if target.seats is not None and target.seats < enrolled:
            errors.setdefault("seats", []).append(
                _("%(enrolled)s people are enrolled; the cohort needs at least that many seats.")
                % {"enrolled": enrolled}
                if enrolled == locked.enrolments.holding_seat().count()
                else _(
                    "%(enrolled)s seats are taken or offered from the waiting list; the cohort "
                    "needs at least that many seats."
                )
                % {"enrolled": enrolled}
            )
        if target.organisation_id is not None:
            # Op maat is for one organisation's people; others enrolled would hold seats
            # in a cohort they can no longer see.
            others = (
                locked.enrolments.live()
                .exclude(participant__organisation=target.organisation_id)
                .count()
            )
            if others:
                errors.setdefault("organisation", []).append(
                    ngettext(
                        "%(count)s person of another organisation is enrolled; the cohort "
                        "stays open to all until they are moved or cancelled.",
                        "%(count)s people of other organisations are enrolled; the cohort "
                        "stays open to all until they are moved or cancelled.",
                        others,
                    )
                    % {"count": others}
                )
        outside = (
            locked.bijeenkomsten.filter(
                Q(starts_at__date__lt=target.starts_on) | Q(starts_at__date__gt=target.ends_on)
            )
            .order_by("starts_at")
            .first()
        )
        if outside is not None:
            errors.setdefault("starts_on", []).append(
                _("%(bijeenkomst)s on %(date)s would fall outside the cohort.")
                % {
                    "bijeenkomst": outside.title,
                    "date": _day(timezone.localdate(outside.starts_at)),
                }
            )
        for bijeenkomst in locked.bijeenkomsten.filter(starts_at__gt=timezone.now()):
            clashes = trainer_clashes(
                trainers=trainers,
                starts_at=bijeenkomst.starts_at,
                ends_at=bijeenkomst.ends_at,
                cohort_id=locked.pk,
            )
            if clashes:
                errors.setdefault("trainers", []).append(_clash_message(clashes, trainers))
                break
    if errors:
        raise ValidationError(errors)
    target.full_clean(exclude=["trainers"])
    target.save()
    target.trainers.set(trainers)
    _audit(by, target, "cohort created" if locked is None else "cohort changed")
    if locked is None:
        # A new cohort: the interest list hears of it first (``leergang.interest``).
        cohort_open_to_interest(cohort=target)
    else:
        # More seats: the waiting list gets them (or offers of them) at once.
        waitlist_promote(cohort=target)
    return target


def series_refusals(
    cohort: Cohort, planned: list[PlannedBijeenkomst], trainers
) -> dict[str, list[str]]:
    """What refuses a series, per preview field: the preview shows it before saving."""
    errors: dict[str, list[str]] = {}
    open_modules = {module.pk for module in modules_to_plan(cohort)}
    for position, row in enumerate(planned):
        field = row_field(position, "day")
        if row.module.pk not in open_modules:
            errors.setdefault(field, []).append(
                _("%(module)s already has a bijeenkomst in this cohort.") % {"module": row.module}
            )
            continue
        open_modules.discard(row.module.pk)  # once per series too
        if row.end <= row.start:
            errors.setdefault(row_field(position, "end"), []).append(
                _("The end is not after the start.")
            )
            continue
        refusal = _outside_period(cohort, row.day)
        if refusal:
            errors.setdefault(field, []).append(refusal)
            continue
        clashes = trainer_clashes(
            trainers=trainers, starts_at=row.starts_at, ends_at=row.ends_at, cohort_id=cohort.pk
        )
        if clashes:
            errors.setdefault(field, []).append(_clash_message(clashes, trainers))
    return errors


@transaction.atomic
def bijeenkomsten_plan(
    *, cohort: Cohort, planned: list[PlannedBijeenkomst], by: User
) -> list[Bijeenkomst]:
    """Save a series. All or nothing: a date outside the cohort, a trainer booked
    elsewhere or a module planned already refuses the series at the row concerned."""
    trainers = list(cohort.trainers.all())
    cohort = _lock(cohort.pk, trainers)
    errors = series_refusals(cohort, planned, trainers)
    if errors:
        raise ValidationError(errors)
    # One by one: each save is the appointment path that puts it in the calendars.
    made = []
    for row in planned:
        bijeenkomst = Bijeenkomst(
            cohort=cohort,
            module=row.module,
            title=row.module.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            location=row.location,
            online_url=row.online_url,
        )
        bijeenkomst.save()
        made.append(bijeenkomst)
    _audit(by, cohort, f"planned {len(made)}: " + " ".join(str(b.pk) for b in made))
    return made


def _refuse_started(bijeenkomst: Bijeenkomst) -> None:
    if bijeenkomst.has_started:
        raise ValidationError(
            _("This bijeenkomst has already started; it can no longer be moved or cancelled."),
            code="started",
        )


@transaction.atomic
def bijeenkomst_move(
    *,
    bijeenkomst: Bijeenkomst,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    online_url: str,
) -> Bijeenkomst:
    """A new time or place for one bijeenkomst; whoever has it in their calendar is told."""
    trainers = list(bijeenkomst.cohort.trainers.all())
    cohort = _lock(bijeenkomst.cohort_id, trainers)
    bijeenkomst = Bijeenkomst.objects.select_for_update().get(pk=bijeenkomst.pk)
    _refuse_started(bijeenkomst)
    refusal = _outside_period(cohort, timezone.localdate(starts_at))
    if refusal:
        raise ValidationError({"date": refusal})
    clashes = trainer_clashes(
        trainers=trainers, starts_at=starts_at, ends_at=ends_at, cohort_id=cohort.pk
    )
    if clashes:
        raise ValidationError({"date": _clash_message(clashes, trainers)})
    bijeenkomst.starts_at, bijeenkomst.ends_at = starts_at, ends_at
    bijeenkomst.location, bijeenkomst.online_url = location, online_url
    bijeenkomst.save()
    _audit(by, bijeenkomst, f"moved to {timezone.localtime(starts_at):%Y-%m-%d %H:%M}")
    return bijeenkomst


@transaction.atomic
def bijeenkomst_cancel(*, bijeenkomst: Bijeenkomst, by: User) -> Cohort:
    """The bijeenkomst does not take place: it goes, and calendars get the cancellation
    (``portal.appointments`` on delete). Its module can then be planned again."""
    cohort = _lock(bijeenkomst.cohort_id, [])
    bijeenkomst = Bijeenkomst.objects.select_for_update().filter(pk=bijeenkomst.pk).first()
    if bijeenkomst is None:
        return cohort  # cancelled already (a second click)
    _refuse_started(bijeenkomst)
    was = timezone.localtime(bijeenkomst.starts_at)
    _audit(by, bijeenkomst, f"cancelled, was {was:%Y-%m-%d %H:%M}")
    makeup.host_cancelled(bijeenkomst)
    bijeenkomst.delete()
    return cohort


def planning_cohorts(*, today: date):
    """The programme office's planning list: cohorts not yet over, with their counts."""
    return (
        Cohort.objects.filter(ends_on__gte=today)
        .select_related("leergang", "organisation")
        .with_seats_taken()
        .annotate(
            bijeenkomst_count=subquery_count(Bijeenkomst.objects.filter(cohort=OuterRef("pk")))
        )
        .order_by("starts_on", "name", "pk")
    )


def cohorts_to_plan(*, today: date) -> QuerySet[Cohort]:
    """Cohorts not yet over with a module of their leergang that has no bijeenkomst yet."""
    planned = Bijeenkomst.objects.filter(cohort=OuterRef(OuterRef("pk")), module=OuterRef("module"))
    unplanned = LeergangModule.objects.filter(leergang=OuterRef("leergang"))
    unplanned = unplanned.exclude(Exists(planned))
    return Cohort.objects.filter(ends_on__gte=today).filter(Exists(unplanned))
