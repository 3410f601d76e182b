"""The intervisie demo's history, told through the services at the moment it happened.

Each step runs ``backdated`` to its moment, so the services check it by the rules of that
day (a vote only while the poll is open, an excuse only before the session) and stamp it
with that date. Each story runs once, keyed on what it creates: a cohort's groups on the
cohort, a poll (and the session that came of it) on its group and title, a profile on its
person, a method on its name. A second run finds them and leaves them as they are.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone, translation

from intervisie import services
from intervisie.demo.content import (
    ADVICE_RETURNED,
    MISSED_AGREEMENTS,
    PERMIT_COMPLAINT,
    PROVINCE_PROJECT,
    QUICK_POLICY_MEMO,
    TRAINER_METHOD,
    WIND_EVENING,
    Case,
    Excused,
    Present,
)
from intervisie.models import Group, Method, Session, Vote
from leergang.demo import FINISHERS
from leergang.models import Cohort
from portal.demo import PARTICIPANT_EMAIL, at, backdated, workday
from portal.models import User

STADSKANTOOR = "Utrecht, Stadskantoor"
PROVINCIEHUIS = "Utrecht, Provinciehuis"
ONLINE = "Online"

Yes, Maybe, No = Vote.Answer.YES, Vote.Answer.MAYBE, Vote.Answer.NO


def cohort(slug: str, name: str) -> Cohort | None:
    """A cohort of the leergang demo, by its natural key."""
    return Cohort.objects.filter(leergang__slug=slug, name=name).first()


def groups(cohort: Cohort, trainer: User, split: list[list[str]], moment: datetime) -> list[Group]:
    """The trainer splits the cohort into groups (one list of e-mails each), once, mixing
    the Insights profiles the leergang demo filled in. The groups in the order of ``split``."""
    enrolments = {e.participant.email: e for e in cohort.enrolments.select_related("participant")}
    if not cohort.intervisie_groups.exists():
        # The demo trainer works in Dutch: her groups are called "Groep 1", "Groep 2".
        with backdated(moment), translation.override("nl"):
            services.groups_create(
                cohort=cohort,
                begeleider=trainer,
                split=[[enrolments[email].pk for email in emails] for emails in split],
            )
    return [enrolments[emails[0]].intervisie_membership.group for emails in split]


def method(name: str, summary: str, steps: str, *, by: User | None = None) -> Method:
    """A method by its name, added once: by the trainer, or a standard one (the migration
    adds those, but ``demo --reset`` flushes them)."""
    existing = Method.objects.filter(name=name).first()
    return existing or services.method_create(name=name, summary=summary, steps=steps, by=by)


def slot_days(base: date, offsets: list[int]) -> list[date]:
    """Distinct workdays at about ``base + offset``, in order."""
    days: list[date] = []
    for offset in offsets:
        day = workday(base + timedelta(days=offset))
        if days and day <= days[-1]:
            day = workday(days[-1] + timedelta(days=1))
        days.append(day)
    return days


def _answers(count: int, slots: int, pick: int) -> list[list[str]]:
    """Answers of ``count`` members to a poll whose slot ``pick`` suits the group best."""
    pattern = [No, Maybe, Yes, No]
    return [
        [
            (Maybe if member % 4 == 3 else Yes) if slot == pick else pattern[(member + slot) % 4]
            for slot in range(slots)
        ]
        for member in range(count)
    ]


def poll(
    group: Group,
    title: str,
    *,
    opened: datetime,
    closes: datetime,
    days: list[date],
    where: list[str],
    votes: dict[str, list[str]] | None = None,
    pick: int | None = None,
    case: Case | None = None,
    method: Method | None = None,
) -> None:
    """A date poll from start to end, once. The trainer opens it with an afternoon on each of
    ``days`` and the members answer (without ``votes`` all of them, slot ``pick`` suiting
    most). With ``pick`` the trainer plans that slot on the closing day: a session with
    ``method`` ahead, or with a ``case`` held."""
    if group.polls.filter(title=title).exists():
        return
    trainer = group.begeleider
    with backdated(opened):
        created = services.poll_create(
            group=group,
            by=trainer,
            title=title,
            closes_at=closes,
            slots=[
                {
                    "starts_at": at(day, 13, 30),
                    "ends_at": at(day, 16, 0),
                    "location": place,
                    "online_url": (
                        f"https://meet.example.org/intervisie-{group.pk}-{day:%Y%m%d}"
                        if place == ONLINE
                        else ""
                    ),
                }
                for day, place in zip(days, where, strict=True)
            ],
        )
    slots = list(created.slots.all())
    members = {
        m.enrolment.participant.email: m.enrolment.participant
        for m in group.memberships.select_related("enrolment__participant").order_by("enrolment_id")
    }
    if votes is None:
        votes = dict(zip(members, _answers(len(members), len(slots), pick or 0), strict=True))
    picked = closes - timedelta(hours=8)
    last_answer = min(closes if pick is None else picked, timezone.now()) - timedelta(minutes=10)
    for turn, (email, answers) in enumerate(votes.items()):
        with backdated(min(opened + timedelta(hours=1 + 2 * turn), last_answer)):
            services.vote_cast(
                poll=created,
                voter=members[email],
                answers={slot.pk: answer for slot, answer in zip(slots, answers, strict=True)},
            )
    if pick is None:
        return
    with backdated(picked):
        session = services.poll_pick(poll=created, slot=slots[pick], by=trainer)
    if case is None:
        with backdated(picked + timedelta(hours=2)):
            services.session_prepare(
                session=session, method=method, case_bringer=None, case_title="", case_text=""
            )
    else:
        _held(session, case, members, picked=picked)


def _held(session: Session, case: Case, members: dict[str, User], *, picked: datetime) -> None:
    """The day after the pick the case bringer volunteers and the trainer chooses the method;
    absent members excuse themselves before, and after the session the trainer records it."""
    with backdated(picked + timedelta(days=1)):
        session = services.session_volunteer(
            session=session,
            member=members[case.bringer],
            case_title=case.title,
            case_text=case.text,
        )
    with backdated(picked + timedelta(days=1, hours=2)):
        services.session_prepare(
            session=session,
            method=Method.objects.get(name=case.method),
            case_bringer=session.case_bringer,
            case_title=session.case_title,
            case_text=session.case_text,
        )
    with backdated(session.starts_at - timedelta(days=2, hours=3)):
        for email, (status, reason) in case.attendance.items():
            if status == Excused:
                services.session_excuse(session=session, member=members[email], reason=reason)
    with backdated(session.ends_at + timedelta(minutes=25)):
        services.session_record(
            session=session,
            attendance={
                member.pk: case.attendance.get(email, (Present, ""))
                for email, member in members.items()
            },
            notes=case.notes,
            agreements=case.agreements,
        )


def running_cohort(cohort: Cohort, trainer: User) -> None:
    """Five weeks in: Groep 1 met twice and plans its third; Groep 2 met once."""
    today = timezone.localdate()

    def day(offset: int) -> date:
        return workday(today + timedelta(days=offset))

    # Every member of a group from another organisation (Groep 1: one of each).
    groep_1, groep_2 = groups(
        cohort,
        trainer,
        [
            [
                PARTICIPANT_EMAIL,
                "thijs.verhoeven@nijmegen.example",
                "jasper.vandenberg@provincie-utrecht.example",
                "bram.hoekstra@rivierenland.example",
                "priya.ramdin@odru.example",
            ],
            [
                "noor.hendriks@utrecht.example",
                "anouk.peters@nijmegen.example",
                "merel.dekker@provincie-utrecht.example",
                "kees.brouwer@odru.example",
            ],
        ],
        at(day(-34), 10, 0),
    )
    poll(
        groep_1,
        "Eerste intervisie",
        opened=at(day(-34), 10, 5),
        closes=at(day(-30), 17, 0),
        days=slot_days(today, [-26, -25, -23]),
        where=[STADSKANTOOR] * 3,
        pick=0,
        case=PERMIT_COMPLAINT,
    )
    poll(
        groep_1,
        "Tweede intervisie",
        opened=at(day(-22), 9, 30),
        closes=at(day(-17), 17, 0),
        days=slot_days(today, [-13, -12, -10]),
        where=[STADSKANTOOR, ONLINE, STADSKANTOOR],
        pick=1,
        case=MISSED_AGREEMENTS,
    )
    with backdated(at(day(-12), 15, 40)):
        own_method = method(*TRAINER_METHOD, by=trainer)
    # Planned in about two weeks with the trainer's own method; nobody brings a case yet,
    # so a member can volunteer.
    poll(
        groep_1,
        "Derde intervisie",
        opened=at(day(-10), 11, 0),
        closes=at(day(-6), 17, 0),
        days=slot_days(today, [13, 14, 16]),
        where=[STADSKANTOOR] * 3,
        pick=1,
        method=own_method,
    )
    # Open: three members answered, Priya and the demo participant not yet.
    poll(
        groep_1,
        "Volgende intervisie",
        opened=at(today - timedelta(days=1), 16, 10),
        closes=at(day(5), 17, 0),
        days=slot_days(today, [35, 37, 42]),
        where=[STADSKANTOOR, STADSKANTOOR, ONLINE],
        votes={
            "thijs.verhoeven@nijmegen.example": [Yes, Maybe, No],
            "jasper.vandenberg@provincie-utrecht.example": [Yes, Yes, Maybe],
            "bram.hoekstra@rivierenland.example": [No, Yes, Yes],
        },
    )
    poll(
        groep_2,
        "Eerste intervisie",
        opened=at(day(-30), 9, 45),
        closes=at(day(-24), 17, 0),
        days=slot_days(today, [-19, -18, -16]),
        where=[PROVINCIEHUIS] * 3,
        pick=2,
        case=PROVINCE_PROJECT,
    )
    poll(
        groep_2,
        "Volgende intervisie",
        opened=at(today - timedelta(days=2), 14, 20),
        closes=at(day(4), 17, 0),
        days=slot_days(today, [19, 21, 26]),
        where=[PROVINCIEHUIS, ONLINE, PROVINCIEHUIS],
        votes={
            "noor.hendriks@utrecht.example": [Yes, No, Yes],
            "merel.dekker@provincie-utrecht.example": [Maybe, Yes, Yes],
        },
    )


def finished_cohort(cohort: Cohort, trainer: User) -> None:
    """One group of the six who finished, that met three times between the bijeenkomsten."""
    start = cohort.starts_on

    def day(offset: int) -> date:
        return workday(start + timedelta(days=offset))

    (group,) = groups(
        cohort,
        trainer,
        [FINISHERS],
        at(day(3), 9, 0),
    )
    for title, opened, closes, offsets, pick, case in [
        ("Eerste intervisie", 4, 10, [17, 19, 22], 0, QUICK_POLICY_MEMO),
        ("Tweede intervisie", 38, 45, [52, 53, 56], 1, WIND_EVENING),
        ("Derde intervisie", 73, 80, [87, 88, 91], 0, ADVICE_RETURNED),
    ]:
        poll(
            group,
            title,
            opened=at(day(opened), 10, 0),
            closes=at(day(closes), 17, 0),
            days=slot_days(start, offsets),
            where=[STADSKANTOOR] * 3,
            pick=pick,
            case=case,
        )
