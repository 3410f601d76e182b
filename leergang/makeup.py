"""Inhalen: a participant makes up a bijeenkomst they missed (or reported absence for) at
the same module's bijeenkomst of another cohort, the host.

The host's programme office or its trainer approves. A guest takes a seat at that one
bijeenkomst: free for guests there are the host cohort's free seats less the guests
already approved for it, counted under the host cohort's row lock (``_lock_cohort``),
the lock every enrolment of that cohort takes. Enrolments in turn leave room for the
guests of the busiest bijeenkomst still to come (``guest_seats_held``), so a seat is
never given twice, whichever comes first.

Attendance at the host is recorded on the guest's own enrolment; the module then counts
for their own completion rule (``EnrolmentQuerySet.with_attendance``), once.

Any cohort with a bijeenkomst of the same module may host, of the same leergang or of
another one: modules are building blocks shared by the leergangen (DOMAIN.md), the
bijeenkomst teaches the same module, and the credit rule counts a module wherever it was
attended. The op-maat rule still applies to the host cohort.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leergang.models import (
    SEAT_STATES,
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    MakeUpRequest,
)
from portal import access
from portal.models import Role, User
from portal.notifications import notify

State = MakeUpRequest.State
LIVE = [State.REQUESTED, State.APPROVED]
# What may be made up: a bijeenkomst the person was absent from or reported absence for.
MISSED_STATUSES = [Attendance.Status.ABSENT, Attendance.Status.EXCUSED]


def approved_guests():
    """Approved make-ups of people who still hold their own seat: the guests who come."""
    return MakeUpRequest.objects.filter(state=State.APPROVED, enrolment__state__in=SEAT_STATES)


def guests_at(bijeenkomst: Bijeenkomst) -> int:
    return approved_guests().filter(bijeenkomst=bijeenkomst).count()


def guest_seats_free(bijeenkomst: Bijeenkomst, cohort: Cohort) -> int:
    """Seats a new guest may take at ``bijeenkomst`` of ``cohort`` (its host, locked)."""
    return max(cohort.free_seats() - guests_at(bijeenkomst), 0)


def guest_seats_held(cohort: Cohort, *, now=None) -> int:
    """The guests of this cohort's busiest bijeenkomst still to come: an enrolment needs a
    seat at every bijeenkomst, so these seats are not free for one."""
    busiest = (
        approved_guests()
        .filter(bijeenkomst__cohort=cohort, bijeenkomst__starts_at__gt=now or timezone.now())
        .values("bijeenkomst")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    return busiest or 0


def missed_problem(enrolment: Enrolment, missed: Bijeenkomst, *, exclude=None) -> str | None:
    """Why this bijeenkomst of the person's own cohort cannot be made up elsewhere, in
    Dutch; None when it can. ``exclude``: the request being decided, which is itself live."""
    if not enrolment.holds_seat:
        return _("Only a participant with a seat in the cohort can make up a bijeenkomst.")
    if missed.cohort_id != enrolment.cohort_id:
        return _("This bijeenkomst is not one of your cohort.")
    if missed.module_id is None:
        return _("This bijeenkomst belongs to no module, so it cannot be made up elsewhere.")
    status = (
        Attendance.objects.filter(enrolment=enrolment, bijeenkomst=missed)
        .values_list("status", flat=True)
        .first()
    )
    if status not in MISSED_STATUSES:
        return _(
            "You can make up a bijeenkomst you missed or reported absence for; you are not "
            "recorded as absent for this one."
        )
    live = MakeUpRequest.objects.filter(enrolment=enrolment, missed=missed, state__in=LIVE)
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    if live.exists():
        return _("You have already asked to make up this bijeenkomst.")
    return None


def make_up_problem(
    enrolment: Enrolment,
    missed: Bijeenkomst,
    bijeenkomst: Bijeenkomst,
    *,
    exclude=None,
    now=None,
) -> str | None:
    """Why the person cannot make up ``missed`` at ``bijeenkomst`` now, in Dutch; None when
    they can. The page and the services ask this; the services with the host locked."""
    problem = missed_problem(enrolment, missed, exclude=exclude)
    if problem:
        return problem
    if bijeenkomst.module_id != missed.module_id:
        return _("Choose a bijeenkomst of the same module.")
    if bijeenkomst.cohort_id == enrolment.cohort_id:
        return _("Choose a bijeenkomst of another cohort.")
    if bijeenkomst.is_held(now):
        return _("This bijeenkomst has already started; choose a later one.")
    host = bijeenkomst.cohort
    if not host.is_open_to(enrolment.participant):
        return _("This cohort is tailored for another organisation.")
    if host.enrolments.filter(participant=enrolment.participant_id).live().exists():
        return _("You have an enrolment in that cohort yourself.")
    if not guest_seats_free(bijeenkomst, host):
        return _("This bijeenkomst is full; choose another one.")
    return None


def make_up_options(enrolment: Enrolment, missed: Bijeenkomst, *, now=None):
    """The bijeenkomsten where ``missed`` may be made up: the same module in another cohort
    open to the person, still to come, with a seat for a guest. Annotated with
    ``guest_seats`` (the seats left for guests), in two queries however many there are."""
    now = now or timezone.now()
    participant = enrolment.participant
    own_cohorts = Enrolment.objects.filter(participant=participant).live().values("cohort")
    candidates = list(
        Bijeenkomst.objects.filter(module=missed.module_id, starts_at__gt=now)
        .exclude(cohort=enrolment.cohort_id)
        .exclude(cohort__in=own_cohorts)
        .filter(cohort__in=Cohort.objects.open_to(participant))
        .select_related("cohort__leergang")
        .order_by("starts_at", "pk")
    )
    if not candidates:
        return []
    taken = dict(
        Cohort.objects.filter(pk__in={b.cohort_id for b in candidates})
        .with_seats_taken()
        .values_list("pk", "seats_taken")
    )
    guests = dict(
        approved_guests()
        .filter(bijeenkomst__in=candidates)
        .values("bijeenkomst")
        .annotate(n=Count("pk"))
        .values_list("bijeenkomst", "n")
    )
    options = []
    for bijeenkomst in candidates:
        bijeenkomst.cohort.seats_taken = taken[bijeenkomst.cohort_id]
        bijeenkomst.guest_seats = max(
            bijeenkomst.cohort.free_seats() - guests.get(bijeenkomst.pk, 0), 0
        )
        if bijeenkomst.guest_seats:
            options.append(bijeenkomst)
    return options


def _lock_host(bijeenkomst: Bijeenkomst) -> Cohort:
    from leergang.services import _lock_cohort

    return _lock_cohort(bijeenkomst.cohort_id)


def _approvers(host: Cohort) -> list[User]:
    """Who decides on a guest for ``host``: its trainers and the programme office."""
    return list(
        User.objects.filter(
            Q(cohorts_trained=host) | Q(role_rows__role=Role.BEHEERDER), is_active=True
        ).distinct()
    )


@transaction.atomic
def make_up_request(
    *, enrolment: Enrolment, missed: Bijeenkomst, bijeenkomst: Bijeenkomst
) -> MakeUpRequest:
    """The participant asks to make up ``missed`` at ``bijeenkomst``; the approvers are
    told. The same request sent again answers the first one."""
    host = _lock_host(bijeenkomst)
    bijeenkomst = Bijeenkomst.objects.select_related("cohort").get(pk=bijeenkomst.pk)
    bijeenkomst.cohort = host
    enrolment = Enrolment.objects.select_related("participant", "cohort").get(pk=enrolment.pk)
    same = MakeUpRequest.objects.filter(
        enrolment=enrolment, missed=missed, bijeenkomst=bijeenkomst, state__in=LIVE
    ).first()
    if same is not None:
        return same  # a replay: asked already
    problem = make_up_problem(enrolment, missed, bijeenkomst)
    if problem:
        raise ValidationError(problem, code="cannot_make_up")
    try:
        with transaction.atomic():
            request = MakeUpRequest.objects.create(
                enrolment=enrolment, missed=missed, bijeenkomst=bijeenkomst, state=State.REQUESTED
            )
    except IntegrityError:  # the same person for the same bijeenkomst, in parallel elsewhere
        raise ValidationError(
            _("You have already asked to make up this bijeenkomst."), code="cannot_make_up"
        ) from None
    for approver in _approvers(host):
        notify(approver, "make_up_requested", about=request)
    return request


def _locked_request(request: MakeUpRequest) -> tuple[MakeUpRequest, Cohort]:
    host = _lock_host(request.bijeenkomst)
    request = (
        MakeUpRequest.objects.select_for_update(of=("self",))
        .select_related("enrolment__participant", "enrolment__cohort", "missed", "bijeenkomst")
        .get(pk=request.pk)
    )
    request.bijeenkomst.cohort = host
    return request, host


def may_decide(user: User, request: MakeUpRequest) -> bool:
    """The programme office, or a trainer of the host cohort."""
    if user.is_beheerder:
        return True
    return (
        user.has_role(Role.TRAINER)
        and request.bijeenkomst.cohort.trainers.filter(pk=user.pk).exists()
    )


def _decided(request: MakeUpRequest, state: str, *, by: User, reason: str = "") -> None:
    request.state = state
    request.decided_by = by
    request.decided_at = timezone.now()
    request.reason = reason
    request.save(update_fields=["state", "decided_by", "decided_at", "reason"])


def _locked_for_decision(make_up: MakeUpRequest, *, by: User, decision: str):
    """The request locked for ``by`` to decide, and whether it has that decision already
    (a replay, which changes nothing). Refused: someone who may not decide, a request
    handled otherwise."""
    request, _host = _locked_request(make_up)
    if not may_decide(by, request):
        raise ValidationError(_("Only the programme office or a trainer of that cohort decides."))
    if request.state == decision:
        return request, True
    if request.state != State.REQUESTED:
        raise ValidationError(_("This request has already been handled."), code="handled")
    return request, False


@transaction.atomic
def make_up_approve(*, make_up: MakeUpRequest, by: User) -> MakeUpRequest:
    """Yes: the guest has a seat at the host bijeenkomst, and a mail with it for their
    calendar. Approving an approved request again changes nothing."""
    request, decided = _locked_for_decision(make_up, by=by, decision=State.APPROVED)
    if decided:
        return request
    problem = make_up_problem(
        request.enrolment, request.missed, request.bijeenkomst, exclude=request
    )
    if problem:
        raise ValidationError(problem, code="cannot_make_up")
    _decided(request, State.APPROVED, by=by)
    notify(request.enrolment.participant, "make_up_approved", about=request)
    return request


@transaction.atomic
def make_up_reject(*, make_up: MakeUpRequest, by: User, reason: str) -> MakeUpRequest:
    """No, and why: the participant is told."""
    request, decided = _locked_for_decision(make_up, by=by, decision=State.REJECTED)
    if decided:
        return request
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give a reason, so the participant knows why.")}, code="reason_required"
        )
    _decided(request, State.REJECTED, by=by, reason=reason.strip()[:1000])
    notify(request.enrolment.participant, "make_up_rejected", about=request)
    return request


def cancel_refusal(request: MakeUpRequest, *, now=None) -> str | None:
    """Why the participant cannot withdraw this request now, in Dutch; None when they can."""
    if request.state not in LIVE:
        return _("This request has already ended.")
    if request.bijeenkomst.is_held(now):
        return _("This bijeenkomst has already started.")
    return None


@transaction.atomic
def make_up_cancel(*, make_up: MakeUpRequest, by: User) -> MakeUpRequest:
    """The participant withdraws (before the host bijeenkomst starts): the seat is free."""
    request, _host = _locked_request(make_up)
    if request.state == State.CANCELLED:
        return request
    if request.enrolment.participant_id != by.pk:
        raise ValidationError(_("Only the participant can withdraw their request."))
    refusal = cancel_refusal(request)
    if refusal:
        raise ValidationError(refusal, code="cannot_cancel")
    was_approved = request.state == State.APPROVED
    _decided(request, State.CANCELLED, by=by)
    if was_approved:
        for trainer in request.bijeenkomst.cohort.trainers.filter(is_active=True):
            notify(trainer, "make_up_cancelled", about=request)
    return request


def host_cancelled(bijeenkomst: Bijeenkomst) -> int:
    """The office cancels a bijeenkomst people asked to make up at: their requests go with
    it, and each is told (besides the calendar's cancellation) to choose another. Called
    under the host cohort's lock, before the bijeenkomst is deleted."""
    when = date_format(timezone.localtime(bijeenkomst.starts_at), "j F Y H:i")
    requests = MakeUpRequest.objects.filter(bijeenkomst=bijeenkomst, state__in=LIVE)
    told = 0
    for request in requests.select_related("enrolment__participant", "missed"):
        notify(
            request.enrolment.participant,
            "make_up_host_cancelled",
            about=request.enrolment,
            context={
                "title": bijeenkomst.title,
                "host": bijeenkomst.cohort.name,
                "when": when,
                "missed": request.missed.title,
                "was_approved": request.state == State.APPROVED,
            },
        )
        told += 1
    return told


def guest_enrolments(bijeenkomst: Bijeenkomst):
    """The own enrolments of the guests approved for ``bijeenkomst`` (who still hold their
    seat): the host's attendance sheet lists them, marked as guests."""
    approved = approved_guests().filter(bijeenkomst=bijeenkomst, enrolment=OuterRef("pk"))
    return Enrolment.objects.holding_seat().filter(Exists(approved))


@access.register(MakeUpRequest)
class MakeUpRequestPolicy(access.Policy):
    """The participant their own requests; a trainer those for the cohorts they train (the
    host's); the programme office all of them."""

    verbs = frozenset({"decide", "cancel"})

    def visible(self, user, queryset):
        if user.is_beheerder:
            return queryset
        rules = Q(enrolment__participant=user)
        if user.has_role(Role.TRAINER):
            trains = Cohort.trainers.through.objects.filter(
                cohort_id=OuterRef("bijeenkomst__cohort_id"), user=user
            )
            rules |= Q(Exists(trains))
        return queryset.filter(rules)

    def allows(self, user, action, obj):
        if action == "decide":
            return may_decide(user, obj)
        if action == "cancel":
            return obj.enrolment.participant_id == user.pk
        return False


def make_ups_end(*, enrolment: Enrolment) -> int:
    """The enrolment was cancelled or moved: its live make-up requests end with it (the
    seats they held at the hosts are free at once, ``approved_guests`` holding only people
    with a seat; this says so on the lists too)."""
    return MakeUpRequest.objects.filter(enrolment=enrolment, state__in=LIVE).update(
        state=State.CANCELLED, decided_at=timezone.now()
    )
