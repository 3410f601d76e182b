"""Coaching data layer: trajectory states, booking rules and a booking race."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import services
from coaching.models import TRAJECTORY_TRANSITIONS, CoachingSession, Trajectory
from portal.models import Role
from tests.concurrency import run_in_parallel
from tests.factories import (
    AvailabilitySlotFactory,
    CoachingSessionFactory,
    EnrolmentFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import admin_trajectory_form, page_query_count

State = Trajectory.State


def _planned_tomorrow(trajectory):
    return services.session_plan(
        trajectory=trajectory,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_state", "to_state"), [(a, b) for a in State.values for b in State.values]
)
def test_trajectory_state_machine(beheerder, from_state, to_state):
    trajectory = TrajectoryFactory(state=from_state)
    move = {"trajectory": trajectory, "to_state": to_state, "by": beheerder, "reason": "Verhuisd"}
    if to_state in TRAJECTORY_TRANSITIONS[State(from_state)]:
        services.trajectory_transition(**move)
        trajectory.refresh_from_db()
        assert trajectory.state == to_state
        assert trajectory.transitions.last().to_state == to_state
    else:
        with pytest.raises(ValidationError):
            services.trajectory_transition(**move)


@pytest.mark.django_db
def test_start_records_the_intake_and_checks_roles(participant, coach, beheerder, hr):
    trajectory = services.trajectory_start(
        participant=participant, coach=coach, agreed_sessions=6, by=beheerder
    )
    assert trajectory.state == State.INTAKE
    assert trajectory.transitions.get().by == beheerder
    with pytest.raises(ValidationError):
        services.trajectory_start(
            participant=participant, coach=hr, agreed_sessions=6, by=beheerder
        )


@pytest.mark.django_db
def test_booking_respects_coach_agreed_limit_and_extension(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach, agreed_sessions=2)
    slots = [
        AvailabilitySlotFactory(coach=coach, starts_at=timezone.now() + timedelta(days=3 + i))
        for i in range(3)
    ]
    services.session_book(trajectory=trajectory, slot=slots[0], by=participant)
    services.session_book(trajectory=trajectory, slot=slots[1], by=participant)
    with pytest.raises(ValidationError, match="2"):
        services.session_book(trajectory=trajectory, slot=slots[2], by=participant)
    services.trajectory_extend(trajectory=trajectory, extra=1, by=coach)
    services.session_book(trajectory=trajectory, slot=slots[2], by=participant)
    other_coach_slot = AvailabilitySlotFactory()
    with pytest.raises(ValidationError):
        services.session_book(trajectory=trajectory, slot=other_coach_slot, by=participant)


@pytest.mark.django_db
def test_cancelling_frees_the_moment_and_records_by_whom_and_how_late(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach, starts_at=timezone.now() + timedelta(hours=30))
    session = services.session_book(trajectory=trajectory, slot=slot, by=participant)
    services.session_cancel(session=session, by=participant)
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.CANCELLED
    assert session.cancelled_by == participant and 29 < session.hours_notice <= 30
    other = TrajectoryFactory(coach=coach)
    assert services.session_book(trajectory=other, slot=slot, by=other.participant)
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, by=participant)


@pytest.mark.django_db(transaction=True)
def test_two_participants_booking_one_moment_at_once_get_it_once(utrecht):
    coach = UserFactory(roles=[Role.COACH])
    slot = AvailabilitySlotFactory(coach=coach)
    trajectories = iter([TrajectoryFactory(coach=coach) for _ in range(2)])

    def book():
        trajectory = next(trajectories)
        return services.session_book(trajectory=trajectory, slot=slot, by=trajectory.participant)

    results = run_in_parallel(book, 2)
    booked = [r for r in results if isinstance(r, CoachingSession)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(booked), len(refused)) == (1, 1), results
    assert CoachingSession.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_exceed_the_agreed_sessions():
    coach = UserFactory(roles=[Role.COACH])
    trajectory = TrajectoryFactory(coach=coach, agreed_sessions=3)
    slots = iter(
        [
            AvailabilitySlotFactory(coach=coach, starts_at=timezone.now() + timedelta(days=2 + i))
            for i in range(8)
        ]
    )
    results = run_in_parallel(
        lambda: services.session_book(
            trajectory=trajectory, slot=next(slots), by=trajectory.participant
        ),
        8,
    )
    assert sum(isinstance(r, CoachingSession) for r in results) == 3
    assert trajectory.sessions.count() == 3


@pytest.mark.django_db
def test_private_notes_are_only_for_the_trajectory_coach(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    session = _planned_tomorrow(trajectory)
    services.private_note_add(session=session, coach=coach, text="Eigen observatie")
    other_coach = UserFactory(roles=[Role.COACH])
    with pytest.raises(ValidationError):
        services.private_note_add(session=session, coach=other_coach, text="x")


@pytest.mark.django_db
def test_marking_and_goal_progress(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    session = _planned_tomorrow(trajectory)
    with pytest.raises(ValidationError):
        services.session_mark(session=session, status="held")  # not started yet
    goal = trajectory.goals.create(description="Helder nee zeggen")
    services.goal_update(goal=goal, progress=40, note="Eerste keer gelukt", by=participant)
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, progress=140, note="", by=participant)
    assert [u.progress for u in goal.updates.all()] == [40]


@pytest.mark.django_db
def test_private_notes_are_visible_to_their_coach_only(participant, coach, beheerder, hr):
    from coaching.models import PrivateNote
    from portal import access

    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    session = _planned_tomorrow(trajectory)
    services.private_note_add(session=session, coach=coach, text="Alleen voor mij")
    other_coach = UserFactory(roles=[Role.COACH])
    assert access.visible(coach, PrivateNote).count() == 1
    for person in (participant, beheerder, hr, other_coach):
        assert access.visible(person, PrivateNote).count() == 0
    assert not beheerder.has_perm("coaching.view_privatenote")
    assert beheerder.has_perm("coaching.view_trajectory")


@pytest.mark.django_db
def test_hr_overview_shows_only_session_counts(client, participant, coach, hr):
    enrolment = EnrolmentFactory(participant=participant)
    trajectory = TrajectoryFactory(
        participant=participant, coach=coach, agreed_sessions=6, enrolment=enrolment
    )
    past = CoachingSessionFactory(
        trajectory=trajectory,
        starts_at=timezone.now() - timedelta(days=2),
        summary="Gedeelde samenvatting",
    )
    services.session_mark(session=past, status="held", by=coach)
    services.private_note_add(session=past, coach=coach, text="Privé")
    client.force_login(hr)
    page = client.get("/hr/medewerkers/").content.decode()
    assert '<td class="coaching">1 van 6</td>' in page
    assert "Gedeelde samenvatting" not in page and "Privé" not in page


@pytest.mark.django_db
def test_booked_sessions_enter_both_calendar_feeds(participant, coach):
    from portal.calendar import events_for

    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach)
    session = services.session_book(trajectory=trajectory, slot=slot, by=participant)
    uid = f"coaching-{session.pk}@leerportaal"
    assert uid in [e.uid for e in events_for(participant)]
    assert uid in [e.uid for e in events_for(coach)]
    services.session_cancel(session=session, by=coach)
    assert uid not in [e.uid for e in events_for(participant)]


@pytest.mark.django_db
def test_booking_invites_both_with_a_valid_ics_and_cancelling_updates_both_calendars(
    participant, coach, django_capture_on_commit_callbacks
):
    from django.core import mail
    from icalendar import Calendar

    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_book(trajectory=trajectory, slot=slot, by=participant)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, coach.email])
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["UID"]) == f"coaching-{session.pk}@leerportaal"
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=participant)
    # The canceller's calendar holds it too: both get the cancellation.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, coach.email])
    assert all("Vervallen" in m.subject for m in mail.outbox)
    cancel = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancel.walk("VEVENT")[0]["UID"]) == f"coaching-{session.pk}@leerportaal"


@pytest.mark.django_db
def test_beheerder_starts_a_trajectory_in_the_admin_through_the_service(
    client, beheerder, participant, coach
):
    from django.contrib import admin
    from django.urls import reverse

    from coaching.models import CoachingSession, PrivateNote

    client.force_login(beheerder)
    response = client.post(
        reverse("admin:coaching_trajectory_add"),
        admin_trajectory_form(participant, coach),
    )
    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert trajectory.state == State.INTAKE
    assert trajectory.transitions.get().by == beheerder
    assert (
        client.get(reverse("admin:coaching_trajectory_change", args=[trajectory.pk])).status_code
        == 200
    )
    assert not admin.site.is_registered(CoachingSession)
    assert not admin.site.is_registered(PrivateNote)


@pytest.mark.django_db
def test_export_holds_my_sessions_and_summaries_not_the_coach_notes(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    session = _planned_tomorrow(trajectory)
    session.summary = "Samen afgesproken"
    session.save()
    services.private_note_add(session=session, coach=coach, text="Werkaantekening coach")
    client.force_login(participant)
    data = client.get("/profiel/export/").json()
    assert data["coaching"][0]["sessions"][0]["summary"] == "Samen afgesproken"
    assert "Werkaantekening" not in str(data)


@pytest.mark.django_db
def test_participant_books_and_coach_writes_note_and_summary(client, participant, coach):
    from django.urls import reverse
    from django.utils.html import escape

    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach)
    client.force_login(participant)
    page = client.get(reverse("coaching:overview")).content.decode()
    assert f'value="{slot.pk}"' in page
    response = client.post(reverse("coaching:book", args=[trajectory.pk]), {"slot": slot.pk})
    session = CoachingSession.objects.get()
    assert response["Location"] == reverse("coaching:session-detail", args=[session.pk])
    client.force_login(coach)
    url = reverse("coaching:session-detail", args=[session.pk])
    client.post(url, {"add_note": "1", "text": "Let op spanning rond teamleider"})
    client.post(url, {"save_summary": "1", "summary": "We oefenen nee zeggen."})
    assert "Let op spanning" in client.get(url).content.decode()
    client.force_login(participant)
    page = client.get(url).content.decode()
    assert escape("We oefenen nee zeggen.") in page
    assert "Let op spanning" not in page
    client.post(url, {"preparation": "Mijn vraag", "participant_comment": "Klopt"})
    session.refresh_from_db()
    assert (session.preparation, session.participant_comment) == ("Mijn vraag", "Klopt")
    assert session.summary == "We oefenen nee zeggen."


@pytest.mark.django_db
def test_booking_a_taken_moment_via_the_page_says_why(client, participant, coach):
    from django.urls import reverse

    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    slot = AvailabilitySlotFactory(coach=coach)
    other = TrajectoryFactory(coach=coach)
    services.session_book(trajectory=other, slot=slot, by=other.participant)
    client.force_login(participant)
    response = client.post(
        reverse("coaching:book", args=[trajectory.pk]), {"slot": slot.pk}, follow=True
    )
    assert "net geboekt" in response.content.decode()
    assert trajectory.sessions.count() == 0
    response = client.post(
        reverse("coaching:book", args=[trajectory.pk]), {"slot": "abc"}, follow=True
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_coach_publishes_moments_and_bad_times_are_refused(client, coach):
    from django.urls import reverse

    from coaching.models import AvailabilitySlot

    client.force_login(coach)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = reverse("coaching:availability")
    assert client.post(url, {"date": day, "start": "10:00", "end": "09:00"}).status_code == 200
    assert (
        client.post(url, {"date": "2020-01-01", "start": "10:00", "end": "11:00"}).status_code
        == 200
    )
    assert not AvailabilitySlot.objects.exists()
    assert (
        client.post(
            url, {"date": day, "start": "10:00", "end": "11:00", "location": "Utrecht"}
        ).status_code
        == 302
    )
    assert AvailabilitySlot.objects.filter(coach=coach).count() == 1


@pytest.mark.django_db
def test_coaching_pages_keep_their_query_counts(client, participant, coach):
    from django.urls import reverse

    def grow(n):
        for _ in range(n):
            trajectory = TrajectoryFactory(coach=coach)
            AvailabilitySlotFactory(coach=coach)
            # A coach has one session at a time: each a day later than the last.
            starts_at = timezone.now() + timedelta(days=3 + trajectory.pk % 1000)
            services.session_plan(
                trajectory=trajectory, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
            )

    mine = TrajectoryFactory(participant=participant, coach=coach)
    session = services.session_plan(
        trajectory=mine,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1),
    )
    grow(1)

    def counts():
        result = []
        for user, url in [
            (participant, reverse("coaching:overview")),
            (coach, reverse("coaching:overview")),
            (coach, reverse("coaching:availability")),
            (coach, reverse("coaching:session-detail", args=[session.pk])),
        ]:
            result.append(page_query_count(client, url, user))
        return result

    few = counts()
    grow(9)
    for _ in range(5):
        services.private_note_add(session=session, coach=coach, text="notitie")
    assert counts() == few
