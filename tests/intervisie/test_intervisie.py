from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from intervisie import services
from intervisie.models import Group, Poll, Session, SessionAttendance, Slot, Vote
from intervisie.selectors import group_members
from portal.models import CalendarFeed, Role
from tests.concurrency import run_in_parallel
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    PollFactory,
    UserFactory,
)
from tests.helpers import page_query_count

YES, MAYBE, NO = Vote.Answer.values


def _slots(group, count=3, closes=timedelta(days=5)):
    closes_at = timezone.now() + closes
    return closes_at, [
        {
            "starts_at": closes_at + timedelta(days=2 + i),
            "ends_at": closes_at + timedelta(days=2 + i, hours=2),
            "location": "Stadskantoor",
            "online_url": "",
        }
        for i in range(count)
    ]


@pytest.mark.django_db
def test_poll_lifecycle_from_proposal_to_invitation(
    group, trainer, participant, django_capture_on_commit_callbacks
):
    closes_at, slots = _slots(group)
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.poll_create(
            group=group, by=trainer, title="Volgende", closes_at=closes_at, slots=slots
        )
    assert len(mail.outbox) == 4  # every member is asked
    first, second, third = poll.slots.all()
    services.vote_cast(
        poll=poll, voter=participant, answers={first.pk: NO, second.pk: YES, third.pk: MAYBE}
    )
    services.vote_cast(poll=poll, voter=participant, answers={first.pk: YES})  # changed mind
    assert Vote.objects.get(slot=first, voter=participant).answer == YES
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = services.poll_pick(poll=poll, slot=second, by=trainer)
    poll.refresh_from_db()
    assert poll.closed_at and poll.chosen_slot == second
    assert (session.starts_at, session.location) == (second.starts_at, "Stadskantoor")
    invited = sorted(m.to[0] for m in mail.outbox)
    begeleider = poll.group.begeleider.email
    assert invited == sorted([*(m.email for m in group_members(poll.group)), begeleider])
    (attachment,) = mail.outbox[0].attachments
    event = Calendar.from_ical(attachment[1]).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == second.starts_at.replace(microsecond=0)
    assert str(event["UID"]) == f"intervisie-{session.pk}@leerportaal"


@pytest.mark.django_db
def test_closed_poll_refuses_votes_picks_and_a_second_close(group, trainer, participant):
    poll = PollFactory(group=group)
    slot = poll.slots.first()
    services.poll_close(poll=poll)
    with pytest.raises(ValidationError, match="gesloten"):
        services.poll_close(poll=poll)
    with pytest.raises(ValidationError, match="gesloten"):
        services.vote_cast(poll=poll, voter=participant, answers={slot.pk: YES})
    with pytest.raises(ValidationError, match="gesloten"):
        services.poll_pick(poll=poll, slot=slot, by=trainer)
    assert not Vote.objects.exists() and not Session.objects.exists()


@pytest.mark.django_db
def test_picking_a_slot_of_another_poll_changes_nothing(group, trainer):
    poll = PollFactory(group=group)
    other = PollFactory(group=GroupFactory(cohort=group.cohort, begeleider=trainer))
    with pytest.raises(ValidationError, match="andere peiling"):
        services.poll_pick(poll=poll, slot=other.slots.first(), by=trainer)
    poll.refresh_from_db()
    assert poll.closed_at is None and not Session.objects.exists()


@pytest.mark.django_db
def test_a_poll_past_its_closing_time_takes_no_answers(group, participant):
    poll = PollFactory(group=group)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.vote_cast(poll=poll, voter=participant, answers={poll.slots.first().pk: YES})


@pytest.mark.django_db
def test_poll_proposals_with_bad_dates_are_refused(group, trainer):
    closes_at, slots = _slots(group)
    with pytest.raises(ValidationError):
        services.poll_create(
            group=group,
            by=trainer,
            title="x",
            closes_at=timezone.now() - timedelta(hours=1),
            slots=slots,
        )
    early = [{**slots[0], "starts_at": closes_at - timedelta(days=1)}, slots[1]]
    with pytest.raises(ValidationError):
        services.poll_create(group=group, by=trainer, title="x", closes_at=closes_at, slots=early)
    assert not Poll.objects.exists()


@pytest.mark.django_db
def test_poll_form_rejects_a_slot_that_ends_before_it_starts(client, group, trainer):
    client.force_login(trainer)
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("intervisie:poll-create", args=[group.pk]),
        {
            "title": "Volgende",
            "closes_at": closes,
            "slots-TOTAL_FORMS": "3",
            "slots-INITIAL_FORMS": "0",
            "slots-0-date": day,
            "slots-0-start": "16:00",
            "slots-0-end": "14:00",
        },
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Poll.objects.exists()


@pytest.mark.django_db
def test_matrix_totals_and_best_slot(client, group, trainer):
    poll = PollFactory(group=group)
    slots = list(poll.slots.all())
    members = [m.enrolment.participant for m in group.memberships.all()]
    for member, answers in zip(
        members, [(YES, NO, MAYBE), (YES, YES, NO), (NO, YES, NO), (MAYBE, YES, NO)], strict=True
    ):
        services.vote_cast(
            poll=poll, voter=member, answers={s.pk: a for s, a in zip(slots, answers, strict=True)}
        )
    from intervisie.selectors import poll_matrix

    matrix = poll_matrix(poll)
    assert [t["yes"] for t in matrix.totals] == [2, 3, 0]
    assert matrix.best == slots[1]
    client.force_login(trainer)
    page = client.get(reverse("intervisie:poll-manage", args=[poll.pk])).content.decode()
    assert "3 ja" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_of_all_members_are_all_kept():
    cohort = CohortFactory()
    group = GroupFactory(cohort=cohort, member_count=8)
    poll = PollFactory(group=group)
    slots = list(poll.slots.all())
    voters = iter([m.enrolment.participant for m in group.memberships.all()])

    def vote():
        return services.vote_cast(poll=poll, voter=next(voters), answers={s.pk: YES for s in slots})

    results = run_in_parallel(vote, 8)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.filter(slot__poll=poll).count() == 8 * len(slots)


@pytest.mark.django_db(transaction=True)
def test_a_pick_racing_votes_loses_no_answer():
    """Each vote is either stored before the close, or refused with a message: never lost."""
    group = GroupFactory(member_count=7)
    poll = PollFactory(group=group)
    slot = poll.slots.first()
    voters = iter([m.enrolment.participant for m in group.memberships.all()])
    begeleider = group.begeleider

    turns = iter(range(8))

    def act():
        if next(turns) == 3:
            return services.poll_pick(poll=poll, slot=slot, by=begeleider)
        return services.vote_cast(poll=poll, voter=next(voters), answers={slot.pk: YES})

    results = run_in_parallel(act, 8)
    sessions = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    stored = Vote.objects.filter(slot__poll=poll).count()
    assert len(sessions) == 1
    assert stored + len(refused) == 7  # every vote accounted for
    assert all(isinstance(r, (Session, list, ValidationError)) for r in results), results


@pytest.mark.django_db
def test_session_feed_and_calendar(group, participant):
    session = IntervisieSessionFactory(group=group)
    feed = CalendarFeed.objects.create(user=participant)
    from django.test import Client

    response = Client().get(reverse("portal:calendar-feed", args=[feed.token]))
    uids = [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert f"intervisie-{session.pk}@leerportaal" in uids


@pytest.mark.django_db
def test_volunteer_and_case_turns(client, group, participant, trainer):
    session = IntervisieSessionFactory(group=group)
    client.force_login(participant)
    response = client.post(
        reverse("intervisie:session-volunteer", args=[session.pk]),
        {"case_title": "Boze bewoner", "case_text": "Wat er gebeurde..."},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.case_bringer == participant
    other = group.memberships.exclude(enrolment__participant=participant).first()
    with pytest.raises(ValidationError, match="al een casus"):
        services.session_volunteer(
            session=session, member=other.enrolment.participant, case_title="x", case_text="y"
        )
    client.force_login(trainer)
    page = client.get(reverse("intervisie:group-manage", args=[group.pk])).content.decode()
    assert "1 casus" in page


@pytest.mark.django_db
def test_record_attendance_notes_and_agreements(client, group, trainer, participant):
    session = IntervisieSessionFactory(group=group, starts_at=timezone.now() - timedelta(hours=3))
    members = [m.enrolment.participant for m in group.memberships.all()]
    data = {f"status_{m.pk}": "present" for m in members}
    data |= {"notes": "Goed gesprek", "agreements": "Iedereen belt de bewoner terug."}
    client.force_login(trainer)
    assert (
        client.post(reverse("intervisie:session-record", args=[session.pk]), data).status_code
        == 302
    )
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert SessionAttendance.objects.filter(session=session, status="present").count() == 4
    client.force_login(participant)
    page = client.get(reverse("intervisie:session-detail", args=[session.pk])).content.decode()
    assert "Iedereen belt de bewoner terug." in page


@pytest.mark.django_db
def test_excuse_in_advance_tells_the_begeleider(
    client, group, participant, django_capture_on_commit_callbacks
):
    session = IntervisieSessionFactory(group=group)
    client.force_login(participant)
    url = reverse("intervisie:session-excuse", args=[session.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Raadsvergadering"}).status_code == 302
    assert SessionAttendance.objects.get().status == "excused"
    assert mail.outbox[0].to == [group.begeleider.email]


@pytest.fixture
def confidential(group, trainer):
    session = IntervisieSessionFactory(
        group=group,
        case_title="Geheim",
        case_text="Vertrouwelijk",
        notes="Notities",
        agreements="Afspraken",
    )
    cotrainer = UserFactory(organisation=trainer.organisation, roles=[Role.TRAINER])
    group.cohort.trainers.add(cotrainer)
    classmate = EnrolmentFactory(cohort=group.cohort).participant
    return session, {"cotrainer": cotrainer, "classmate": classmate}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["cotrainer", "classmate", "coach", "hr", "beheerder", "outsider"])
def test_intervisie_content_stays_in_the_group(client, request, confidential, who):
    session, extra = confidential
    person = extra.get(who) or request.getfixturevalue(who)
    client.force_login(person)
    poll = PollFactory(group=session.group)
    for name, args in [
        ("intervisie:session-detail", [session.pk]),
        ("intervisie:poll-vote", [poll.pk]),
        ("intervisie:group-manage", [session.group.pk]),
        ("intervisie:poll-manage", [poll.pk]),
        ("intervisie:session-prepare", [session.pk]),
        ("intervisie:session-record", [session.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code in {403, 404}, (name, who, response.status_code)
        assert b"Vertrouwelijk" not in response.content
    for name in ["intervisie:my-groups", "portal:home", "portal:profile-export"]:
        response = client.get(reverse(name))
        assert b"Vertrouwelijk" not in response.content and b"Afspraken" not in response.content


@pytest.mark.django_db
def test_the_admin_shows_no_intervisie_content():
    for model in (Group, Session, Poll, Slot, Vote, SessionAttendance):
        assert not admin.site.is_registered(model)


@pytest.mark.django_db
def test_pages_keep_their_query_counts_as_groups_and_sessions_grow(client, trainer, participant):
    def grow(cohort, groups, sessions):
        for _ in range(groups):
            g = GroupFactory(cohort=cohort, begeleider=trainer, member_count=4)
            PollFactory(group=g)
            for _ in range(sessions):
                IntervisieSessionFactory(group=g)

    cohort = CohortFactory(trainers=[trainer])
    mine = GroupFactory(
        cohort=cohort,
        begeleider=trainer,
        members=[EnrolmentFactory(cohort=cohort, participant=participant)],
    )
    PollFactory(group=mine)
    IntervisieSessionFactory(group=mine)
    grow(cohort, 1, 1)

    def counts():
        result = {}
        for user, name, args in [
            (participant, "intervisie:my-groups", []),
            (trainer, "intervisie:trainer-overview", []),
            (trainer, "intervisie:cohort-groups", [cohort.pk]),
            (trainer, "intervisie:group-manage", [mine.pk]),
        ]:
            result[name] = page_query_count(client, reverse(name, args=args), user)
        return result

    few = counts()
    grow(cohort, 9, 1)
    for _ in range(9):
        IntervisieSessionFactory(group=mine)
    assert counts() == few
