"""The audit trail, finished: what HR's and the programme office's pages of named people
record (and whom), exports, refusals, role changes with who made them, the programme
office's page with its filters, a person's own part, and the in-process purge."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from coaching.models import PrivateNote
from leergang.models import Enrolment
from portal import audit
from portal.models import AuditEvent, Notification, Role
from portal.scheduler import Scheduler
from tests import factories
from tests.factories import PASSWORD, UserFactory
from tests.helpers import page_query_count
from tests.hr.people_world import build_world

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
SECRETS = ("GEHEIME-REFLECTIE", "GEHEIME-CASUS", "GEHEIME-LEERVRAAG", "GEHEIME-NOTITIE")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The people list is kept per address in the cache; each test starts without it.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(utrecht, nijmegen, trainer):
    world = build_world(utrecht, nijmegen, trainer)
    session = world.anna.coaching_trajectories.first().sessions.first()
    PrivateNote.objects.create(session=session, coach=session.trajectory.coach, text=SECRETS[3])
    return world


def _records(action=Action.PERSONAL_DATA_READ, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("pk"))


def _subjects(event) -> set[int]:
    return set(event.subjects.values_list("person_id", flat=True))


def _audit_lines(caplog) -> list[dict]:
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "portal.audit"]


# --- reads of named people ------------------------------------------------------------------


def test_hr_people_list_records_one_read_naming_the_people_on_the_page(client, hr, world):
    client.force_login(hr)
    assert client.get(reverse("hr:people")).status_code == 200
    (read,) = _records()
    assert (read.actor, read.detail, read.object_type) == (hr, "hr:people", "leergang.Enrolment")
    assert _subjects(read) == {world.anna.pk, world.bram.pk, world.carla.pk}
    assert world.noor.pk not in _subjects(read)  # Nijmegen's, not on Utrecht's page
    # The second visit is served from the kept page: recorded all the same.
    client.get(reverse("hr:people"))
    second = _records()[-1]
    assert second.pk != read.pk and _subjects(second) == _subjects(read)


def test_what_was_searched_for_and_confidential_text_stay_out_of_the_record(
    client, hr, world, caplog
):
    caplog.set_level(logging.INFO, logger="portal.audit")
    client.force_login(hr)
    client.get(reverse("hr:people"), {"q": "Smit GEHEIME"})
    client.get(reverse("hr:people-export-csv"))
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    logged = json.dumps(_audit_lines(caplog))
    assert "hr:people" in stored and "hr:people" in logged
    for text in ("Smit", *SECRETS, "Stadsontwikkeling", world.anna.email, PASSWORD):
        assert text not in stored and text not in logged


def test_hr_people_exports_record_everyone_in_the_file(client, hr, world):
    client.force_login(hr)
    for name in ("hr:people-export-csv", "hr:people-export-xlsx"):
        assert client.get(reverse(name)).status_code == 200
    csv_export, xlsx_export = _records(Action.EXPORT)
    assert [csv_export.detail, xlsx_export.detail] == [
        "hr:people-export-csv",
        "hr:people-export-xlsx",
    ]
    for export in (csv_export, xlsx_export):
        assert export.actor == hr
        assert _subjects(export) == {world.anna.pk, world.bram.pk, world.carla.pk}
    # Filtered, the file holds one person, and so does its record.
    client.get(reverse("hr:people-export-csv"), {"q": "Carla"})
    assert _subjects(_records(Action.EXPORT)[-1]) == {world.carla.pk}


def test_the_dashboard_export_is_recorded_without_people(client, hr, world):
    client.force_login(hr)
    assert client.get(reverse("hr:dashboard-export", args=["xlsx"])).status_code == 200
    (export,) = _records(Action.EXPORT)
    assert (export.actor, export.detail, _subjects(export)) == (hr, "hr:dashboard-export", set())


def test_the_department_form_records_the_person(client, hr, world):
    client.force_login(hr)
    client.get(reverse("hr:person-department", args=[world.bram.pk]))
    (read,) = _records()
    assert (read.object_type, read.object_id) == ("portal.User", str(world.bram.pk))
    assert _subjects(read) == {world.bram.pk}


@pytest.mark.parametrize("persona", ["hr", "beheerder"])
def test_the_approval_queue_and_a_decision_record_the_people_asking(client, persona, request):
    viewer = request.getfixturevalue(persona)
    utrecht = request.getfixturevalue("utrecht")
    requests = [
        factories.EnrolmentFactory(
            participant=UserFactory(organisation=utrecht),
            cohort=factories.CohortFactory(requires_approval=True),
            state=Enrolment.State.REQUESTED,
        )
        for _ in range(2)
    ]
    client.force_login(viewer)
    client.get(reverse("leergang:approval-queue"))
    client.get(reverse("leergang:approval-decide", args=[requests[0].pk]))
    queue, decision = _records()
    assert queue.detail == "leergang:approval-queue"
    assert _subjects(queue) == {e.participant_id for e in requests}
    assert (decision.detail, decision.object_id) == (
        "leergang:approval-decide",
        str(requests[0].pk),
    )
    assert _subjects(decision) == {requests[0].participant_id}


def test_invitations_record_the_invitees_who_have_an_account(client, hr, utrecht):
    joined = UserFactory(organisation=utrecht)
    factories.InvitationFactory(organisation=utrecht, accepted_user=joined, invited_by=hr)
    factories.InvitationFactory(organisation=utrecht, invited_by=hr)
    client.force_login(hr)
    client.get(reverse("portal:invitation-list"))
    (read,) = _records()
    assert (read.detail, _subjects(read)) == ("portal:invitation-list", {joined.pk})


def test_the_outbox_records_the_recipients(client, beheerder, participant):
    Notification.objects.create(recipient=participant, email=participant.email, kind="invitation")
    client.force_login(beheerder)
    client.get(reverse("portal:outbox"))
    (read,) = _records()
    assert (read.actor, _subjects(read)) == (beheerder, {participant.pk})


@pytest.mark.parametrize("persona", ["hr", "beheerder"])
def test_the_trajectories_record_participants_and_coaches(client, persona, request, utrecht):
    viewer = request.getfixturevalue(persona)
    trajectory = factories.TrajectoryFactory(participant=UserFactory(organisation=utrecht))
    client.force_login(viewer)
    client.get(reverse("coaching:trajectories"))
    (read,) = _records()
    assert _subjects(read) == {trajectory.participant_id, trajectory.coach_id}


def test_the_programme_office_is_recorded_on_a_cohort_and_its_attendance_the_trainer_not(
    client, beheerder, trainer
):
    cohort = factories.CohortFactory(trainers=[trainer], bijeenkomsten=1)
    seated = factories.EnrolmentFactory(cohort=cohort)
    waiting = factories.EnrolmentFactory(cohort=cohort, state=Enrolment.State.WAITLISTED)
    factories.EnrolmentFactory(cohort=cohort, state=Enrolment.State.CANCELLED)
    bijeenkomst = cohort.bijeenkomsten.get()
    client.force_login(trainer)
    client.get(reverse("leergang:cohort-manage", args=[cohort.pk]))
    assert not _records()
    client.force_login(beheerder)
    client.get(reverse("leergang:cohort-manage", args=[cohort.pk]))
    client.get(reverse("leergang:attendance-edit", args=[bijeenkomst.pk]))
    matrix, attendance = _records()
    assert _subjects(matrix) == {seated.participant_id, waiting.participant_id}
    assert (matrix.object_type, matrix.object_id) == ("leergang.Cohort", str(cohort.pk))
    assert _subjects(attendance) == {seated.participant_id}


def test_the_own_data_export_is_recorded(client, participant):
    client.force_login(participant)
    client.get(reverse("portal:profile-export"))
    (export,) = _records(Action.EXPORT)
    assert (export.actor, export.detail, _subjects(export)) == (
        participant,
        "portal:profile-export",
        {participant.pk},
    )


def test_the_certificate_download_is_recorded_as_an_export(client, participant):
    enrolment = factories.EnrolmentFactory(
        participant=participant,
        state=Enrolment.State.COMPLETED,
        certificate_code="0123456789abcdef",
        completed_at=timezone.now(),
    )
    client.force_login(participant)
    assert (
        client.get(reverse("leergang:certificate-download", args=[enrolment.pk])).status_code == 200
    )
    (export,) = _records(Action.EXPORT)
    assert (export.detail, export.object_type, export.object_id) == (
        "leergang:certificate-download",
        "leergang.Enrolment",
        str(enrolment.pk),
    )
    assert _subjects(export) == {participant.pk}


def test_pages_of_other_roles_record_no_read(client, participant, trainer, coach):
    for person, name in [
        (participant, "portal:profile"),
        (trainer, "leergang:trainer-cohorts"),
        (coach, "coaching:overview"),
    ]:
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 200
    assert not _records()


@pytest.mark.parametrize(
    ("persona", "name", "record_queries"),
    [
        ("hr", "hr:people", 1),
        ("hr", "leergang:approval-queue", 1),
        ("hr", "portal:invitation-list", 1),
        ("beheerder", "portal:outbox", 1),
        ("beheerder", "coaching:trajectories", 1),
    ],
)
def test_a_recorded_page_costs_one_query_more(
    client, persona, name, record_queries, request, monkeypatch
):
    viewer = request.getfixturevalue(persona)
    organisation = viewer.organisation if persona == "hr" else request.getfixturevalue("utrecht")
    for _ in range(3):
        person = UserFactory(organisation=organisation)
        factories.EnrolmentFactory(participant=person, state=Enrolment.State.REQUESTED)
        factories.TrajectoryFactory(participant=person)
        factories.InvitationFactory(organisation=organisation, accepted_user=person)
        Notification.objects.create(recipient=person, email=person.email, kind="invitation")
    url = reverse(name)
    page_query_count(client, url, viewer)  # warm: sessions, kept pages
    recorded = page_query_count(client, url)
    monkeypatch.setattr(audit, "_insert", lambda event, people: None)
    cache.clear()
    page_query_count(client, url)
    unrecorded = page_query_count(client, url)
    assert recorded - unrecorded == record_queries


# --- refusals ---------------------------------------------------------------------------------


def test_a_refused_page_is_recorded_with_who_and_which_page(client, participant, caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    client.force_login(participant)
    assert client.get(reverse("hr:people")).status_code == 403
    (denied,) = _records(Action.PERMISSION_DENIED)
    assert (denied.actor, denied.detail, denied.outcome) == (
        participant,
        "hr:people",
        AuditEvent.Outcome.REFUSED,
    )
    assert denied.ip_address == "127.0.0.1"
    (line,) = [x for x in _audit_lines(caplog) if x["audit"]["action"] == "permission_denied"]
    assert line["audit"]["outcome"] == "refused" and line["audit"]["actor"] == participant.pk


def test_a_refusal_by_the_access_door_names_the_object(client, trainer, utrecht):
    # A visible object the user may not act on: the door's 403 (access.get_for_user).
    enrolment = factories.EnrolmentFactory(participant=UserFactory(organisation=utrecht))
    enrolment.cohort.trainers.add(trainer)
    client.force_login(trainer)
    assert client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk])).status_code == 403
    (denied,) = _records(Action.PERMISSION_DENIED)
    assert (denied.detail, denied.object_id) == ("leergang:enrolment-detail", str(enrolment.pk))


def test_another_organisations_object_is_a_404_and_no_refusal(client, outsider_hr, utrecht):
    person = UserFactory(organisation=utrecht)
    client.force_login(outsider_hr)
    response = client.get(reverse("hr:person-department", args=[person.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(
        action__in=[Action.PERMISSION_DENIED, Action.PERSONAL_DATA_READ]
    ).exists()


# --- role changes with who made them ----------------------------------------------------------


def test_roles_given_in_the_admin_name_the_programme_office(client, beheerder, provider):
    person = UserFactory(organisation=provider, roles=[Role.TRAINER])
    role = person.role_rows.get()
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:portal_user_change", args=[person.pk]),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "preferred_language": "nl",
            "organisation": provider.pk,
            "is_active": "on",
            "role_rows-TOTAL_FORMS": "2",
            "role_rows-INITIAL_FORMS": "1",
            "role_rows-0-id": role.pk,
            "role_rows-0-user": person.pk,
            "role_rows-0-role": Role.TRAINER,
            "role_rows-1-user": person.pk,
            "role_rows-1-role": Role.COACH,
        },
    )
    assert response.status_code == 302
    change = _records(Action.ROLE_CHANGED)[-1]
    assert (change.actor, change.detail, change.ip_address) == (
        beheerder,
        f"+{Role.COACH}",
        "127.0.0.1",
    )
    assert _subjects(change) == {person.pk}


def test_roles_of_an_accepted_invitation_name_the_inviter(client, hr, utrecht):
    invitation = factories.InvitationFactory(organisation=utrecht, invited_by=hr)
    response = client.post(
        reverse("portal:invitation-accept", args=[invitation.token]),
        {
            "first_name": "Iris",
            "last_name": "Bakker",
            "password1": "een-lange-zin-als-wachtwoord",
            "password2": "een-lange-zin-als-wachtwoord",
        },
    )
    assert response.status_code == 302
    change = _records(Action.ROLE_CHANGED)[-1]
    assert (change.actor, change.detail, change.ip_address) == (hr, f"+{Role.DEELNEMER}", None)


def test_a_role_changed_in_the_shell_names_nobody(utrecht):
    from portal.services import user_set_roles

    person = UserFactory(organisation=utrecht)
    user_set_roles(user=person, roles={Role.DEELNEMER, Role.HR})
    change = _records(Action.ROLE_CHANGED)[-1]
    assert (change.actor, change.detail) == (None, f"+{Role.HR}")


# --- the programme office's page ------------------------------------------------------------

AUDIT_URL = reverse("portal:audit")


def _trail(participant, hr, outsider):
    """A few records of each kind, over three days."""
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=3), tick=False):
        audit.record(Action.SIGN_IN, actor=participant)
    with time_machine.travel(now - timedelta(days=1), tick=False):
        audit.record(
            Action.PERSONAL_DATA_READ, actor=hr, detail="hr:people", subjects=[participant.pk]
        )
    audit.record(Action.PERMISSION_DENIED, actor=outsider, detail="hr:people", outcome="refused")


def _table(response) -> str:
    return response.content.decode().split("<tbody>")[-1].split("</tbody>")[0]


def test_the_audit_page_lists_newest_first_and_records_its_own_reading(
    client, beheerder, participant, hr, outsider
):
    _trail(participant, hr, outsider)
    client.force_login(beheerder)
    response = client.get(AUDIT_URL)
    assert response.status_code == 200
    # Newest first: the refusal, (the personas' roles,) the read, the participant's sign-in
    # three days ago.
    whats = [line.what for line in response.context["lines"] if line.what != "Rol gewijzigd"]
    assert whats == ["Toegang geweigerd", "Persoonsgegevens bekeken", "Ingelogd"]
    table = _table(response)
    assert "Medewerkers" in table and "HR van Gemeente Utrecht" in table
    read = _records()[-1]
    assert (read.actor, read.detail) == (beheerder, "portal:audit")
    assert {participant.pk, hr.pk, outsider.pk} <= _subjects(read)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "permission_denied"}, {"permission_denied"}),
        ({"outcome": "refused"}, {"permission_denied"}),
        # Their data read, and their role given when the persona was made.
        ({"person": "PERSON-OF-INTEREST"}, {"personal_data_read", "role_changed"}),
        ({"actor": "hr@utrecht"}, {"personal_data_read"}),
    ],
)
def test_the_audit_page_filters(client, beheerder, participant, hr, outsider, query, expected):
    participant.last_name = "PERSON-OF-INTEREST"
    participant.save()
    _trail(participant, hr, outsider)
    client.force_login(beheerder)
    response = client.get(AUDIT_URL, query)
    assert response.status_code == 200
    actions = {line.what for line in response.context["lines"]}
    labels = dict(Action.choices)
    assert actions == {str(labels[value]) for value in expected}


def test_the_audit_page_filters_by_date(client, beheerder, participant, hr, outsider):
    _trail(participant, hr, outsider)
    client.force_login(beheerder)
    today = timezone.localdate()
    two_days_ago = (today - timedelta(days=2)).isoformat()
    response = client.get(AUDIT_URL, {"until": two_days_ago})
    assert [line.what for line in response.context["lines"]] == ["Ingelogd"]
    response = client.get(AUDIT_URL, {"since": two_days_ago, "action": "sign_in"})
    assert all(line.at.date() >= today - timedelta(days=2) for line in response.context["lines"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "gisteren"}, "Voer een geldige datum in."),
        ({"action": "delete_all"}, "Selecteer een geldige keuze."),
        ({"since": "2026-12-03", "until": "2026-12-01"}, "Deze datum ligt voor de vanaf-datum."),
        ({"person": "x" * 101}, "niet meer dan 100 tekens"),
    ],
)
def test_a_bad_filter_value_is_a_dutch_message_and_400(client, beheerder, query, message):
    client.force_login(beheerder)
    response = client.get(AUDIT_URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    # What is no date is not written back into the date field (invalid HTML there).
    assert 'value="gisteren"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["hr", "participant", "trainer", "coach", "outsider_hr"])
def test_only_the_programme_office_reads_the_audit_page(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(AUDIT_URL).status_code == 403


def test_the_audit_page_costs_the_same_at_ten_times_the_records(client, beheerder, utrecht):
    def grow(times):
        for _ in range(times):
            person = UserFactory(organisation=utrecht)
            audit.record(Action.SIGN_IN, actor=person)
            audit.record(Action.PERSONAL_DATA_READ, actor=beheerder, subjects=[person.pk])
            audit.record(Action.ROLE_CHANGED, actor=beheerder, detail="+hr", subjects=[person.pk])

    grow(3)
    page_query_count(client, AUDIT_URL, beheerder)
    few = page_query_count(client, AUDIT_URL)
    grow(27)
    many = page_query_count(client, AUDIT_URL)
    filtered = page_query_count(client, f"{AUDIT_URL}?person=a&action=role_changed")
    assert few == many == filtered


# --- a person's own part ----------------------------------------------------------------------

OWN_URL = reverse("portal:profile-audit")


def test_the_profile_links_to_who_has_viewed_my_data(client, participant):
    client.force_login(participant)
    page = client.get(reverse("portal:profile")).content.decode()
    assert OWN_URL in page and "Wie heeft mijn gegevens bekeken" in page


def test_a_person_sees_who_viewed_their_data_and_only_their_own(
    client, participant, hr, beheerder, outsider, outsider_hr
):
    audit.record(Action.PERSONAL_DATA_READ, actor=hr, detail="hr:people", subjects=[participant.pk])
    audit.record(
        Action.EXPORT, actor=beheerder, detail="hr:people-export-csv", subjects=[participant.pk]
    )
    # About someone else, in another organisation: never on this page.
    audit.record(
        Action.PERSONAL_DATA_READ, actor=outsider_hr, detail="hr:people", subjects=[outsider.pk]
    )
    audit.record(Action.SIGN_IN, actor=outsider)
    audit.record(Action.SIGN_IN, actor=participant)
    client.force_login(participant)
    response = client.get(OWN_URL)
    assert response.status_code == 200
    lines = response.context["lines"]
    whos = [line.who for line in lines]
    assert f"{beheerder.get_full_name()}, programmabureau" in whos
    assert f"{hr.get_full_name()}, HR van Gemeente Utrecht" in whos
    assert "jijzelf" in whos  # their own sign-in
    page = response.content.decode()
    assert "Medewerkers" in page and "Persoonsgegevens bekeken" in page
    assert outsider.get_full_name() not in page and outsider_hr.get_full_name() not in page
    assert "Nijmegen" not in page
    assert len(lines) == audit.about(participant).count()


def test_the_own_part_costs_the_same_at_ten_times_the_records(client, participant, hr, utrecht):
    def grow(times):
        for _ in range(times):
            reader = UserFactory(organisation=utrecht, roles=[Role.HR])
            audit.record(
                Action.PERSONAL_DATA_READ,
                actor=reader,
                detail="hr:people",
                subjects=[participant.pk],
            )
            audit.record(
                Action.EXPORT, actor=hr, detail="hr:people-export-csv", subjects=[participant.pk]
            )

    grow(2)
    page_query_count(client, OWN_URL, participant)
    few = page_query_count(client, OWN_URL)
    grow(20)
    assert page_query_count(client, OWN_URL) == few


def test_the_own_part_is_paginated(client, participant, hr):
    for _ in range(30):
        audit.record(
            Action.PERSONAL_DATA_READ, actor=hr, detail="hr:people", subjects=[participant.pk]
        )
    client.force_login(participant)
    first = client.get(OWN_URL)
    second = client.get(OWN_URL, {"page": 2})
    assert len(first.context["lines"]) == 25
    assert len(second.context["lines"]) == audit.about(participant).count() - 25
    assert client.get(OWN_URL, {"page": 9}).status_code == 404


# --- the in-process scheduler of `make run` ----------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_loop_of_make_run_purges_the_audit_trail_daily(settings, daytime):
    settings.AUDIT_RETENTION_DAYS = 30
    clock = FakeClock()
    scheduler = Scheduler(interval=180, clock=clock, report=lambda text: None)
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        audit.record(Action.SIGN_IN)
    first = scheduler.tick()
    assert first.purged == 1 and not AuditEvent.objects.exists()
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        audit.record(Action.SIGN_IN)
    clock.now += 180
    assert scheduler.tick().purged is None  # a pass, but no purge yet
    clock.now += 24 * 60 * 60
    assert scheduler.tick().purged == 1
