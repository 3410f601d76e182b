"""Starting trajectories, the trajectory page (learning question, goals, planning, extending,
state changes) and the frame list for the programme office and HR."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching import selectors, services
from coaching.models import CoachingSession, Trajectory
from portal.models import Notification, Role
from tests.concurrency import run_in_parallel
from tests.factories import (
    AvailabilitySlotFactory,
    CoachingSessionFactory,
    EnrolmentFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db
State = Trajectory.State


def _future(days, hour=10):
    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(hours=1)


def _plan_data(days, start="10:00", end="11:00"):
    return {
        "plan-date": (timezone.localdate() + timedelta(days=days)).isoformat(),
        "plan-start": start,
        "plan-end": end,
        "plan-location": "Academie, kamer 2.14",
    }


# --------------------------------------------------------------------------- starting


def test_hr_starts_for_its_own_people_only_and_the_organisation_pays(
    hr, participant, outsider, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trajectory = services.trajectory_start(
            participant=participant,
            coach=coach,
            agreed_sessions=6,
            by=hr,
            funded_by=Trajectory.Funding.PROGRAMME,
        )
    assert trajectory.funded_by == Trajectory.Funding.ORGANISATION
    assert trajectory.started_by == hr
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, coach.email])
    assert "Coachtraject van" in mail.outbox[0].subject
    assert "leervraag" in mail.outbox[0].body or "Bied" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="geen coachtraject starten"):
        services.trajectory_start(participant=outsider, coach=coach, agreed_sessions=6, by=hr)


def test_start_refuses_a_second_open_trajectory_a_non_coach_and_a_bad_count(
    beheerder, participant, coach, trainer
):
    services.trajectory_start(participant=participant, coach=coach, agreed_sessions=6, by=beheerder)
    with pytest.raises(ValidationError, match="nog niet is afgelopen"):
        services.trajectory_start(
            participant=participant, coach=coach, agreed_sessions=6, by=beheerder
        )
    other = UserFactory()
    with pytest.raises(ValidationError, match="coach"):
        services.trajectory_start(participant=other, coach=trainer, agreed_sessions=6, by=beheerder)
    with pytest.raises(ValidationError, match="tussen 1 en 50"):
        services.trajectory_start(participant=other, coach=coach, agreed_sessions=0, by=beheerder)
    enrolment = EnrolmentFactory()
    with pytest.raises(ValidationError, match="iemand anders"):
        services.trajectory_start(
            participant=other, coach=coach, agreed_sessions=6, by=beheerder, enrolment=enrolment
        )


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_start_creates_one_trajectory():
    beheerder = UserFactory(roles=[Role.BEHEERDER])
    coach = UserFactory(roles=[Role.COACH])
    participant = UserFactory()
    results = run_in_parallel(
        lambda: services.trajectory_start(
            participant=participant, coach=coach, agreed_sessions=6, by=beheerder
        ),
        4,
    )
    assert sum(isinstance(r, Trajectory) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 3
    assert Trajectory.objects.filter(participant=participant).count() == 1


def test_start_page_offers_hr_only_its_own_people(client, hr, participant, outsider, coach):
    client.force_login(hr)
    page = client.get(reverse("coaching:start"))
    choices = {str(pk) for pk, _label in page.context["form"].fields["participant"].choices if pk}
    assert str(participant.pk) in choices and str(outsider.pk) not in choices
    assert "funded_by" not in page.context["form"].fields
    response = client.post(
        reverse("coaching:start"),
        {"participant": outsider.pk, "coach": coach.pk, "agreed_sessions": 6},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Trajectory.objects.exists()
    response = client.post(
        reverse("coaching:start"),
        {"participant": participant.pk, "coach": coach.pk, "agreed_sessions": "zes"},
    )
    assert "Voer een geheel getal in" in response.content.decode()
    response = client.post(
        reverse("coaching:start"),
        {"participant": participant.pk, "coach": coach.pk, "agreed_sessions": 6},
        follow=True,
    )
    assert "Het traject is gestart" in response.content.decode()
    assert Trajectory.objects.get().funded_by == Trajectory.Funding.ORGANISATION


def test_frame_list_shows_counts_never_content(client, hr, beheerder, participant, outsider):
    mine = TrajectoryFactory(participant=participant, leervraag="Geheime leervraag")
    mine.goals.create(description="Geheim doel")
    CoachingSessionFactory(
        trajectory=mine,
        starts_at=timezone.now() - timedelta(days=3),
        status=CoachingSession.Status.HELD,
        summary="Geheime samenvatting",
    )
    theirs = TrajectoryFactory(participant=outsider)
    client.force_login(hr)
    page = client.get(reverse("coaching:trajectories")).content.decode()
    # Names as the page writes them: "van 't Erve" is escaped.
    assert escape(participant.get_full_name()) in page
    assert escape(outsider.get_full_name()) not in page
    assert "1 van 6" in page
    assert "Geheim" not in page
    client.force_login(beheerder)
    page = client.get(reverse("coaching:trajectories")).content.decode()
    assert escape(participant.get_full_name()) in page
    assert escape(theirs.participant.get_full_name()) in page
    assert "Geheim" not in page


# --------------------------------------------------------------------------- the page


def test_participant_writes_learning_question_and_goals_and_both_update_progress(
    client, participant, coach
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    client.force_login(participant)
    client.post(
        reverse("coaching:leervraag", args=[trajectory.pk]),
        {"leervraag-leervraag": "Hoe blijf ik rustig in conflicten?"},
    )
    client.post(
        reverse("coaching:goal-add", args=[trajectory.pk]),
        {"goal-description": "Ik benoem spanning in het overleg"},
    )
    goal = trajectory.goals.get()
    response = client.post(
        reverse("coaching:goal-progress", args=[goal.pk]),
        {f"progress-{goal.pk}-progress": "150", f"progress-{goal.pk}-note": "te veel"},
    )
    assert response.status_code == 200
    assert "hoogstens 100" in response.content.decode()
    client.post(
        reverse("coaching:goal-progress", args=[goal.pk]),
        {f"progress-{goal.pk}-progress": "30", f"progress-{goal.pk}-note": "Eerste keer gedaan"},
    )
    client.force_login(coach)
    client.post(
        reverse("coaching:goal-progress", args=[goal.pk]), {f"progress-{goal.pk}-progress": "50"}
    )
    trajectory.refresh_from_db()
    goal.refresh_from_db()
    assert trajectory.leervraag == "Hoe blijf ik rustig in conflicten?"
    assert goal.progress == 50
    assert [(u.progress, u.by) for u in goal.updates.all()] == [(30, participant), (50, coach)]
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    assert "Hoe blijf ik rustig in conflicten?" in page and "Eerste keer gedaan" in page
    # The coach reads the learning question but does not write it.
    response = client.post(
        reverse("coaching:leervraag", args=[trajectory.pk]), {"leervraag-leervraag": "x"}
    )
    assert response.status_code == 403


def test_goal_of_another_trajectory_is_not_found(client, participant):
    other = TrajectoryFactory()
    goal = other.goals.create(description="Niet van mij")
    client.force_login(participant)
    response = client.post(
        reverse("coaching:goal-progress", args=[goal.pk]), {f"progress-{goal.pk}-progress": "10"}
    )
    assert response.status_code == 404
    assert client.get(reverse("coaching:trajectory", args=[other.pk])).status_code == 404


def test_coach_plans_directly_but_not_in_the_past_nor_twice_at_one_moment(
    client, participant, coach, django_capture_on_commit_callbacks
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    other = TrajectoryFactory(coach=coach)
    client.force_login(coach)
    response = client.post(reverse("coaching:plan", args=[trajectory.pk]), _plan_data(-1))
    assert "in de toekomst" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:plan", args=[trajectory.pk]), _plan_data(5))
    session = trajectory.sessions.get()
    assert response["Location"] == reverse("coaching:session-detail", args=[session.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, coach.email])
    assert mail.outbox[0].attachments[0][0] == "uitnodiging.ics"
    response = client.post(
        reverse("coaching:plan", args=[other.pk]), _plan_data(5, "10:30", "11:30")
    )
    assert "Je hebt dan al een sessie met" in response.content.decode()
    assert not other.sessions.exists()
    response = client.post(
        reverse("coaching:plan", args=[other.pk]), {**_plan_data(5), "plan-date": "31-02-2026"}
    )
    assert "Voer een geldige datum in" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_plans_of_one_coach_at_once_give_one_session():
    coach = UserFactory(roles=[Role.COACH])
    trajectories = iter([TrajectoryFactory(coach=coach) for _ in range(2)])
    starts_at, ends_at = _future(4)
    results = run_in_parallel(
        lambda: services.session_plan(
            trajectory=next(trajectories), starts_at=starts_at, ends_at=ends_at
        ),
        2,
    )
    assert sum(isinstance(r, CoachingSession) for r in results) == 1, results
    assert CoachingSession.objects.filter(trajectory__coach=coach).count() == 1


def test_a_slot_over_a_planned_session_is_neither_offered_nor_bookable(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    starts_at, ends_at = _future(6)
    slot = AvailabilitySlotFactory(coach=coach, starts_at=starts_at, ends_at=ends_at)
    free = AvailabilitySlotFactory(coach=coach, starts_at=starts_at + timedelta(days=1))
    services.session_plan(
        trajectory=TrajectoryFactory(coach=coach), starts_at=starts_at, ends_at=ends_at
    )
    (mine,) = selectors.participant_trajectories(participant)
    assert mine.coach.free_slots == [free]
    with pytest.raises(ValidationError, match="niet meer vrij"):
        services.session_book(trajectory=trajectory, slot=slot, by=participant)


def test_coach_extends_and_the_limit_moves(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach, agreed_sessions=1)
    CoachingSessionFactory(trajectory=trajectory)
    with pytest.raises(ValidationError, match="Vraag je coach"):
        services.session_plan(trajectory=trajectory, starts_at=_future(9)[0], ends_at=_future(9)[1])
    client.force_login(coach)
    response = client.post(reverse("coaching:extend", args=[trajectory.pk]), {"extend-extra": "0"})
    assert "minstens 1" in response.content.decode()
    response = client.post(reverse("coaching:extend", args=[trajectory.pk]), {"extend-extra": "50"})
    assert "maximaal 50 sessies" in response.content.decode()
    client.post(reverse("coaching:extend", args=[trajectory.pk]), {"extend-extra": "2"})
    trajectory.refresh_from_db()
    assert trajectory.agreed_sessions == 3
    assert "2 sessies toegevoegd" in trajectory.transitions.last().reason
    assert services.session_plan(
        trajectory=trajectory, starts_at=_future(9)[0], ends_at=_future(9)[1]
    )


def test_held_intake_makes_the_trajectory_running(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    intake = CoachingSessionFactory(
        trajectory=trajectory, starts_at=timezone.now() - timedelta(hours=2)
    )
    services.session_mark(session=intake, status="held", by=coach)
    trajectory.refresh_from_db()
    assert trajectory.state == State.RUNNING
    step = trajectory.transitions.last()
    assert (step.from_state, step.to_state, step.by) == (State.INTAKE, State.RUNNING, coach)


def test_stopping_needs_a_reason_and_cancels_what_is_planned(
    client, participant, coach, django_capture_on_commit_callbacks
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach, state=State.RUNNING)
    upcoming = CoachingSessionFactory(trajectory=trajectory)
    client.force_login(coach)
    url = reverse("coaching:transition", args=[trajectory.pk])
    response = client.post(url, {"state-to_state": "stopped", "state-reason": " "})
    assert "Geef aan waarom het traject stopt" in response.content.decode()
    response = client.post(url, {"state-to_state": "intake"})
    assert "Selecteer een geldige keuze" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"state-to_state": "stopped", "state-reason": "Andere baan"})
    trajectory.refresh_from_db()
    upcoming.refresh_from_db()
    assert trajectory.state == State.STOPPED
    assert trajectory.transitions.last().reason == "Andere baan"
    assert upcoming.status == CoachingSession.Status.CANCELLED and upcoming.cancelled_by == coach
    cancellations = [m.to[0] for m in mail.outbox if m.subject.startswith("Vervallen")]
    assert sorted(cancellations) == sorted([participant.email, coach.email])
    # An ended trajectory takes no new goals, plans or extensions.
    page = client.get(reverse("coaching:trajectory", args=[trajectory.pk]))
    assert page.context.get("plan_form") is None
    with pytest.raises(ValidationError, match="afgelopen"):
        services.trajectory_extend(trajectory=trajectory, extra=1, by=coach)
    with pytest.raises(ValidationError, match="afgelopen"):
        services.goal_add(trajectory=trajectory, description="Nog iets", by=participant)


def test_notifications_of_a_start_render_for_participant_and_coach(beheerder, participant, coach):
    from portal.notifications import render_notification

    services.trajectory_start(participant=participant, coach=coach, agreed_sessions=4, by=beheerder)
    for notification in Notification.objects.filter(kind="coaching_trajectory_started"):
        message = render_notification(notification)
        html = message.alternatives[0][0]
        assert "4 sessies" in message.body and "4 sessies" in html
        if notification.recipient == participant:
            assert "leervraag" in message.body
        else:
            assert "Bied momenten aan" in message.body


def test_coach_withdraws_a_free_moment_but_not_a_booked_one(client, participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    free = AvailabilitySlotFactory(coach=coach)
    booked = AvailabilitySlotFactory(coach=coach, starts_at=timezone.now() + timedelta(days=9))
    services.session_book(trajectory=trajectory, slot=booked, by=participant)
    other = AvailabilitySlotFactory()
    client.force_login(coach)
    response = client.post(reverse("coaching:slot-withdraw", args=[free.pk]), follow=True)
    assert "Het moment wordt niet meer aangeboden" in response.content.decode()
    response = client.post(reverse("coaching:slot-withdraw", args=[booked.pk]), follow=True)
    assert "Dit moment is geboekt" in response.content.decode()
    assert client.post(reverse("coaching:slot-withdraw", args=[other.pk])).status_code == 404
    assert list(coach.coaching_slots.all()) == [booked]
    with pytest.raises(ValidationError, match="biedt dit moment niet meer aan"):
        services.session_book(trajectory=trajectory, slot=free, by=participant)


@pytest.mark.django_db(transaction=True)
def test_withdrawing_and_booking_one_moment_at_once_never_both():
    coach = UserFactory(roles=[Role.COACH])
    trajectory = TrajectoryFactory(coach=coach)

    def race(slot):
        actions = iter(
            [
                lambda: services.session_book(
                    trajectory=trajectory, slot=slot, by=trajectory.participant
                ),
                lambda: services.slot_withdraw(slot=slot, by=coach),
            ]
        )
        return run_in_parallel(lambda: next(actions)(), 2)

    for _ in range(3):
        slot = AvailabilitySlotFactory(coach=coach)
        results = race(slot)
        booked = CoachingSession.objects.filter(slot_id=slot.pk).exists()
        still_offered = type(slot).objects.filter(pk=slot.pk).exists()
        # Either booked (and the withdrawal refused) or withdrawn (and the booking refused).
        assert booked == still_offered, results
        assert all(r is None or isinstance(r, (CoachingSession, ValidationError)) for r in results)


# --------------------------------------------------------------------------- query counts


def test_trajectory_pages_keep_their_query_counts(client, participant, coach, hr, beheerder):
    from coaching.models import PrivateNote

    mine = TrajectoryFactory(participant=participant, coach=coach)

    def grow(n):
        for _ in range(n):
            goal = mine.goals.create(description="Doel")
            services.goal_update(goal=goal, progress=20, note="stap", by=participant)
            session = CoachingSessionFactory(
                trajectory=mine, starts_at=timezone.now() - timedelta(days=goal.pk % 500 + 1)
            )
            PrivateNote.objects.create(session=session, coach=coach, text="notitie")
            AvailabilitySlotFactory(coach=coach, starts_at=timezone.now() + timedelta(days=2))
            other = TrajectoryFactory(
                coach=coach, participant=UserFactory(organisation=hr.organisation)
            )
            CoachingSessionFactory(
                trajectory=other, starts_at=timezone.now() + timedelta(days=other.pk % 500 + 1)
            )
        mine.agreed_sessions = 50
        mine.save()

    grow(1)
    pages = [
        (participant, reverse("coaching:trajectory", args=[mine.pk])),
        (coach, reverse("coaching:trajectory", args=[mine.pk])),
        (hr, reverse("coaching:trajectories")),
        (beheerder, reverse("coaching:trajectories")),
        (hr, reverse("coaching:start")),
        (beheerder, reverse("coaching:start")),
        (coach, reverse("portal:home")),
        (participant, reverse("portal:home")),
    ]

    def counts():
        result = []
        for user, url in pages:
            result.append(page_query_count(client, url, user))
        return result

    few = counts()
    grow(9)
    assert counts() == few, few
