"""The waiting list's time-limited claim (``Cohort.WaitlistMode.OFFER``).

In such a cohort a freed seat is not given to the first on the waiting list at once but
offered (``waitlist_promote``): it is held for them for ``Cohort.offer_hours`` while they
confirm that they still want it; months may have passed since they asked. Declined or
lapsed, it goes on to the next at once. One reminder goes before an offer lapses.

Every change happens under the cohort's row lock (``services._lock_cohort``), as every
other seat change does: a seat is offered, confirmed or passed on by one transaction at a
time, so it is never given twice or lost. ``offers_expire`` and ``offer_reminders`` run
from beat (``leergang.tasks``) and are harmless to run twice, even at the same moment.

Switching a cohort back to automatic keeps the offers that run: each is confirmed,
declined or lapses as offered; a seat freed after that goes to the waiting list at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leergang.models import Cohort, Enrolment
from leergang.services import _lock_cohort, _transition, waitlist_promote
from portal.models import User
from portal.notifications import notify
from portal.reminders import is_quiet

State = Enrolment.State


def _deadline(enrolment: Enrolment) -> str:
    return date_format(timezone.localtime(enrolment.offer_expires_at), "j F Y H:i")


def _locked_offer(enrolment: Enrolment, by: User) -> tuple[Cohort, Enrolment]:
    cohort = _lock_cohort(enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.cohort = cohort
    if enrolment.participant_id != by.pk:
        raise ValidationError(_("Only the person offered the seat can answer."), code="not_own")
    return cohort, enrolment


def _answered_refusal(enrolment: Enrolment) -> str:
    if enrolment.state == State.ENROLLED:
        return _("You have already confirmed this seat.")
    if enrolment.state == State.CANCELLED:
        return _("This offer is no longer open: it was declined or it lapsed.")
    return _("No seat is offered to you in this cohort.")


def offer_lapsed(enrolment: Enrolment, now: datetime | None = None) -> bool:
    return enrolment.offer_expires_at is not None and enrolment.offer_expires_at <= (
        now or timezone.now()
    )


def offer_confirm(*, enrolment: Enrolment, by: User) -> Enrolment:
    """The participant still wants the offered seat: enrolled. Refused once it lapsed (the
    seat then goes on to the next, as ``offers_expire`` would have done)."""
    with transaction.atomic():
        cohort, enrolment = _locked_offer(enrolment, by)
        if enrolment.state != State.OFFERED:
            raise ValidationError(_answered_refusal(enrolment), code="handled")
        if not offer_lapsed(enrolment):
            return _transition(enrolment, State.ENROLLED, by=by)
        deadline = _deadline(enrolment)
        _lapse(enrolment, cohort)
    raise ValidationError(
        _(
            "This offer lapsed on %(deadline)s; the seat has gone to the next person on the "
            "waiting list. You can enrol again."
        )
        % {"deadline": deadline},
        code="lapsed",
    )


@transaction.atomic
def offer_decline(*, enrolment: Enrolment, by: User) -> Enrolment:
    """The participant no longer wants the seat: cancelled, and the seat is offered to the
    next on the waiting list at once."""
    cohort, enrolment = _locked_offer(enrolment, by)
    if enrolment.state != State.OFFERED:
        raise ValidationError(_answered_refusal(enrolment), code="handled")
    _transition(enrolment, State.CANCELLED, by=by, reason=_("Offered seat declined."))
    waitlist_promote(cohort=cohort)
    return enrolment


def _cancel_lapsed(enrolment: Enrolment) -> None:
    """A lapsed offer is cancelled and its person told; with its row locked."""
    _transition(
        enrolment,
        State.CANCELLED,
        by=None,
        reason=_("Offer lapsed."),
        message="enrolment_offer_lapsed",
    )


def _lapse(enrolment: Enrolment, cohort: Cohort) -> None:
    """Cancel a lapsed offer and pass its seat on; with both rows locked."""
    _cancel_lapsed(enrolment)
    waitlist_promote(cohort=cohort)


def offers_expire(*, now: datetime | None = None) -> int:
    """Cancel every offer whose time is up and offer its seat to the next on the waiting
    list; how many lapsed. One transaction per cohort, under its lock: a second run at the
    same moment waits, then finds nothing left to do."""
    now = now or timezone.now()
    cohort_ids = sorted(
        set(
            Enrolment.objects.filter(state=State.OFFERED, offer_expires_at__lte=now).values_list(
                "cohort_id", flat=True
            )
        )
    )
    lapsed = 0
    for cohort_id in cohort_ids:
        with transaction.atomic():
            cohort = _lock_cohort(cohort_id)
            for enrolment in (
                cohort.enrolments.select_for_update()
                .filter(state=State.OFFERED, offer_expires_at__lte=now)
                .select_related("participant")
                .order_by("pk")
            ):
                enrolment.cohort = cohort
                _cancel_lapsed(enrolment)
                lapsed += 1
            waitlist_promote(cohort=cohort)
    return lapsed


def reminder_due_at(enrolment: Enrolment) -> datetime:
    """When the reminder of an offer goes: a quarter of its time before it lapses, and at
    most ``OFFER_REMINDER_HOURS`` before (12: the evening before a 48-hour offer ends).
    A moment in the night (``REMINDER_QUIET_HOURS``) becomes the evening before it: an hour
    before the quiet hours start, with more time left rather than a mail at 3 o'clock;
    unless the offer was made after that evening (a short offer made late), when the
    reminder keeps its moment: it goes before the offer lapses, as promised."""
    hours = timedelta(hours=enrolment.cohort.offer_hours)
    due = enrolment.offer_expires_at - min(
        hours / 4, timedelta(hours=settings.OFFER_REMINDER_HOURS)
    )
    evening = before_the_night(due)
    return evening if evening > enrolment.offer_expires_at - hours else due


def before_the_night(moment: datetime) -> datetime:
    if not is_quiet(moment):
        return moment
    local = timezone.localtime(moment)
    quiet_from = local.replace(
        hour=settings.REMINDER_QUIET_HOURS[0], minute=0, second=0, microsecond=0
    )
    if quiet_from > local:
        quiet_from -= timedelta(days=1)
    return quiet_from - timedelta(hours=1)


def offer_reminders(*, now: datetime | None = None) -> int:
    """Remind everyone whose offer lapses soon, once; how many were reminded. The reminder
    is claimed with a conditional UPDATE of ``offer_reminded_at`` in the transaction that
    writes the mail to the outbox: a retried or doubled run sends none twice, and an offer
    answered or lapsed meanwhile gets none."""
    now = now or timezone.now()
    open_offers = Enrolment.objects.filter(
        state=State.OFFERED, offer_reminded_at=None, offer_expires_at__gt=now
    ).select_related("cohort__leergang", "participant")
    reminded = 0
    for enrolment in open_offers:
        if reminder_due_at(enrolment) > now:
            continue
        with transaction.atomic():
            claimed = Enrolment.objects.filter(
                pk=enrolment.pk,
                state=State.OFFERED,
                offer_reminded_at=None,
                offer_expires_at__gt=now,
            ).update(offer_reminded_at=now)
            if claimed:
                notify(enrolment.participant, "enrolment_offer_reminder", about=enrolment)
                reminded += 1
    return reminded
