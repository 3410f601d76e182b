"""The admin changes domain state only through the services (issue 9, item 8).

Every registered ModelAdmin and inline is listed here with what it may do, so a new one
forces a decision.
"""

from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils.timezone import localtime as local

from coaching.models import Trajectory, TrajectoryTransition
from evaluations.models import Invitation as EvaluationInvitation
from intervisie.models import Method
from leergang import models as lg
from portal import services as portal_services
from portal.models import (
    Invitation,
    InvitationImport,
    Notification,
    Organisation,
    Role,
    User,
    UserRole,
)
from sso.models import IdentityProvider
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    IntervisieSessionFactory,
    InvitationFactory,
    LeergangFactory,
    ModuleFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.helpers import admin_trajectory_form

pytestmark = pytest.mark.django_db


@dataclass
class Rule:
    make: object  # builds one row to look at
    state: tuple[str, ...] = ()  # fields that change only through a service
    delete: bool = True  # may the beheerder delete a plain row here


def _notification():
    return Notification.objects.create(email="iemand@voorbeeld.example", kind="invitation")


def _invitation_import():
    return InvitationImport.objects.create(
        organisation=OrganisationFactory(), file_name="mensen.csv", content=b""
    )


def _evaluation_invitation():
    from datetime import timedelta

    from django.utils import timezone

    enrolment = EnrolmentFactory()
    return EvaluationInvitation.objects.create(
        kind=EvaluationInvitation.Kind.LEERGANG,
        recipient=enrolment.participant,
        cohort=enrolment.cohort,
        expires_at=timezone.now() + timedelta(days=1),
    )


def _evaluation_answer():
    from evaluations.services import answer_submit

    return answer_submit(token=_evaluation_invitation().token, grade=8, recommendation=9)


def _method():
    return Method.objects.create(name="Testmethode", summary="Kort", steps="Een\nTwee")


def _identity_provider():
    return IdentityProvider.objects.create(
        organisation=OrganisationFactory(),
        protocol=IdentityProvider.Protocol.OIDC,
        server_url="https://login.voorbeeld.example",
        client_id="portaal",
        email_domains="voorbeeld.example",
    )


ADMIN_RULES = {
    EmailAddress: Rule(
        lambda: EmailAddress.objects.first() or UserFactory().emailaddress_set.get(),
        state=("email", "verified", "primary", "user"),
        delete=False,
    ),
    Organisation: Rule(OrganisationFactory),
    User: Rule(UserFactory, state=("email", "last_login", "date_joined")),
    Invitation: Rule(
        InvitationFactory,
        state=("email", "roles", "organisation", "expires_at", "accepted_at", "revoked_at"),
        delete=False,
    ),
    Notification: Rule(
        _notification, state=("sent_at", "claimed_at", "attempts", "email"), delete=False
    ),
    InvitationImport: Rule(
        _invitation_import, state=("state", "processed_rows", "created_count"), delete=False
    ),
    lg.Module: Rule(ModuleFactory),
    lg.Leergang: Rule(LeergangFactory),
    lg.Cohort: Rule(CohortFactory),
    lg.Enrolment: Rule(
        EnrolmentFactory,
        state=(
            "state",
            "cohort",
            "participant",
            "waitlisted_at",
            "decision_reason",
            "completed_at",
            "certificate_code",
        ),
        delete=False,
    ),
    Method: Rule(_method, state=("created_by",)),
    # Configuration only: the admin's form runs the model's checks, as the service does.
    IdentityProvider: Rule(_identity_provider),
    Trajectory: Rule(
        TrajectoryFactory,
        state=("state", "agreed_sessions", "participant", "coach", "funded_by", "enrolment"),
        delete=False,
    ),
    # Evaluations: invitations come from the scan and are used by the answer; read-only.
    # Answers are not in the admin (see evaluations/admin.py).
    EvaluationInvitation: Rule(
        _evaluation_invitation,
        state=("kind", "recipient", "bijeenkomst", "cohort", "trajectory", "token", "used"),
        delete=False,
    ),
}

# Inlines: "audit" rows are shown only; "service" ones are saved by a service; "catalogue"
# ones hold no state a service guards.
INLINE_RULES = {
    lg.EnrolmentTransition: "audit",
    TrajectoryTransition: "audit",
    UserRole: "service",
    lg.Material: "catalogue",
    lg.LeergangModule: "catalogue",
    lg.Bijeenkomst: "catalogue",
}


@pytest.fixture
def admin_request(beheerder):
    request = RequestFactory().get("/beheer/")
    request.user = beheerder
    return request


def _editable(model_admin, request, obj) -> set[str]:
    if not model_admin.has_change_permission(request, obj):
        return set()
    return set(model_admin.get_form(request, obj).base_fields)


def test_every_registered_admin_has_a_rule():
    assert set(admin.site._registry) == set(ADMIN_RULES)


def test_every_inline_has_a_rule():
    inlines = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    assert inlines == set(INLINE_RULES)


@pytest.mark.parametrize("model", list(ADMIN_RULES), ids=lambda model: model._meta.label)
def test_state_fields_are_read_only_and_delete_is_refused_where_a_service_is_skipped(
    admin_request, model
):
    rule = ADMIN_RULES[model]
    obj = rule.make()
    model_admin = admin.site._registry[model]
    assert _editable(model_admin, admin_request, obj).isdisjoint(rule.state)
    assert model_admin.has_delete_permission(admin_request, obj) is rule.delete
    if not rule.delete:
        assert "delete_selected" not in model_admin.get_actions(admin_request)


def test_audit_inlines_are_read_only(admin_request):
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(admin_request):
            if INLINE_RULES[inline.model] != "audit":
                continue
            assert not inline.has_add_permission(admin_request, None)
            assert not inline.has_delete_permission(admin_request, None)
            assert set(inline.get_readonly_fields(admin_request)) >= set(inline.fields)


def test_bulk_delete_is_gone_where_deletion_depends_on_the_row(admin_request):
    for model in (User, Method):
        assert "delete_selected" not in admin.site._registry[model].get_actions(admin_request)


# --- enrolments -----------------------------------------------------------------------------


def test_cancelling_enrolments_in_the_admin_audits_and_promotes_the_waiting_list(client, beheerder):
    cohort = CohortFactory(seats=1)
    seated = EnrolmentFactory(cohort=cohort)
    waiting = EnrolmentFactory(cohort=cohort, state=lg.Enrolment.State.WAITLISTED)
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:leergang_enrolment_changelist"),
        {"action": "cancel_enrolments", "_selected_action": [seated.pk]},
        follow=True,
    )
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.state == lg.Enrolment.State.CANCELLED
    assert seated.transitions.filter(to_state=lg.Enrolment.State.CANCELLED, by=beheerder).exists()
    assert waiting.state == lg.Enrolment.State.ENROLLED
    assert waiting.transitions.filter(to_state=lg.Enrolment.State.ENROLLED).exists()
    assert "1 inschrijving geannuleerd." in response.content.decode()


def test_the_admin_deletes_no_enrolment(client, beheerder):
    enrolment = EnrolmentFactory()
    client.force_login(beheerder)
    client.post(
        reverse("admin:leergang_enrolment_changelist"),
        {"action": "delete_selected", "_selected_action": [enrolment.pk], "post": "yes"},
    )
    response = client.post(reverse("admin:leergang_enrolment_delete", args=[enrolment.pk]))
    assert response.status_code == 403
    assert lg.Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_a_bijeenkomst_with_attendance_is_not_deleted_through_the_cohort(client, beheerder):
    cohort = CohortFactory(participants=1, bijeenkomsten=1)
    bijeenkomst = cohort.bijeenkomsten.get()
    lg.Attendance.objects.create(
        enrolment=cohort.enrolments.get(), bijeenkomst=bijeenkomst, status="present"
    )
    client.force_login(beheerder)
    data = {
        "leergang": cohort.leergang_id,
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "seats": cohort.seats,
        "cancellation_deadline": cohort.cancellation_deadline.isoformat(),
        "min_attendance_percent": 80,
        "reflections_required": "on",
        "bijeenkomsten-TOTAL_FORMS": "1",
        "bijeenkomsten-INITIAL_FORMS": "1",
        "bijeenkomsten-0-id": bijeenkomst.pk,
        "bijeenkomsten-0-cohort": cohort.pk,
        "bijeenkomsten-0-title": bijeenkomst.title,
        "bijeenkomsten-0-starts_at_0": local(bijeenkomst.starts_at).strftime("%Y-%m-%d"),
        "bijeenkomsten-0-starts_at_1": local(bijeenkomst.starts_at).strftime("%H:%M"),
        "bijeenkomsten-0-ends_at_0": local(bijeenkomst.ends_at).strftime("%Y-%m-%d"),
        "bijeenkomsten-0-ends_at_1": local(bijeenkomst.ends_at).strftime("%H:%M"),
        "bijeenkomsten-0-DELETE": "on",
    }
    response = client.post(reverse("admin:leergang_cohort_change", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert "kan niet worden verwijderd" in response.content.decode()
    assert lg.Bijeenkomst.objects.filter(pk=bijeenkomst.pk).exists()


# --- people and invitations -----------------------------------------------------------------


def test_a_person_with_an_enrolment_is_not_deleted_in_the_admin(client, beheerder):
    enrolment = EnrolmentFactory()
    client.force_login(beheerder)
    url = reverse("admin:portal_user_delete", args=[enrolment.participant_id])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=enrolment.participant_id).exists()


def test_roles_set_in_the_admin_go_through_the_service(client, beheerder, provider, monkeypatch):
    person = UserFactory(organisation=provider, roles=[Role.TRAINER])
    calls = []
    real = portal_services.user_set_roles
    monkeypatch.setattr(
        portal_services,
        "user_set_roles",
        lambda **kwargs: calls.append(kwargs) or real(**kwargs),
    )
    client.force_login(beheerder)
    role = person.role_rows.get()
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
    assert calls == [{"user": person, "roles": {Role.TRAINER, Role.COACH}}]
    assert set(person.role_rows.values_list("role", flat=True)) == {Role.TRAINER, Role.COACH}


def test_an_invitation_is_made_on_the_portal_page_that_sends_it(client, beheerder):
    client.force_login(beheerder)
    response = client.get(reverse("admin:portal_invitation_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:invitation-create")


def test_invitations_are_withdrawn_and_resent_through_the_services(client, beheerder):
    pending = InvitationFactory()
    used = InvitationFactory(accepted_at=pending.created_at)
    client.force_login(beheerder)
    changelist = reverse("admin:portal_invitation_changelist")
    old_token = pending.token
    response = client.post(
        changelist,
        {"action": "resend_invitations", "_selected_action": [pending.pk, used.pk]},
        follow=True,
    )
    pending.refresh_from_db()
    assert pending.token != old_token
    assert Notification.objects.filter(email=pending.email, kind="invitation").exists()
    assert not Notification.objects.filter(email=used.email).exists()
    assert "1 uitnodiging opnieuw verstuurd." in response.content.decode()
    response = client.post(
        changelist,
        {"action": "revoke_invitations", "_selected_action": [pending.pk, used.pk]},
        follow=True,
    )
    pending.refresh_from_db()
    used.refresh_from_db()
    assert pending.revoked_at is not None
    assert used.revoked_at is None
    assert "1 uitnodiging ingetrokken." in response.content.decode()


# --- coaching -------------------------------------------------------------------------------


def test_the_admin_changes_no_agreed_sessions_and_deletes_no_trajectory(client, beheerder):
    trajectory = TrajectoryFactory()
    client.force_login(beheerder)
    url = reverse("admin:coaching_trajectory_change", args=[trajectory.pk])
    client.post(url, {"agreed_sessions": 40})
    trajectory.refresh_from_db()
    assert trajectory.agreed_sessions == 6
    delete = reverse("admin:coaching_trajectory_delete", args=[trajectory.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Trajectory.objects.filter(pk=trajectory.pk).exists()


def test_a_method_sessions_were_held_with_is_not_deleted(admin_request):
    session = IntervisieSessionFactory(method=_method())
    assert not admin.site._registry[Method].has_delete_permission(admin_request, session.method)


def test_a_trajectory_the_service_refuses_gets_a_dutch_message_not_a_500(
    client, beheerder, participant, coach
):
    TrajectoryFactory(participant=participant, coach=coach)
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:coaching_trajectory_add"),
        admin_trajectory_form(participant, coach),
        follow=True,
    )
    assert response.status_code == 200
    assert "heeft al een coachtraject" in response.content.decode()
    assert Trajectory.objects.count() == 1
