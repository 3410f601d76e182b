"""Every write of the intervisie app: groups, date polls, sessions, attendance.

A poll's row is locked while a vote, a pick or a close runs, so a vote either
lands before the poll closes (and is counted) or is refused with a message:
an answer is never silently lost.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intervisie.grouping import Candidate, suggest_groups
from intervisie.models import (
    MAX_GROUP_SIZE,
    MAX_POLL_SLOTS,
    MIN_POLL_SLOTS,
    Group,
    Membership,
    Method,
    Poll,
    Session,
    SessionAttendance,
    Slot,
    Vote,
)
from intervisie.selectors import group_members
from leergang.models import SEAT_STATES, Cohort, Enrolment, InsightsProfile
from portal.models import User
from portal.notifications import notify


def cohort_candidates(cohort: Cohort) -> list[Candidate]:
    """The cohort's participants with a seat, as input for the group suggestion."""
    enrolments = list(cohort.enrolments.filter(state__in=SEAT_STATES).select_related("participant"))
    profiles = {
        p.participant_id: p.colours
        for p in InsightsProfile.objects.filter(
            participant__in=[e.participant_id for e in enrolments]
        )
    }
    return [
        Candidate(
            key=e.pk,
            organisation=e.participant.organisation_id,
            colours=profiles.get(e.participant_id),
        )
        for e in enrolments
    ]


def groups_suggest(*, cohort: Cohort, size: int) -> list[list[Enrolment]]:
    """A proposed split of the cohort; nothing is saved."""
    candidates = cohort_candidates(cohort)
    try:
        proposal = suggest_groups(candidates, size)
    except ValueError:
        raise ValidationError(
            _("This cohort has too few participants for intervisie groups of 4 to 8."),
            code="too_few",
        ) from None
    enrolments = {e.pk: e for e in cohort.enrolments.select_related("participant__organisation")}
    return [[enrolments[c.key] for c in group] for group in proposal]


@transaction.atomic
def groups_create(*, cohort: Cohort, begeleider: User, split: list[list[int]]) -> list[Group]:
    """Save a split (lists of enrolment ids) as new groups led by ``begeleider``."""
    if not split or not all(split):
        raise ValidationError(_("Every group needs members."), code="empty")
    Cohort.objects.select_for_update().get(pk=cohort.pk)
    eligible = set(cohort.enrolments.filter(state__in=SEAT_STATES).values_list("pk", flat=True))
    placed = set(
        Membership.objects.filter(enrolment__cohort=cohort).values_list("enrolment_id", flat=True)
    )
    ids = [pk for group in split for pk in group]
    if len(ids) != len(set(ids)) or not set(ids) <= eligible:
        raise ValidationError(
            _("Every member must be a participant of this cohort, once."), code="members"
        )
    if set(ids) & placed:
        raise ValidationError(_("Some participants are already in a group."), code="placed")
    existing = cohort.intervisie_groups.count()
    groups = []
    for number, members in enumerate(split, start=existing + 1):
        group = Group.objects.create(
            cohort=cohort, begeleider=begeleider, name=_("Group %(number)s") % {"number": number}
        )
        Membership.objects.bulk_create(Membership(group=group, enrolment_id=pk) for pk in members)
        groups.append(group)
    return groups


@transaction.atomic
def membership_move(*, membership: Membership, to_group: Group) -> Membership:
    """Move a member to another group of the same cohort."""
    Group.objects.select_for_update().filter(pk__in=[membership.group_id, to_group.pk])
    if to_group.cohort_id != membership.group.cohort_id:
        raise ValidationError(
            _("Members can only move between groups of the same cohort."), code="cohort"
        )
    if to_group.memberships.count() >= MAX_GROUP_SIZE:
        raise ValidationError(
            _("That group already has %(max)s members.") % {"max": MAX_GROUP_SIZE}, code="full"
        )
    membership.group = to_group
    membership.save(update_fields=["group"])
    return membership


@transaction.atomic
def membership_add(*, group: Group, enrolment: Enrolment) -> Membership:
    if enrolment.cohort_id != group.cohort_id or enrolment.state not in SEAT_STATES:
        raise ValidationError(
            _("Only participants of this cohort can join its groups."), code="cohort"
        )
    if group.memberships.count() >= MAX_GROUP_SIZE:
        raise ValidationError(
            _("That group already has %(max)s members.") % {"max": MAX_GROUP_SIZE}, code="full"
        )
    try:
        with transaction.atomic():
            return Membership.objects.create(group=group, enrolment=enrolment)
    except IntegrityError:
        raise ValidationError(_("This participant is already in a group."), code="placed") from None


@transaction.atomic
def poll_create(*, group: Group, by: User, title: str, closes_at, slots: list[dict]) -> Poll:
    """Propose candidate slots; every member is asked to answer."""
    if closes_at <= timezone.now():
        raise ValidationError(_("The closing moment must be in the future."), code="closes")
    if not MIN_POLL_SLOTS <= len(slots) <= MAX_POLL_SLOTS:
        raise ValidationError(
            _("Propose %(min)s to %(max)s slots.") % {"min": MIN_POLL_SLOTS, "max": MAX_POLL_SLOTS},
            code="slots",
        )
    for slot in slots:
        if slot["ends_at"] <= slot["starts_at"]:
            raise ValidationError(_("A slot ends before it starts."), code="slot_order")
        if slot["starts_at"] <= closes_at:
            raise ValidationError(
                _("Every slot must start after the poll closes."), code="slot_before_close"
            )
    poll = Poll.objects.create(group=group, title=title, closes_at=closes_at, created_by=by)
    Slot.objects.bulk_create(Slot(poll=poll, **slot) for slot in slots)
    for member in group_members(group):
        notify(member, "intervisie_poll_opened", about=poll)
    return poll


def _locked_open_poll(poll: Poll) -> Poll:
    poll = Poll.objects.select_for_update().select_related("group").get(pk=poll.pk)
    if poll.closed_at is not None:
        raise ValidationError(
            _("This poll is closed; answers can no longer change."), code="closed"
        )
    if poll.closes_at <= timezone.now():
        raise ValidationError(_("The time to answer this poll has passed."), code="closed")
    return poll


@transaction.atomic
def vote_cast(*, poll: Poll, voter: User, answers: dict[int, str]) -> list[Vote]:
    """Save a member's answers ({slot id: yes/maybe/no}); they can change until the close."""
    poll = _locked_open_poll(poll)
    slot_ids = set(poll.slots.values_list("pk", flat=True))
    if not set(answers) <= slot_ids:
        raise ValidationError(_("Answer only the slots of this poll."), code="slots")
    if not set(answers.values()) <= set(Vote.Answer.values):
        raise ValidationError(_("Answer yes, if need be or no."), code="answer")
    votes = []
    for slot_id, answer in answers.items():
        vote, _created = Vote.objects.update_or_create(
            slot_id=slot_id, voter=voter, defaults={"answer": answer}
        )
        votes.append(vote)
    return votes


@transaction.atomic
def poll_pick(*, poll: Poll, slot: Slot, by: User) -> Session:
    """The trainer picks a slot: the poll closes and the slot becomes a session."""
    poll = _locked_open_poll(poll)
    if slot.poll_id != poll.pk:
        raise ValidationError(_("This slot belongs to another poll."), code="slot")
    now = timezone.now()
    poll.closed_at = now
    poll.chosen_slot = slot
    poll.save(update_fields=["closed_at", "chosen_slot"])
    session = Session.objects.create(
        group=poll.group,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        location=slot.location,
        online_url=slot.online_url,
        from_poll=poll,
    )  # the members and the begeleider get the invitation (portal.appointments)
    return session


@transaction.atomic
def poll_close(*, poll: Poll) -> Poll:
    """Close without picking (no slot suits); members are not asked any longer."""
    poll = _locked_open_poll(poll)
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    return poll


@transaction.atomic
def session_prepare(
    *,
    session: Session,
    method: Method | None,
    case_bringer: User | None,
    case_title: str,
    case_text: str,
) -> Session:
    """The begeleider sets the method and who brings a case."""
    if case_bringer and not group_members(session.group).filter(pk=case_bringer.pk).exists():
        raise ValidationError(
            _("The case bringer must be a member of the group."), code="case_bringer"
        )
    session.method = method
    session.case_bringer = case_bringer
    session.case_title = case_title.strip()
    session.case_text = case_text.strip()
    session.save(update_fields=["method", "case_bringer", "case_title", "case_text"])
    return session


@transaction.atomic
def session_volunteer(
    *, session: Session, member: User, case_title: str, case_text: str
) -> Session:
    """A member offers to bring a case, when nobody does yet."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.case_bringer_id not in (None, member.pk):
        raise ValidationError(
            _("Someone else already brings a case for this session."), code="taken"
        )
    if session.has_started:
        raise ValidationError(_("This session has already started."), code="started")
    session.case_bringer = member
    session.case_title = case_title.strip()
    session.case_text = case_text.strip()
    session.save(update_fields=["case_bringer", "case_title", "case_text"])
    return session


@transaction.atomic
def session_record(
    *, session: Session, attendance: dict[int, tuple[str, str]], notes: str, agreements: str
) -> Session:
    """After the session: who was there, the notes and the agreements (the group's only)."""
    members = set(group_members(session.group).values_list("pk", flat=True))
    if not set(attendance) <= members:
        raise ValidationError(
            _("Attendance can only be recorded for members of the group."), code="not_member"
        )
    for participant_id, (status, reason) in attendance.items():
        SessionAttendance.objects.update_or_create(
            session=session,
            participant_id=participant_id,
            defaults={
                "status": status,
                "reason": reason.strip()[:500],
                "recorded_at": timezone.now(),
            },
        )
    session.notes = notes.strip()
    session.agreements = agreements.strip()
    if session.has_started:
        session.status = Session.Status.HELD
    session.save(update_fields=["notes", "agreements", "status"])
    return session


@transaction.atomic
def session_excuse(*, session: Session, member: User, reason: str) -> SessionAttendance:
    if session.has_started:
        raise ValidationError(
            _("This session has already started; you can no longer report absence."), code="started"
        )
    if not reason.strip():
        raise ValidationError(_("Give a reason for your absence."), code="reason_required")
    attendance, _created = SessionAttendance.objects.update_or_create(
        session=session,
        participant=member,
        defaults={"status": SessionAttendance.Status.EXCUSED, "reason": reason.strip()[:500]},
    )
    notify(session.group.begeleider, "intervisie_absence", about=attendance)
    return attendance


def method_create(*, name: str, summary: str, steps: str, by: User) -> Method:
    """A new method trainers can choose for a session; the name is unique."""
    return Method.objects.create(name=name, summary=summary, steps=steps, created_by=by)
