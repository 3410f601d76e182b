"""Every write of the leergang app: enrolment, waitlist, attendance, leerlog, completion.

Seats are counted under a row lock on the cohort (``SELECT ... FOR UPDATE``), so
parallel enrolments, approvals and cancellations of one cohort run one after
another and a seat is never given twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leergang.interest import first_access_refusal, interest_fulfilled
from leergang.models import (
    TRANSITIONS,
    WAITLIST_ORDER,
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    EnrolmentTransition,
    InsightsProfile,
    Module,
    Reflection,
)
from portal.models import Role, User
from portal.notifications import notify

State = Enrolment.State


def _lock_cohort(cohort_id: int) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort_id)


def _transition(
    enrolment: Enrolment,
    to_state: str,
    *,
    by: User | None,
    reason: str = "",
    message: str | None = None,
) -> Enrolment:
    """Move an enrolment to ``to_state``, record who and why, and tell the participant."""
    from_state = enrolment.state
    if to_state not in TRANSITIONS[from_state]:
        raise ValidationError(
            _('An enrolment that is "%(from)s" cannot become "%(to)s".')
            % {"from": State(from_state).label, "to": State(to_state).label},
            code="invalid_transition",
        )
    now = timezone.now()
    enrolment.apply_state(to_state, at=now, reason=reason)
    enrolment.save()
    EnrolmentTransition.objects.create(
        enrolment=enrolment,
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=now,
        reason=reason,
    )
    context = {"from_state": from_state, "reason": reason}
    if to_state == State.WAITLISTED:
        # The mail says where they stand at the moment they join; the pages stay current.
        context["waitlist_position"] = waitlist_position(enrolment)
    notify(
        enrolment.participant, message or f"enrolment_{to_state}", about=enrolment, context=context
    )
    return enrolment


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 + the people ahead on the waiting list of this cohort (None when not waiting)."""
    return Enrolment.objects.with_waitlist_position().get(pk=enrolment.pk).waitlist_position


def _seat_or_waitlist(enrolment: Enrolment, cohort: Cohort, *, by: User | None) -> Enrolment:
    from leergang.makeup import guest_seats_held

    # A seat is for every bijeenkomst: the guests making one up hold theirs (inhalen).
    if cohort.free_seats() > guest_seats_held(cohort):
        return _transition(enrolment, State.ENROLLED, by=by)
    return _transition(enrolment, State.WAITLISTED, by=by)


def cohort_enrolment_problem(
    cohort: Cohort, participant: User, *, by: User | None = None
) -> str | None:
    """Why this person cannot enrol in this cohort now, in Dutch; None when they can.
    ``by``: the programme office enrolling them, which the interest list's first-access
    window does not hold back (it places people on purpose)."""
    if not participant.has_role(Role.DEELNEMER):
        return _("Only participants can enrol.")
    if not cohort.is_open_to(participant):
        return _("This cohort is tailored for another organisation.")
    if not cohort.leergang.is_published:
        return _("This leergang is not open for enrolment.")
    if cohort.ends_on < timezone.localdate():
        return _("This cohort has already ended.")
    if cohort.starts_on < timezone.localdate():
        return _("This cohort has already started; enrolment is closed. Choose a later cohort.")
    first_access = (by is None or by == participant) and first_access_refusal(cohort, participant)
    if first_access:
        return first_access
    existing = (
        cohort.enrolments.filter(participant=participant).live().with_waitlist_position().first()
    )
    if existing and existing.is_enrolled:
        return _("You are already enrolled in this cohort.")
    if existing:
        return existing.status_for_participant
    return None


@transaction.atomic
def enrolment_create(*, cohort: Cohort, participant: User, by: User | None = None) -> Enrolment:
    """Enrol a participant: a request for HR, a seat, or a place on the waiting list.
    ``by``: the programme office enrolling someone on their behalf (the history says so);
    the cohort's approval rule applies all the same."""
    by = by or participant
    cohort = _lock_cohort(cohort.pk)
    problem = cohort_enrolment_problem(cohort, participant, by=by)
    if (
        problem
        and by != participant
        and cohort.enrolments.filter(participant=participant).live().exists()
    ):
        # The office enrolling someone: "the person", not the participant's "you".
        problem = _("The person already has an enrolment in this cohort.")
    if problem:
        raise ValidationError(problem, code="cannot_enrol")
    enrolment = Enrolment(cohort=cohort, participant=participant, state=State.REQUESTED)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:  # the same person, in a parallel request
        raise ValidationError(
            _("You are already enrolled in this cohort."), code="cannot_enrol"
        ) from None
    EnrolmentTransition.objects.create(enrolment=enrolment, to_state=State.REQUESTED, by=by)
    interest_fulfilled(participant=participant, leergang_id=cohort.leergang_id)
    if cohort.requires_approval:
        notify(participant, "enrolment_requested", about=enrolment)
        approvers = list(
            User.objects.filter(
                organisation_id=participant.organisation_id,
                role_rows__role=Role.HR,
                is_active=True,
            )
        )
        if not approvers:
            # An organisation without HR in the portal: the programme office decides.
            approvers = list(User.objects.filter(role_rows__role=Role.BEHEERDER, is_active=True))
        for approver in approvers:
            notify(approver, "enrolment_approval_needed", about=enrolment)
        return enrolment
    return _seat_or_waitlist(enrolment, cohort, by=by)


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, by: User) -> Enrolment:
    """HR says yes: the request gets a seat, or joins the waiting list when full."""
    cohort = _lock_cohort(enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.is_pending:
        raise ValidationError(_("This request has already been handled."), code="handled")
    return _seat_or_waitlist(enrolment, cohort, by=by)


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, by: User, reason: str) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.is_pending:
        raise ValidationError(_("This request has already been handled."), code="handled")
    if not reason.strip():
        raise ValidationError(
            _("Give a reason, so the participant knows why."), code="reason_required"
        )
    return _transition(enrolment, State.REJECTED, by=by, reason=reason.strip())


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by: User, reason: str = "") -> Enrolment:
    """Cancel (the participant before the deadline, the programme office at any time);
    a freed seat goes to the first on the waiting list in the same transaction."""
    cohort = _lock_cohort(enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.cohort = cohort
    refusal = enrolment.cancel_refusal(by=by)
    if refusal:
        raise ValidationError(refusal, code="cannot_cancel")
    held_seat = enrolment.claims_seat  # an offered seat is passed on too
    _transition(enrolment, State.CANCELLED, by=by, reason=reason)
    from leergang.makeup import make_ups_end

    make_ups_end(enrolment=enrolment)
    if held_seat:
        waitlist_promote(cohort=cohort)
    return enrolment


def enrolment_move_problem(enrolment: Enrolment, to_cohort: Cohort) -> str | None:
    """Why the programme office cannot move this enrolment to ``to_cohort`` now, in Dutch;
    None when it can. Both cohorts come locked, with their seats counted now."""
    if enrolment.state not in (State.ENROLLED, State.WAITLISTED):
        if enrolment.is_pending:
            return _(
                "This request still waits for the employer's approval; move it once it has "
                "been decided."
            )
        return _("Only an enrolment that is running or on the waiting list can be moved.")
    if to_cohort.pk == enrolment.cohort_id:
        return _("The person is already in this cohort.")
    if to_cohort.leergang_id != enrolment.cohort.leergang_id:
        return _("A person can only be moved to a cohort of the same leergang.")
    if to_cohort.ends_on < timezone.localdate():
        return _("This cohort has already ended.")
    if not to_cohort.is_open_to(enrolment.participant):
        return _("This cohort is tailored for another organisation than the person's.")
    if to_cohort.enrolments.filter(participant=enrolment.participant_id).live().exists():
        return _("The person already has an enrolment in this cohort.")
    from leergang.makeup import guest_seats_held

    # Guests making up a bijeenkomst there hold their seat too (inhalen).
    if to_cohort.free_seats() <= guest_seats_held(to_cohort):
        return _(
            "%(cohort)s is full (%(seats)s seats): the person stays where they are. Add a seat "
            "to that cohort or choose another one."
        ) % {"cohort": to_cohort.name, "seats": to_cohort.seats}
    return None


@transaction.atomic
def enrolment_move(
    *, enrolment: Enrolment, to_cohort: Cohort, by: User, reason: str = ""
) -> Enrolment:
    """Move a person to another cohort of the same leergang (the programme office).

    The old enrolment is cancelled with the reason and a link to the new one, which gets a
    seat (a full cohort is refused, never a waiting list: the person would lose the seat
    they have). Attendance and reflections go along, so the modules already done count
    for completion there. The seat freed in the old cohort goes to its waiting list."""
    # Both cohorts locked in id order: two moves in opposite directions never deadlock.
    first, second = sorted([enrolment.cohort_id, to_cohort.pk])
    locked = {pk: _lock_cohort(pk) for pk in (first, second)}
    enrolment = (
        Enrolment.objects.select_for_update().select_related("participant").get(pk=enrolment.pk)
    )
    old_cohort = enrolment.cohort = locked[enrolment.cohort_id]
    to_cohort = locked.get(to_cohort.pk) or to_cohort
    problem = enrolment_move_problem(enrolment, to_cohort)
    if problem:
        raise ValidationError(problem, code="cannot_move")
    now = timezone.now()
    new = Enrolment.objects.create(
        cohort=to_cohort, participant=enrolment.participant, state=State.ENROLLED, created_at=now
    )
    moved_reason = _("Moved from %(cohort)s.") % {"cohort": old_cohort.name} + (
        f" {reason.strip()}" if reason.strip() else ""
    )
    EnrolmentTransition.objects.create(
        enrolment=new, to_state=State.ENROLLED, by=by, at=now, reason=moved_reason
    )
    enrolment.attendances.update(enrolment=new)
    enrolment.reflections.update(enrolment=new)
    from leergang.makeup import make_ups_end

    # A make-up of a bijeenkomst of the old cohort: the new cohort has its own.
    make_ups_end(enrolment=enrolment)
    held_seat = enrolment.claims_seat
    enrolment.moved_to = new
    _transition(
        enrolment,
        State.CANCELLED,
        by=by,
        reason=_("Moved to %(cohort)s.") % {"cohort": to_cohort.name}
        + (f" {reason.strip()}" if reason.strip() else ""),
        message="enrolment_moved",
    )
    if held_seat:
        waitlist_promote(cohort=old_cohort)
    enrolment_check_completion(enrolment=new)
    new.refresh_from_db()
    return new


def waitlist_promote(*, cohort: Cohort) -> list[Enrolment]:
    """Give free seats to the waiting list, first come first served: a seat at once, or in
    a cohort whose waiting list works with offers (``Cohort.WaitlistMode.OFFER``) an offer
    held for ``offer_hours`` (``leergang.offers``). Call with the cohort locked (inside the
    transaction that freed the seat)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("waitlist_promote must run inside the transaction that frees a seat")
    from leergang.makeup import guest_seats_held

    # Counted now, not from a ``with_seats_taken()`` annotation of before the change; the
    # seats guests hold at a bijeenkomst still to come are not free for the list either,
    # as they are not for an enrolment (``_seat_or_waitlist``).
    cohort.__dict__.pop("seats_taken", None)
    free = max(cohort.free_seats() - guest_seats_held(cohort), 0)
    promoted = []
    if not free:
        return promoted
    waiting = (
        cohort.enrolments.select_for_update()
        .filter(state=State.WAITLISTED)
        .order_by(*WAITLIST_ORDER)[:free]
    )
    offering = cohort.waitlist_mode == Cohort.WaitlistMode.OFFER
    for enrolment in waiting:
        if offering:
            enrolment.offer_expires_at = timezone.now() + timedelta(hours=cohort.offer_hours)
            enrolment.offer_reminded_at = None
            promoted.append(
                _transition(enrolment, State.OFFERED, by=None, message="enrolment_offered")
            )
        else:
            promoted.append(
                _transition(enrolment, State.ENROLLED, by=None, message="enrolment_promoted")
            )
    return promoted


@transaction.atomic
def cohort_seats_changed(*, cohort: Cohort) -> list[Enrolment]:
    """After the programme office adds seats: promote from the waiting list."""
    return waitlist_promote(cohort=_lock_cohort(cohort.pk))


def _recheck(enrolment: Enrolment) -> None:
    if enrolment.is_enrolled:
        enrolment_check_completion(enrolment=enrolment)


@transaction.atomic
def attendance_record(
    *, bijeenkomst: Bijeenkomst, by: User, entries: dict[int, tuple[str, str]]
) -> list[Attendance]:
    """Record the attendance of a whole bijeenkomst: {enrolment id: (status, reason)}.

    Before the bijeenkomst starts only afmeldingen can be recorded; an empty status
    clears what was recorded for that person.
    """
    from leergang.makeup import guest_enrolments

    # The cohort's seat holders, and guests making up a bijeenkomst of their own cohort
    # here (inhalen), in one query.
    on_sheet = dict(
        (bijeenkomst.cohort.enrolments.holding_seat() | guest_enrolments(bijeenkomst)).values_list(
            "pk", "cohort_id"
        )
    )
    guests = {pk: cohort for pk, cohort in on_sheet.items() if cohort != bijeenkomst.cohort_id}
    strangers = set(entries) - set(on_sheet)
    if strangers:
        raise ValidationError(
            _("Attendance can only be recorded for participants of this cohort."),
            code="not_in_cohort",
        )
    now = timezone.now()
    allowed = bijeenkomst.attendance_statuses(now)
    for status, _reason in entries.values():
        if status and status not in Attendance.Status.values:
            raise ValidationError(_("Choose present, absent or excused."), code="status")
        if status and status not in allowed:
            raise ValidationError(
                _(
                    "This bijeenkomst starts on %(start)s. Until then you can only record that "
                    "someone has reported absence; present or absent can be recorded once it "
                    "has started."
                )
                % {"start": timezone.localtime(bijeenkomst.starts_at).strftime("%d-%m-%Y %H:%M")},
                code="not_started",
            )
    saved = []
    for enrolment_id, (status, reason) in entries.items():
        if not status:
            Attendance.objects.filter(enrolment_id=enrolment_id, bijeenkomst=bijeenkomst).delete()
            continue
        attendance, _created = Attendance.objects.update_or_create(
            enrolment_id=enrolment_id,
            bijeenkomst=bijeenkomst,
            defaults={
                "status": status,
                "reason": reason.strip()[:500],
                "recorded_by": by,
                "recorded_at": now,
            },
        )
        saved.append(attendance)
    _check_completion_of_sheet(bijeenkomst.cohort, enrolment_ids=list(entries))
    # A guest's attendance counts in their own cohort: checked there, per cohort.
    for cohort_id in {guests[pk] for pk in entries if pk in guests}:
        _check_completion_of_sheet(
            Cohort.objects.select_related("leergang").get(pk=cohort_id),
            enrolment_ids=[pk for pk in entries if guests.get(pk) == cohort_id],
        )
    return saved


def _check_completion_of_sheet(cohort: Cohort, *, enrolment_ids: list[int]) -> None:
    """The completion check of a whole attendance sheet at once: three queries however many
    people it holds (one check per person made saving a sheet of 20 cost 80 more queries
    and a second of the trainer's time under load), plus a transition per person who
    completes. Same rule as ``enrolment_check_completion``."""
    # Rows locked in id order, the enrolment's rows only (see enrolment_check_completion).
    locked = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=enrolment_ids, cohort=cohort, state=State.ENROLLED)
        .select_related("cohort__leergang", "participant")
        .with_attendance()
        .order_by("pk")
    )
    if not locked:
        return
    module_ids = list(cohort.leergang.module_links.values_list("module_id", flat=True))
    reflected: dict[int, set[int]] = {enrolment.pk: set() for enrolment in locked}
    for enrolment_id, module_id in Reflection.objects.filter(
        enrolment__in=locked, submitted_at__isnull=False
    ).values_list("enrolment_id", "module_id"):
        reflected[enrolment_id].add(module_id)
    for enrolment in locked:
        status = completion_status(
            enrolment, reflected_module_ids=reflected[enrolment.pk], module_ids=module_ids
        )
        if status["met"]:
            _transition(enrolment, State.COMPLETED, by=None)


@transaction.atomic
def attendance_excuse(*, bijeenkomst: Bijeenkomst, enrolment: Enrolment, reason: str) -> Attendance:
    """A participant reports in advance that they cannot come (afmelden)."""
    refusal = enrolment.excuse_refusal(bijeenkomst)
    if refusal:
        raise ValidationError(refusal, code="cannot_excuse")
    if not reason.strip():
        raise ValidationError(_("Give a reason for your absence."), code="reason_required")
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        bijeenkomst=bijeenkomst,
        defaults={
            "status": Attendance.Status.EXCUSED,
            "reason": reason.strip()[:500],
            "recorded_by": enrolment.participant,
            "recorded_at": timezone.now(),
        },
    )
    for trainer in bijeenkomst.cohort.trainers.all():
        notify(trainer, "attendance_excused", about=attendance)
    return attendance


@transaction.atomic
def attendance_withdraw_excuse(*, bijeenkomst: Bijeenkomst, enrolment: Enrolment) -> None:
    """Changed plans: the participant comes after all."""
    if bijeenkomst.has_started:
        raise ValidationError(_("This bijeenkomst has already started."), code="started")
    Attendance.objects.filter(
        enrolment=enrolment, bijeenkomst=bijeenkomst, status=Attendance.Status.EXCUSED
    ).delete()


@transaction.atomic
def reflection_save(
    *,
    enrolment: Enrolment,
    module: Module,
    text: str,
    submit: bool,
    shared_with_trainer: bool,
    shared_with_coach: bool,
) -> Reflection:
    """Save a leerlog entry (a draft, or submitted); sharing can be given and taken back."""
    if not enrolment.holds_seat:
        raise ValidationError(
            _("You can write reflections once you are enrolled."), code="not_enrolled"
        )
    if not enrolment.cohort.leergang.module_links.filter(module=module).exists():
        raise ValidationError(_("This module is not part of your leergang."), code="module")
    reflection, _created = Reflection.objects.select_for_update().get_or_create(
        enrolment=enrolment, module=module, defaults={"text": ""}
    )
    reflection.text = text
    reflection.shared_with_trainer = shared_with_trainer
    reflection.shared_with_coach = shared_with_coach
    if submit and not reflection.submitted_at:
        reflection.submitted_at = timezone.now()
    reflection.full_clean(exclude=["enrolment", "module"])
    reflection.save()
    _recheck(enrolment)
    return reflection


def completion_status(
    enrolment: Enrolment,
    *,
    reflected_module_ids: set[int] | None = None,
    module_ids: list[int] | None = None,
) -> dict:
    """How far an enrolment is from the cohort's completion rule. The enrolment comes from
    ``Enrolment.objects.with_attendance()``; pages that read the modules and reflections
    already pass their ids in."""
    cohort = enrolment.cohort
    if module_ids is None:
        module_ids = list(cohort.leergang.module_links.values_list("module_id", flat=True))
    if reflected_module_ids is None:
        reflected_module_ids = set(
            enrolment.reflections.exclude(submitted_at=None).values_list("module_id", flat=True)
        )
    rate = enrolment.attendance
    missing_reflections = [m for m in module_ids if m not in reflected_module_ids]
    reflections_met = not cohort.reflections_required or not missing_reflections
    attendance_met = rate.meets(cohort.min_attendance_percent)
    return {
        "attendance": rate,
        "required_percent": cohort.min_attendance_percent,
        "needed": rate.needed(cohort.min_attendance_percent),
        "attendance_met": attendance_met,
        "missing_reflections": missing_reflections,
        "reflections_met": reflections_met,
        "met": attendance_met and reflections_met,
    }


@transaction.atomic
def enrolment_check_completion(*, enrolment: Enrolment) -> bool:
    """Mark the enrolment completed (with a certificate) when the rule is met."""
    # The enrolment's row only (of=self): FOR UPDATE with the join would lock the cohort's
    # row too, and a trainer's attendance sheet, which checks every enrolment of the cohort
    # in turn, then deadlocked with a participant saving a reflection (make loadtest).
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .with_attendance()
        .get(pk=enrolment.pk)
    )
    if not enrolment.is_enrolled or not completion_status(enrolment)["met"]:
        return False
    _transition(enrolment, State.COMPLETED, by=None)
    return True


def insights_profile_save(
    *, participant: User, red: int, yellow: int, green: int, blue: int
) -> InsightsProfile:
    """Create or replace the participant's colour energies (they sum to 100, the model checks)."""
    profile, _created = InsightsProfile.objects.update_or_create(
        participant=participant,
        defaults={"red": red, "yellow": yellow, "green": green, "blue": blue},
    )
    return profile


def insights_profile_delete(*, participant: User) -> None:
    InsightsProfile.objects.filter(participant=participant).delete()
