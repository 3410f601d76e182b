"""Retention (AVG): what happens to every model when a cohort's retention period is over.

``VERDICTS`` names every model of the portal, Django and allauth, and says what retention
does with it: deleted, emptied (the row stays for the counts, the personal text goes),
pseudonymised, or kept and why. A new model fails ``test_every_model_has_a_verdict`` until
someone decides. The tests below prove each verdict on one cohort that ended long ago.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession, Goal, GoalUpdate, PrivateNote, Trajectory
from evaluations.models import Answer, GoalScore
from evaluations.models import Invitation as EvaluationInvitation
from intervisie.models import Session as IntervisieSession
from intervisie.models import SessionAttendance, Vote
from leergang import retention
from leergang.models import (
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentTransition,
    InsightsProfile,
    Reflection,
    RetentionPostponement,
)
from leergang.retention import add_months, apply_retention, retention_due
from leergang.tasks import retention_apply_task
from portal.models import (
    AuditEvent,
    CalendarFeed,
    Invitation,
    Notification,
    ReminderOptOut,
    Role,
    User,
)
from portal.scheduler import run_pass
from tests.concurrency import run_in_parallel
from tests.factories import (
    BijeenkomstFactory,
    CoachingSessionFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    PollFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import messages_of, page_query_count

DELETED = "deleted"
EMPTIED = "emptied"  # the row stays (it is counted); its personal text is blanked
PSEUDONYMISED = "pseudonymised"
KEPT = "kept"

VERDICTS = {
    # Django
    "admin.LogEntry": (
        KEPT,
        "staff's admin history; the entries of a pseudonymised account "
        "get its pseudonym as their label",
    ),
    "auth.Permission": (KEPT, "configuration, no personal data"),
    "auth.Group": (KEPT, "configuration, no personal data"),
    "auth.Group_permissions": (KEPT, "configuration, no personal data"),
    "contenttypes.ContentType": (KEPT, "configuration, no personal data"),
    "sessions.Session": (DELETED, "the pseudonymised person's sessions are ended"),
    # allauth
    "account.EmailAddress": (DELETED, "the pseudonymised person's addresses"),
    "account.EmailConfirmation": (DELETED, "goes with the address"),
    "socialaccount.SocialApp": (KEPT, "configuration (the portal keeps none in the database)"),
    "socialaccount.SocialAccount": (
        DELETED,
        "the pseudonymised person's link to an identity provider",
    ),
    "socialaccount.SocialToken": (DELETED, "goes with the social account"),
    "mfa.Authenticator": (DELETED, "the pseudonymised person's second factors"),
    "usersessions.UserSession": (DELETED, "the pseudonymised person's sessions"),
    # portal
    "portal.Organisation": (KEPT, "an organisation, not a person"),
    "portal.User": (
        PSEUDONYMISED,
        "name and address replaced, account closed, when the person "
        "has no other cohort still kept, no running trajectory and no staff role",
    ),
    "portal.User_groups": (KEPT, "participants have none; configuration"),
    "portal.User_user_permissions": (KEPT, "participants have none; configuration"),
    "portal.UserRole": (KEPT, "the role of a closed account: counts per role stay right"),
    "portal.Invitation": (
        DELETED,
        "the pseudonymised person's invitations hold their name and address",
    ),
    "portal.InvitationImport": (
        KEPT,
        "not about a cohort: its file is emptied when the import "
        "finishes; the audit trail's own retention applies",
    ),
    "portal.Notification": (
        DELETED,
        "the pseudonymised person's mail holds their address and name",
    ),
    "portal.ReminderOptOut": (DELETED, "the pseudonymised person's preferences"),
    "portal.CalendarFeed": (DELETED, "its token opened the pseudonymised person's agenda"),
    "portal.AuditEvent": (KEPT, "ids and actions only; purged after AUDIT_RETENTION_DAYS"),
    "portal.AuditSubject": (KEPT, "ids only; purged with its record"),
    # leergang
    "leergang.Module": (KEPT, "catalogue"),
    "leergang.Material": (KEPT, "catalogue"),
    "leergang.Leergang": (KEPT, "catalogue"),
    "leergang.LeergangModule": (KEPT, "catalogue"),
    "leergang.Cohort": (KEPT, "dates and seats; marked personal_data_removed_at"),
    "leergang.Cohort_trainers": (KEPT, "staff assigned to the cohort"),
    "leergang.Enrolment": (
        EMPTIED,
        "state and certificate code kept (counts, verification); the decision's reason goes",
    ),
    "leergang.EnrolmentTransition": (EMPTIED, "the state history stays; its reasons go"),
    "leergang.Bijeenkomst": (KEPT, "a dated session, no personal data"),
    "leergang.Attendance": (EMPTIED, "present, absent or excused stays; the reason goes"),
    "leergang.Reflection": (DELETED, "the leerlog"),
    "leergang.InsightsProfile": (DELETED, "with pseudonymisation: a person's colour energies"),
    "leergang.Interest": (
        DELETED,
        "with pseudonymisation, or RETENTION_MONTHS after it was registered: a wish of a person",
    ),
    "leergang.MakeUpRequest": (EMPTIED, "kept for the count of make-up sessions; the reason goes"),
    "leergang.RetentionPostponement": (KEPT, "the programme office's date and reason"),
    # intervisie
    "intervisie.Method": (KEPT, "catalogue of methods"),
    "intervisie.Group": (KEPT, "HR counts intervisie"),
    "intervisie.Membership": (KEPT, "HR counts intervisie"),
    "intervisie.Poll": (KEPT, "a title and dates; the answers go"),
    "intervisie.Slot": (KEPT, "a proposed moment"),
    "intervisie.Vote": (DELETED, "poll answers: when a member was free"),
    "intervisie.Session": (
        EMPTIED,
        "held sessions are counted; case, notes, agreements and who brought the case go",
    ),
    "intervisie.SessionAttendance": (EMPTIED, "attendance stays; the reason goes"),
    # coaching
    "coaching.Trajectory": (
        EMPTIED,
        "agreed and used sessions are counted; the learning "
        "question goes (a running trajectory is left whole)",
    ),
    "coaching.TrajectoryTransition": (EMPTIED, "the state history stays; its reasons go"),
    "coaching.Goal": (DELETED, "the participant's goals"),
    "coaching.GoalUpdate": (DELETED, "goes with its goal"),
    "coaching.AvailabilitySlot": (KEPT, "the coach's moments, no participant data"),
    "coaching.CoachingSession": (EMPTIED, "status is counted; preparation, summary and comment go"),
    "coaching.PrivateNote": (DELETED, "the coach's private notes"),
    # evaluations
    "evaluations.Invitation": (DELETED, "who was asked and whether they answered"),
    "evaluations.Answer": (KEPT, "anonymous by construction; the trends read them"),
    "evaluations.GoalScore": (KEPT, "part of an anonymous answer"),
    # sso
    "sso.IdentityProvider": (KEPT, "an organisation's sign-in configuration"),
    "sso.ProviderApp": (KEPT, "a proxy of SocialApp made in memory, never saved"),
}


def test_every_model_has_a_verdict():
    # sso's proxy of allauth's app is defined with the adapter, which allauth imports only
    # when it first needs it: imported here, so the list does not depend on the test order.
    import sso.adapter  # noqa: F401

    labels = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    assert labels - VERDICTS.keys() == set(), "models without a retention verdict"
    assert VERDICTS.keys() - labels == set(), "verdicts of models that no longer exist"
    assert {verdict for verdict, _why in VERDICTS.values()} == {
        DELETED,
        EMPTIED,
        PSEUDONYMISED,
        KEPT,
    }


def test_add_months_takes_the_last_day_of_a_shorter_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 15), -14) == date(2024, 1, 15)
    assert add_months(date(2025, 11, 30), 12) == date(2026, 11, 30)


@pytest.mark.parametrize("day", [date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31)])
def test_latest_end_due_by_matches_the_due_date_of_every_day(settings, day):
    settings.RETENTION_MONTHS = 12
    latest = retention.latest_end_due_by(day)
    assert (
        retention.regular_due_on(latest)
        <= day
        < retention.regular_due_on(latest + timedelta(days=1))
    )


# --- one cohort that ended long ago, with a bit of everything --------------------------------

ENDED_DAYS_AGO = 400


def _at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def old(db, trainer, coach, utrecht):
    """A cohort that ended 400 days ago: one participant with nothing else (``alone``), one
    in a later cohort (``later``), one with a running coaching trajectory (``coached``)."""
    today = timezone.localdate()
    ends = today - timedelta(days=ENDED_DAYS_AGO)
    cohort = CohortFactory(
        starts_on=ends - timedelta(days=90),
        ends_on=ends,
        trainers=[trainer],
        bijeenkomsten=2,
    )
    module = cohort.leergang.module_links.first().module
    bijeenkomst = cohort.bijeenkomsten.first()
    alone = UserFactory(organisation=utrecht, first_name="Anna", last_name="Alleen")
    later = UserFactory(organisation=utrecht, first_name="Lotte", last_name="Later")
    coached = UserFactory(organisation=utrecht, first_name="Cas", last_name="Coaching")
    enrolments = {}
    for person in (alone, later, coached):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            participant=person,
            state=Enrolment.State.COMPLETED,
            certificate_code=f"code{person.pk:012d}",
            completed_at=_at(ends),
        )
        enrolment.transitions.update(reason="Voltooid na gesprek over thuissituatie")
        Reflection.objects.create(enrolment=enrolment, module=module, text="Mijn inzicht")
        Attendance.objects.create(
            enrolment=enrolment,
            bijeenkomst=bijeenkomst,
            status=Attendance.Status.EXCUSED,
            reason="Ziek",
        )
        enrolments[person] = enrolment
    cancelled = EnrolmentFactory(
        cohort=cohort,
        participant=UserFactory(organisation=utrecht),
        state=Enrolment.State.CANCELLED,
    )
    Enrolment.objects.filter(pk=cancelled.pk).update(decision_reason="Verhuisd naar Zwolle")

    running = CohortFactory(starts_on=today - timedelta(days=30), ends_on=today + timedelta(30))
    later_enrolment = EnrolmentFactory(cohort=running, participant=later)
    later_reflection = Reflection.objects.create(
        enrolment=later_enrolment, module=running.leergang.module_links.first().module, text="Nu"
    )
    TrajectoryFactory(participant=coached, coach=coach, state=Trajectory.State.RUNNING)

    # What is only the person's: all of it goes when they are pseudonymised.
    InsightsProfile.objects.create(participant=alone, red=40, yellow=30, green=20, blue=10)
    CalendarFeed.objects.create(user=alone)
    ReminderOptOut.objects.create(user=alone, kind="reflection_reminder")
    Notification.objects.create(recipient=alone, email=alone.email, kind="enrolment_enrolled")
    Invitation.objects.create(
        email=alone.email,
        first_name="Anna",
        last_name="Alleen",
        organisation=utrecht,
        roles=[Role.DEELNEMER],
        accepted_at=timezone.now(),
        accepted_user=alone,
    )
    assert EmailAddress.objects.filter(user=alone).exists()  # the factory's, as allauth's
    LogEntry.objects.create(
        user=trainer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(alone.pk),
        object_repr=str(alone),
        action_flag=CHANGE,
    )
    Authenticator.objects.create(user=alone, type=Authenticator.Type.RECOVERY_CODES, data={})
    SocialAccount.objects.create(user=alone, provider="gemeente-utrecht", uid="anna-1")
    Session.objects.create(session_key="s" * 32, session_data="", expire_date=_at(today, 23))
    UserSession.objects.create(user=alone, session_key="s" * 32, ip="127.0.0.1", user_agent="x")

    # Intervisie: a session with its case, a poll with answers, a reason for absence.
    group = GroupFactory(cohort=cohort, begeleider=trainer, members=list(enrolments.values()))
    session = IntervisieSessionFactory(
        group=group,
        starts_at=_at(ends - timedelta(days=20)),
        ends_at=_at(ends - timedelta(days=20), 12),
        status=IntervisieSession.Status.HELD,
        case_bringer=alone,
        case_title="Conflict met wethouder",
        case_text="Vertrouwelijk",
        notes="Notities",
        agreements="Afspraken",
    )
    SessionAttendance.objects.create(
        session=session, participant=later, status="excused", reason="Tandarts"
    )
    poll = PollFactory(group=group, closes_at=_at(ends - timedelta(days=40)), slot_count=2)
    for slot in poll.slots.all():
        for person in (alone, later):
            Vote.objects.create(slot=slot, voter=person, answer=Vote.Answer.YES)

    # Coaching as part of the enrolment: ended, with everything written in it.
    trajectory = TrajectoryFactory(
        participant=alone,
        coach=coach,
        enrolment=enrolments[alone],
        state=Trajectory.State.COMPLETED,
        leervraag="Hoe zeg ik nee tegen mijn leidinggevende?",
    )
    trajectory.transitions.create(to_state="completed", reason="Alle doelen gehaald")
    goal = Goal.objects.create(trajectory=trajectory, description="Grenzen stellen")
    GoalUpdate.objects.create(goal=goal, progress=50, note="Halverwege")
    coaching_session = CoachingSessionFactory(
        trajectory=trajectory,
        starts_at=_at(ends - timedelta(days=10)),
        ends_at=_at(ends - timedelta(days=10), 11),
        status=CoachingSession.Status.HELD,
        preparation="Voorbereiding",
        summary="Samenvatting",
        participant_comment="Opmerking",
    )
    PrivateNote.objects.create(session=coaching_session, coach=coach, text="Prive")

    # Evaluations: the invitations go, the anonymous answers stay.
    EvaluationInvitation.objects.create(
        kind=EvaluationInvitation.Kind.LEERGANG,
        recipient=alone,
        cohort=cohort,
        expires_at=_at(ends + timedelta(days=14)),
        used=True,
    )
    EvaluationInvitation.objects.create(
        kind=EvaluationInvitation.Kind.BIJEENKOMST,
        recipient=later,
        bijeenkomst=bijeenkomst,
        expires_at=_at(ends),
    )
    answer = Answer.objects.create(
        kind=Answer.Kind.LEERGANG,
        leergang=cohort.leergang,
        cohort=cohort,
        organisation=utrecht,
        answered_on=ends,
        grade=8,
        recommendation=9,
        comments="Heel leerzaam",
    )
    GoalScore.objects.create(answer=answer, module=module, goal="Je kent je stijl", score=4)
    return {
        "cohort": cohort,
        "alone": alone,
        "later": later,
        "coached": coached,
        "enrolments": enrolments,
        "later_reflection": later_reflection,
        "running": running,
        "session": session,
        "coaching_session": coaching_session,
        "trajectory": trajectory,
        "answer": answer,
    }


def test_an_ended_cohort_is_due_after_its_retention_period(old, settings):
    settings.RETENTION_MONTHS = 12
    cohort = old["cohort"]
    due = add_months(cohort.ends_on, 12)
    with time_machine.travel(_at(due - timedelta(days=1), 12), tick=False):
        assert cohort not in retention_due()
        assert apply_retention(cohort=cohort) is None
    with time_machine.travel(_at(due, 0), tick=False):
        assert list(retention_due()) == [cohort]
    settings.RETENTION_MONTHS = 24  # configurable: the same cohort is not due yet
    assert cohort not in retention_due()


def test_retention_removes_the_personal_content_and_keeps_the_counts(old):
    counts = apply_retention(cohort=old["cohort"])
    assert counts == {
        "reflections": 3,
        "reasons": 3 + 1 + 3,  # attendance, the cancellation, transitions with a reason
        "intervisie_sessions": 1,
        "poll_answers": 4,
        "intervisie_reasons": 1,
        "coaching": 1 + 1 + 1,  # a session with text, a goal, a learning question
        "private_notes": 1,
        "evaluation_invitations": 2,
        "people": 2,  # the one alone, and the cancelled one
    }
    cohort = Cohort.objects.get(pk=old["cohort"].pk)
    assert cohort.personal_data_removed_at is not None
    # Deleted
    assert not Reflection.objects.filter(enrolment__cohort=cohort).exists()
    assert not Vote.objects.filter(slot__poll__group__cohort=cohort).exists()
    assert not Goal.objects.exists() and not GoalUpdate.objects.exists()
    assert not PrivateNote.objects.exists()
    assert not EvaluationInvitation.objects.exists()
    # Emptied: the rows stay for the counts
    session = IntervisieSession.objects.get(pk=old["session"].pk)
    assert (session.case_title, session.case_text, session.notes, session.agreements) == (("",) * 4)
    assert session.case_bringer is None and session.status == IntervisieSession.Status.HELD
    coaching = CoachingSession.objects.get(pk=old["coaching_session"].pk)
    assert (coaching.preparation, coaching.summary, coaching.participant_comment) == ("",) * 3
    assert coaching.status == CoachingSession.Status.HELD
    trajectory = Trajectory.objects.get(pk=old["trajectory"].pk)
    assert trajectory.leervraag == "" and trajectory.agreed_sessions == 6
    assert not trajectory.transitions.exclude(reason="").exists()
    assert set(Attendance.objects.values_list("status", "reason")) == {("excused", "")}
    assert not Enrolment.objects.filter(cohort=cohort).exclude(decision_reason="").exists()
    assert not EnrolmentTransition.objects.exclude(reason="").exists()
    assert not SessionAttendance.objects.exclude(reason="").exists()
    # Kept
    assert Enrolment.objects.filter(cohort=cohort, state=Enrolment.State.COMPLETED).count() == 3
    assert Attendance.objects.filter(bijeenkomst__cohort=cohort).count() == 3
    assert Answer.objects.get(pk=old["answer"].pk).comments == "Heel leerzaam"
    assert GoalScore.objects.count() == 1
    assert Reflection.objects.filter(pk=old["later_reflection"].pk).exists()
    assert cohort.intervisie_groups.get().memberships.count() == 3


def test_only_people_with_nothing_else_running_are_pseudonymised(old):
    alone, later, coached = old["alone"], old["later"], old["coached"]
    apply_retention(cohort=old["cohort"])
    alone.refresh_from_db()
    assert alone.get_full_name() == f"Oud-deelnemer {alone.pk}"
    assert alone.email == f"oud-deelnemer-{alone.pk}@verwijderd.invalid"
    assert not alone.is_active and not alone.has_usable_password()
    assert alone.organisation is not None  # HR's counts per organisation stay right
    for model, field in (
        (InsightsProfile, "participant"),
        (CalendarFeed, "user"),
        (ReminderOptOut, "user"),
        (Notification, "recipient"),
        (EmailAddress, "user"),
        (Authenticator, "user"),
        (SocialAccount, "user"),
        (UserSession, "user"),
    ):
        assert not model.objects.filter(**{field: alone}).exists(), model
    assert not Session.objects.exists()
    assert not Invitation.objects.filter(accepted_user=alone).exists()
    assert not Invitation.objects.filter(first_name="Anna").exists()
    assert LogEntry.objects.get(object_id=str(alone.pk)).object_repr == f"Oud-deelnemer {alone.pk}"
    # In a later cohort, or with a running trajectory: as they were.
    for person, name in ((later, "Lotte Later"), (coached, "Cas Coaching")):
        person.refresh_from_db()
        assert person.get_full_name() == name and person.is_active


def test_the_last_cohort_of_a_person_pseudonymises_them(old):
    """``later`` keeps their name while their running cohort is kept, and loses it with it."""
    later, running = old["later"], old["running"]
    apply_retention(cohort=old["cohort"])
    Cohort.objects.filter(pk=running.pk).update(
        starts_on=old["cohort"].starts_on, ends_on=old["cohort"].ends_on
    )
    assert apply_retention(cohort=running)["people"] == 1
    later.refresh_from_db()
    assert later.get_full_name() == f"Oud-deelnemer {later.pk}"


def test_the_certificate_page_shows_no_name_after_retention(client, old):
    code = old["enrolments"][old["later"]].certificate_code
    url = reverse("leergang:certificate-verify", args=[code])
    assert "Lotte Later" in client.get(url).content.decode()
    apply_retention(cohort=old["cohort"])
    page = client.get(url).content.decode()
    assert old["cohort"].leergang.title in page
    assert "Lotte" not in page and "Later" not in page and "Oud-deelnemer" not in page
    alone_code = old["enrolments"][old["alone"]].certificate_code
    response = client.get(reverse("leergang:certificate-verify", args=[alone_code]))
    assert response.status_code == 200 and "Oud-deelnemer" not in response.content.decode()


def test_a_second_run_changes_nothing_and_records_nothing(old):
    assert apply_retention(cohort=old["cohort"]) is not None
    records = AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_APPLIED)
    record = records.get()
    assert record.object_id == str(old["cohort"].pk)
    assert "reflections=3" in record.detail and "people=2" in record.detail
    assert record.subjects.count() == 4
    people = list(User.objects.order_by("pk").values())
    assert apply_retention(cohort=old["cohort"]) is None
    assert retention_apply_task() == 0
    assert records.count() == 1
    assert list(User.objects.order_by("pk").values()) == people


def test_a_postponed_cohort_waits_for_its_new_date(old, beheerder):
    cohort = old["cohort"]
    today = timezone.localdate()
    RetentionPostponement.objects.create(
        cohort=cohort, until=today + timedelta(days=10), reason="Bezwaarprocedure", by=beheerder
    )
    assert cohort not in retention_due()
    assert retention_apply_task() == 0
    with time_machine.travel(_at(today + timedelta(days=10), 3), tick=False):
        assert retention_apply_task() == 1
    assert Cohort.objects.get(pk=cohort.pk).personal_data_removed_at is not None


def test_the_daily_pass_of_make_run_applies_retention(old):
    done = run_pass(purge=True)
    assert done.daily == {"cohorts whose personal data was removed": 1}
    assert "cohorts whose personal data was removed: 1" in done.summary()
    assert run_pass(purge=False).daily == {}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_apply_it_once(old):
    cohort = old["cohort"]
    results = run_in_parallel(lambda: apply_retention(cohort=cohort), 2)
    applied = [result for result in results if result is not None]
    assert len(applied) == 1, results
    assert not any(isinstance(result, Exception) for result in results)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_APPLIED).count() == 1


# --- the programme office's page --------------------------------------------------------------


def test_the_page_lists_what_falls_due_with_what_will_happen(client, beheerder, old):
    soon = CohortFactory(
        starts_on=add_months(timezone.localdate(), -12) - timedelta(days=60),
        ends_on=add_months(timezone.localdate(), -12) + timedelta(days=20),
    )
    later_end = add_months(timezone.localdate(), -12) + timedelta(days=40)
    later = CohortFactory(ends_on=later_end, starts_on=later_end - timedelta(days=60))
    client.force_login(beheerder)
    page = client.get(reverse("leergang:retention")).content.decode()
    assert old["cohort"].name in page and soon.name in page and later.name not in page
    assert "achterstallig" in page  # the old one is overdue
    assert "Reflecties (leerlog): 3 te verwijderen" in page
    assert "2 deelnemers te pseudonimiseren" in page
    assert page.index(old["cohort"].name) < page.index(soon.name)


def test_the_page_keeps_its_query_count_when_the_data_grows_tenfold(client, beheerder, old):
    few = page_query_count(client, reverse("leergang:retention"), beheerder)
    ends = add_months(timezone.localdate(), -12) - timedelta(days=5)
    for _ in range(10):
        cohort = CohortFactory(ends_on=ends, starts_on=ends - timedelta(days=60), participants=3)
        bijeenkomst = BijeenkomstFactory(cohort=cohort, starts_at=_at(ends), ends_at=_at(ends, 12))
        module = cohort.leergang.module_links.first().module
        for enrolment in cohort.enrolments.all():
            Attendance.objects.create(
                enrolment=enrolment, bijeenkomst=bijeenkomst, status="excused", reason="Ziek"
            )
            Reflection.objects.create(enrolment=enrolment, module=module, text="Inzicht")
    assert page_query_count(client, reverse("leergang:retention")) == few


def _postpone_url(cohort):
    return reverse("leergang:retention-postpone", args=[cohort.pk])


def test_postponing_needs_a_date_in_range_and_a_reason(client, beheerder, old):
    cohort = old["cohort"]
    client.force_login(beheerder)
    today = timezone.localdate()
    regular = add_months(cohort.ends_on, 12)
    cases = [
        ({"until": "", "reason": "Klacht"}, "Dit veld is verplicht."),
        ({"until": "morgen", "reason": "Klacht"}, "Voer een geldige datum in."),
        ({"until": today.isoformat(), "reason": "Klacht"}, "Kies een datum na"),
        (
            {"until": (add_months(regular, 12) + timedelta(days=1)).isoformat(), "reason": "K"},
            "Kies een datum uiterlijk op",
        ),
        ({"until": (today + timedelta(days=30)).isoformat(), "reason": "   "}, "verplicht"),
    ]
    for data, message in cases:
        response = client.post(_postpone_url(cohort), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not RetentionPostponement.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_POSTPONED).exists()


def test_a_postponement_is_saved_once_recorded_and_shown(client, beheerder, old):
    cohort = old["cohort"]
    client.force_login(beheerder)
    form = client.get(_postpone_url(cohort)).context["form"]
    until = timezone.localdate() + timedelta(days=20)
    data = {
        "until": until.isoformat(),
        "reason": "Klacht in behandeling",
        "once": form["once"].value(),
    }
    first = client.post(_postpone_url(cohort), data)
    second = client.post(_postpone_url(cohort), data)
    assert first.status_code == second.status_code == 302
    assert "al verstuurd" in messages_of(second)
    postponement = RetentionPostponement.objects.get()
    assert (postponement.until, postponement.by) == (until, beheerder)
    record = AuditEvent.objects.get(action=AuditEvent.Action.RETENTION_POSTPONED)
    assert (record.actor, record.object_id) == (beheerder, str(cohort.pk))
    page = client.get(reverse("leergang:retention")).content.decode()
    assert (
        "Klacht in behandeling" in page and f"Uitgesteld door {beheerder.get_full_name()}" in page
    )
    assert retention.due_on(cohort) == until


def test_a_cohort_postponed_beyond_the_month_stays_in_sight(client, beheerder, old):
    cohort = old["cohort"]
    until = timezone.localdate() + timedelta(days=120)
    retention.retention_postpone(cohort=cohort, until=until, reason="Bezwaar loopt", by=beheerder)
    client.force_login(beheerder)
    page = client.get(reverse("leergang:retention")).content.decode()
    assert "In de komende maand is er niets aan de beurt." in page
    assert "Uitgesteld tot na de komende maand" in page
    assert cohort.name in page and "Bezwaar loopt" in page


def test_a_cohort_whose_data_is_gone_cannot_be_postponed(client, beheerder, old):
    apply_retention(cohort=old["cohort"])
    client.force_login(beheerder)
    assert client.get(_postpone_url(old["cohort"])).status_code == 404


def test_the_programme_office_finds_the_page_in_its_menu(client, beheerder, hr):
    client.force_login(beheerder)
    assert reverse("leergang:retention") in client.get(reverse("portal:home")).content.decode()
    client.force_login(hr)
    assert reverse("leergang:retention") not in client.get(reverse("portal:home")).content.decode()


def test_a_trajectory_running_at_the_due_date_goes_once_ended_as_long(old, settings):
    """The cohort's retention leaves a running trajectory whole and its participant named;
    ended, it is kept RETENTION_MONTHS as a cohort is, and then the daily pass removes what
    it would have removed at the due date, and the name."""
    coached = old["coached"]
    trajectory = Trajectory.objects.get(participant=coached)
    trajectory.enrolment = old["enrolments"][coached]
    trajectory.leervraag = "Hoe houd ik overzicht?"
    trajectory.save()
    session = CoachingSessionFactory(
        trajectory=trajectory,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
        status=CoachingSession.Status.HELD,
        summary="Samenvatting van het gesprek",
    )
    PrivateNote.objects.create(session=session, coach=trajectory.coach, text="Werkaantekening")
    apply_retention(cohort=old["cohort"])
    trajectory.refresh_from_db()
    assert trajectory.leervraag and PrivateNote.objects.exists()

    ended = timezone.localdate() + timedelta(days=30)
    with time_machine.travel(_at(ended), tick=False):
        trajectory.state = Trajectory.State.COMPLETED
        trajectory.save()
        trajectory.transitions.create(to_state="completed", reason="Doelen gehaald")
        assert retention.retention_apply_late() == 0
    due = add_months(ended, settings.RETENTION_MONTHS)
    with time_machine.travel(_at(due - timedelta(days=1), 23), tick=False):
        assert retention_apply_task() == 0
    coached.refresh_from_db()
    assert coached.get_full_name() == "Cas Coaching"

    with time_machine.travel(_at(due, 0), tick=False):
        # The fixture's running cohort, which ends the same day, falls due too.
        assert retention_apply_task() == 2
        assert retention_apply_task() == 0  # done: nothing more, nothing recorded
    trajectory.refresh_from_db()
    assert trajectory.leervraag == "" and trajectory.state == Trajectory.State.COMPLETED
    assert not trajectory.transitions.exclude(reason="").exists()
    assert CoachingSession.objects.get(pk=session.pk).summary == ""
    assert not PrivateNote.objects.exists()
    coached.refresh_from_db()
    assert coached.get_full_name() == f"Oud-deelnemer {coached.pk}" and not coached.is_active
    late = AuditEvent.objects.filter(
        action=AuditEvent.Action.RETENTION_APPLIED, detail__startswith="late"
    ).get()
    assert "people=1" in late.detail and "private_notes=1" in late.detail
    assert list(late.subjects.values_list("person_id", flat=True)) == [coached.pk]
