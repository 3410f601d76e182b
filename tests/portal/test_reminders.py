"""Reminders: found by a scan from the data, each written once, quiet at night, following a
moved appointment and dropped for a cancelled one; what is not essential can be turned off."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from coaching.models import CoachingSession
from intervisie import services as intervisie_services
from leergang.models import Bijeenkomst, Reflection
from portal import reminders
from portal.models import Notification, ReminderOptOut
from portal.notifications import notification_send, notification_sweep
from tests.factories import (
    BijeenkomstFactory,
    CoachingSessionFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    PollFactory,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Tuesday morning, in working hours.
MORNING = datetime(2027, 3, 9, 10, 0, tzinfo=AMSTERDAM)


def _rows(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def _send_all():
    for pk in Notification.objects.filter(status=Notification.Status.QUEUED).values_list(
        "pk", flat=True
    ):
        notification_send(notification_id=pk)


def _scan(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.reminders_scan(now=moment)


@pytest.fixture
def bijeenkomst_in_two_days(trainer):
    """A bijeenkomst 47 hours after MORNING, a participant with a seat and the trainer."""
    with time_machine.travel(MORNING - timedelta(days=30), tick=False):
        cohort = CohortFactory(trainers=[trainer])
        enrolment = EnrolmentFactory(cohort=cohort)
        starts = MORNING + timedelta(hours=47)
        bijeenkomst = BijeenkomstFactory(
            cohort=cohort, starts_at=starts, ends_at=starts + timedelta(hours=3)
        )
    Notification.objects.all().delete()  # the invitations when it was planned
    return bijeenkomst, enrolment.participant


def test_two_days_before_with_the_calendar_file_and_two_hours_before_each_once(
    bijeenkomst_in_two_days, trainer
):
    bijeenkomst, participant = bijeenkomst_in_two_days
    result = _scan(MORNING)
    assert result.per_kind[reminders_kind()] == 2  # the participant and the trainer
    assert _scan(MORNING + timedelta(minutes=3)).per_kind[reminders_kind()] == 0
    with time_machine.travel(MORNING, tick=False):
        _send_all()
    (first,) = [m for m in mail.outbox if m.to == [participant.email]]
    assert first.subject.startswith("Herinnering: ")
    assert "Ter herinnering" in first.body and "Utrecht, Stadskantoor" in first.body
    calendar = Calendar.from_ical(first.attachments[0][1])
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"bijeenkomst-{bijeenkomst.pk}@leerportaal"

    mail.outbox.clear()
    two_hours_before = bijeenkomst.starts_at - timedelta(hours=1, minutes=50)
    assert _scan(two_hours_before).per_kind[reminders_kind()] == 2
    with time_machine.travel(two_hours_before, tick=False):
        _send_all()
    (soon,) = [m for m in mail.outbox if m.to == [participant.email]]
    assert "Straks" in soon.body and "vandaag van 09:00" in soon.body
    assert not soon.attachments
    # Ten more scans change nothing.
    for minutes in range(10):
        _scan(two_hours_before + timedelta(minutes=minutes))
    assert _rows(reminders_kind()).count() == 4


def reminders_kind():
    from portal.appointments import REMINDER

    return REMINDER


def test_a_moved_appointments_reminder_follows_it_and_the_old_one_never_goes(
    bijeenkomst_in_two_days,
):
    bijeenkomst, participant = bijeenkomst_in_two_days
    _scan(MORNING)  # written, not yet sent (the worker is away)
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        moved = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
        moved.starts_at += timedelta(days=7)
        moved.ends_at += timedelta(days=7)
        moved.save()
        mail.outbox.clear()
        _send_all()
    # The change itself goes; the reminder for the old time is dropped.
    assert [m.subject.split(":")[0] for m in mail.outbox if m.to == [participant.email]] == [
        "Gewijzigd"
    ]
    old = _rows(reminders_kind(), recipient=participant).get()
    assert old.status == Notification.Status.DROPPED
    # At the new time, two days before, it is reminded again.
    assert _scan(moved.starts_at - timedelta(hours=40)).per_kind[reminders_kind()] == 2


def test_a_cancelled_sessions_reminders_are_dropped_and_no_new_ones_written():
    with time_machine.travel(MORNING - timedelta(days=3), tick=False):
        session = CoachingSessionFactory(
            starts_at=MORNING + timedelta(hours=30), ends_at=MORNING + timedelta(hours=31)
        )
    Notification.objects.all().delete()
    _scan(MORNING)
    assert _rows(reminders_kind()).count() == 2  # participant and coach
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        CoachingSession.objects.filter(pk=session.pk).update(status="cancelled")
        _send_all()
    assert set(_rows(reminders_kind()).values_list("status", flat=True)) == {"dropped"}
    assert _scan(MORNING + timedelta(hours=29)).per_kind[reminders_kind()] == 0


def test_no_reminder_goes_at_night_it_waits_for_the_morning(bijeenkomst_in_two_days):
    bijeenkomst, _ = bijeenkomst_in_two_days
    night = datetime(2027, 3, 9, 23, 30, tzinfo=AMSTERDAM)
    early = datetime(2027, 3, 10, 6, 59, tzinfo=AMSTERDAM)
    seven = datetime(2027, 3, 10, 7, 0, tzinfo=AMSTERDAM)
    assert _scan(night).quiet and _scan(early).quiet
    assert not Notification.objects.exists()
    assert _scan(seven).written == 2
    # One that was queued in the evening and whose send came at night waits too.
    with time_machine.travel(night, tick=False):
        _send_all()
        assert notification_sweep() == 0
    assert set(_rows(reminders_kind()).values_list("status", flat=True)) == {"queued"}
    with time_machine.travel(seven + timedelta(minutes=5), tick=False):
        _send_all()
    assert set(_rows(reminders_kind()).values_list("status", flat=True)) == {"sent"}


def test_a_person_turns_off_reminders_but_appointment_changes_still_reach_them(
    client, bijeenkomst_in_two_days, django_capture_on_commit_callbacks
):
    bijeenkomst, participant = bijeenkomst_in_two_days
    client.force_login(participant)
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Herinneringen vóór bijeenkomsten" in page
    response = client.post(reverse("portal:profile-reminders"), {"wanted": []})
    assert response.status_code == 302
    assert ReminderOptOut.objects.filter(user=participant, kind=reminders_kind()).exists()
    bad = client.post(reverse("portal:profile-reminders"), {"wanted": ["evaluation_invitation"]})
    assert bad.status_code == 400
    assert "evaluation_invitation is geen beschikbare keuze" in bad.content.decode()

    _scan(MORNING)
    assert not _rows(reminders_kind(), recipient=participant).exists()
    assert _rows(reminders_kind()).count() == 1  # the trainer still gets theirs
    moved = Bijeenkomst.objects.get(pk=bijeenkomst.pk)
    moved.location = "Amersfoort"
    with django_capture_on_commit_callbacks(execute=True):
        moved.save()
    assert [m.to for m in mail.outbox if "Gewijzigd" in m.subject].count([participant.email]) == 1
    # Turned on again.
    client.post(reverse("portal:profile-reminders"), {"wanted": [reminders_kind()]})
    assert not ReminderOptOut.objects.filter(user=participant, kind=reminders_kind()).exists()


def test_only_kinds_that_are_not_essential_can_be_turned_off():
    names = {kind.name for kind in reminders.optional_kinds()}
    assert {
        "appointment_reminder",
        "intervisie_poll_reminder",
        "reflection_reminder",
        "coaching_prepare",
    } <= names
    assert not {"appointment_moved", "appointment_cancelled", "enrolment_enrolled"} & names


def test_a_poll_reminds_the_members_who_have_not_answered_at_remind_at(trainer):
    with time_machine.travel(MORNING - timedelta(days=2), tick=False):
        group = GroupFactory(begeleider=trainer, member_count=3)
        poll = PollFactory(group=group, closes_at=MORNING + timedelta(days=1))
    answered = group.memberships.first().enrolment.participant
    intervisie_services.vote_cast(poll=poll, voter=answered, answers={poll.slots.first().pk: "yes"})
    assert poll.remind_at == MORNING  # a day before it closes
    assert _scan(MORNING - timedelta(minutes=5)).per_kind["intervisie_poll_reminder"] == 0
    assert _scan(MORNING).per_kind["intervisie_poll_reminder"] == 2
    assert _scan(MORNING + timedelta(hours=1)).per_kind["intervisie_poll_reminder"] == 0
    assert not _rows("intervisie_poll_reminder", recipient=answered).exists()
    with time_machine.travel(MORNING, tick=False):
        _send_all()
    assert len(mail.outbox) == 2
    assert "Welke data passen je" in mail.outbox[0].subject
    assert "nog niets van je gehoord" in mail.outbox[0].body


def test_a_reflection_is_reminded_twice_at_most_a_week_apart_and_not_once_written():
    with time_machine.travel(MORNING - timedelta(days=8), tick=False):
        cohort = CohortFactory(bijeenkomsten=1, starts_on=(MORNING - timedelta(days=7)).date())
        enrolment = EnrolmentFactory(cohort=cohort)
        other = EnrolmentFactory(cohort=cohort)
    bijeenkomst = cohort.bijeenkomsten.get()
    week_after = bijeenkomst.starts_at + timedelta(days=7, hours=1)
    Reflection.objects.create(
        enrolment=other, module=bijeenkomst.module, text="Klaar", submitted_at=week_after
    )
    Notification.objects.all().delete()
    assert _scan(week_after - timedelta(hours=2)).per_kind["reflection_reminder"] == 0
    assert _scan(week_after).per_kind["reflection_reminder"] == 1
    assert _scan(week_after + timedelta(days=3)).per_kind["reflection_reminder"] == 0
    assert _scan(week_after + timedelta(days=7)).per_kind["reflection_reminder"] == 1
    assert _scan(week_after + timedelta(days=14)).per_kind["reflection_reminder"] == 0
    assert _scan(week_after + timedelta(days=40)).per_kind["reflection_reminder"] == 0
    rows = _rows("reflection_reminder")
    assert set(rows.values_list("recipient", flat=True)) == {enrolment.participant_id}
    with time_machine.travel(week_after + timedelta(days=7), tick=False):
        # Written in between: the queued reminder is dropped.
        Reflection.objects.create(
            enrolment=enrolment, module=bijeenkomst.module, text="Nu wel", submitted_at=MORNING
        )
        _send_all()
    assert set(rows.values_list("status", flat=True)) == {"dropped"}


def test_a_module_with_two_bijeenkomsten_is_reminded_once_counted_from_the_first():
    with time_machine.travel(MORNING - timedelta(days=15), tick=False):
        cohort = CohortFactory(bijeenkomsten=1, starts_on=(MORNING - timedelta(days=14)).date())
        enrolment = EnrolmentFactory(cohort=cohort)
    first = cohort.bijeenkomsten.get()
    BijeenkomstFactory(
        cohort=cohort,
        module=first.module,
        starts_at=first.starts_at + timedelta(days=4),
        ends_at=first.ends_at + timedelta(days=4),
    )
    Notification.objects.all().delete()
    # The scan was away: the first bijeenkomst is two weeks past, the second ten days.
    two_weeks_after_the_first = first.starts_at + timedelta(days=14, hours=1)
    assert _scan(two_weeks_after_the_first).per_kind["reflection_reminder"] == 1
    assert _rows("reflection_reminder").get().context["number"] == 2
    assert _scan(two_weeks_after_the_first + timedelta(days=7)).per_kind["reflection_reminder"] == 0
    assert _rows("reflection_reminder").get().recipient == enrolment.participant


def test_the_reflection_reminder_mails_read_well():
    with time_machine.travel(MORNING - timedelta(days=8), tick=False):
        cohort = CohortFactory(bijeenkomsten=1, starts_on=(MORNING - timedelta(days=7)).date())
        enrolment = EnrolmentFactory(cohort=cohort)
    bijeenkomst = cohort.bijeenkomsten.get()
    for week in (7, 14):
        moment = bijeenkomst.starts_at + timedelta(days=week, hours=1)
        _scan(moment)
        with time_machine.travel(moment, tick=False):
            _send_all()
    first, last = [m for m in mail.outbox if m.subject.startswith("Je reflectie")]
    module = bijeenkomst.module.title
    assert first.subject == f"Je reflectie op {module}"
    assert "een week geleden" in first.body and "laatste herinnering" in last.body
    url = reverse("leergang:reflection-edit", args=[enrolment.pk, bijeenkomst.module.slug])
    assert url in first.body and url in first.alternatives[0][0]


def test_a_coaching_session_nudges_the_participant_to_prepare_unless_done():
    with time_machine.travel(MORNING - timedelta(days=5), tick=False):
        session = CoachingSessionFactory(
            starts_at=MORNING + timedelta(hours=40), ends_at=MORNING + timedelta(hours=41)
        )
        prepared = CoachingSessionFactory(
            starts_at=MORNING + timedelta(hours=40), ends_at=MORNING + timedelta(hours=41)
        )
    CoachingSession.objects.filter(pk=prepared.pk).update(preparation="Over mijn leervraag")
    Notification.objects.all().delete()
    assert _scan(MORNING).per_kind["coaching_prepare"] == 1
    (row,) = _rows("coaching_prepare")
    assert row.recipient == session.trajectory.participant
    with time_machine.travel(MORNING, tick=False):
        _send_all()
    (nudge,) = [m for m in mail.outbox if "Bereid je coachingsessie" in m.subject]
    assert session.trajectory.coach.get_full_name() in nudge.body


def test_the_scan_costs_a_fixed_number_of_queries_per_batch_whatever_the_rows(trainer):
    """Ten times the reminders cost the same queries per batch of 1000, no query per row."""

    def plan(participants):
        with time_machine.travel(MORNING - timedelta(days=30), tick=False):
            cohort = CohortFactory(trainers=[trainer], participants=participants)
            starts = MORNING + timedelta(hours=30)
            BijeenkomstFactory(cohort=cohort, starts_at=starts, ends_at=starts + timedelta(hours=2))
        Notification.objects.all().delete()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            result = _scan(MORNING)
        Notification.objects.all().delete()
        return len(captured), result.written

    plan(3)
    small, written_small = queries()
    plan(30)
    large, written_large = queries()
    assert (written_small, written_large) == (4, 4 + 31)
    assert small == large


def reminders_for_scale(count):
    """``count`` participants in cohorts of 100, each with five bijeenkomsten tomorrow."""
    from django.contrib.auth.hashers import make_password

    from leergang.models import Enrolment
    from portal.models import User

    password = make_password(None)
    with time_machine.travel(MORNING - timedelta(days=30), tick=False):
        users = User.objects.bulk_create(
            User(email=f"p{n}@schaal.example", first_name="P", last_name=str(n), password=password)
            for n in range(count)
        )
        for start in range(0, count, 100):
            cohort = CohortFactory(seats=100)
            Enrolment.objects.bulk_create(
                Enrolment(cohort=cohort, participant=user, state="enrolled")
                for user in users[start : start + 100]
            )
            Bijeenkomst.objects.bulk_create(
                Bijeenkomst(
                    cohort=cohort,
                    title=f"Bijeenkomst {hour}",
                    starts_at=MORNING + timedelta(hours=26 + hour),
                    ends_at=MORNING + timedelta(hours=27 + hour),
                )
                for hour in range(5)
            )


def test_the_scan_over_ten_thousand_participants_and_fifty_thousand_reminders(capsys):
    reminders_for_scale(10_000)
    with CaptureQueriesContext(connection) as captured:
        result = _scan(MORNING)
    assert result.per_kind[reminders_kind()] == 50_000
    assert Notification.objects.filter(kind=reminders_kind()).count() == 50_000
    # 50 batches of 1000 rows, four queries each (insert, read back the new ids, and the
    # savepoint around them), plus a fixed number per kind: none per row.
    assert len(captured) <= 50 * 4 + 20
    with capsys.disabled():
        print(
            f"\nreminder scan: {result.found} due reminders, {result.written} written in "
            f"{result.seconds:.1f} s ({result.rate:.0f} per second), {len(captured)} queries"
        )
    assert _scan(MORNING + timedelta(minutes=3)).written == 0
