"""Every URL of the portal, as every persona: the expected status.

Each row names a URL, how to build its arguments, the method, and the status per
persona. ``test_every_portal_url_has_a_row`` fails when a URL pattern of our own
apps has no row, so no page can be forgotten. Later issues add their rows.

Personas: anonymous, each role of Gemeente Utrecht / the provider, and users of
Gemeente Nijmegen (another organisation). Expected statuses: 200 (or 302 after a
successful POST), 302 to the login page for anonymous, 403 for a role that may
not, 404 for another organisation's object.
"""

import copy
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession
from evaluations.models import Invitation as EvaluationInvitation
from leergang import retention
from leergang.models import Enrolment, Reflection
from leergang.planning import modules_to_plan
from portal import charts
from portal.models import CalendarFeed, InvitationImport, Notification, Role
from sso.models import IdentityProvider
from tests.factories import PERSONAS as PERSONA_ROLES
from tests.factories import (
    AvailabilitySlotFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    InvitationFactory,
    MaterialFactory,
    PollFactory,
    TrajectoryFactory,
    UserFactory,
    make_persona,
)
from tests.helpers import rolled_back_at_end
from tests.url_patterns import our_url_patterns

PERSONAS = ["anonymous", *PERSONA_ROLES]
LOGIN = "login"  # expected: a redirect to the login page


@dataclass
class Row:
    name: str
    expected: dict[str, object]
    method: str = "get"
    args: callable = field(default=lambda objects: [])
    data: object = field(default_factory=dict)  # a dict, or a function of the objects

    def status_for(self, persona):
        return self.expected.get(persona, self.expected.get("*"))


ALL_SIGNED_IN_200 = {"anonymous": LOGIN, "*": 200}
INVITERS_ONLY = {"anonymous": LOGIN, "hr": 200, "beheerder": 200, "outsider_hr": 200, "*": 403}
# An action on Gemeente Utrecht's invitation: Nijmegen's HR gets a 404, not a 403.
UTRECHT_INVITATION_ACTION = {
    "anonymous": LOGIN,
    "hr": 302,
    "beheerder": 302,
    "outsider_hr": 404,
    "*": 403,
}
HR_ONLY = {"anonymous": LOGIN, "hr": 200, "outsider_hr": 200, "*": 403}
OFFICE_ONLY = {"anonymous": LOGIN, "beheerder": 200, "*": 403}
UTRECHT_PERSON = {"anonymous": LOGIN, "hr": 200, "outsider_hr": 404, "*": 403}
UTRECHT_IMPORT = {"anonymous": LOGIN, "hr": 200, "beheerder": 200, "outsider_hr": 404, "*": 403}

# The participant's own enrolment: others who can see it (its trainer, Utrecht's HR, the
# programme office) get 403 for the participant's pages; everyone else a 404.
OWN_ENROLMENT = {
    "anonymous": LOGIN,
    "participant": 200,
    "trainer": 403,
    "hr": 403,
    "beheerder": 403,
    "*": 404,
}

OWN_OFFER = {"anonymous": LOGIN, "participant": 200, "hr": 403, "beheerder": 403, "*": 404}

# Intervisie content: the group's members; the begeleider (trainer persona) sees it but is
# no member; everyone else does not even learn that it exists.
GROUP_MEMBER = {"anonymous": LOGIN, "participant": 200, "trainer": 403, "*": 404}
# Trainer pages: other roles are refused by role before any object is looked up.
BEGELEIDER_ONLY = {"anonymous": LOGIN, "trainer": 200, "*": 403}

# A coaching session: its participant and coach; another participant does not find it;
# every other role is refused by role.
COACHING_PAIR = {"anonymous": LOGIN, "participant": 200, "coach": 200, "outsider": 404, "*": 403}
# What only the participant writes (learning question, goals), and what only their coach does.
PARTICIPANT_WRITES = {"anonymous": LOGIN, "participant": 302, "outsider": 404, "*": 403}
COACH_WRITES = {"anonymous": LOGIN, "coach": 302, "*": 403}

# Inhalen: the participant's own enrolment and request (another participant: 404); the
# requests to decide: the programme office and trainers.
MAKE_UP_OWN = {"anonymous": LOGIN, "participant": 200, "outsider": 404, "*": 403}
MAKE_UP_DECIDERS = {"anonymous": LOGIN, "beheerder": 200, "trainer": 200, "*": 403}

# HR pages that read the HR user's own organisation: both HR personas, nobody else.
HR_OWN = {"anonymous": LOGIN, "hr": 200, "outsider_hr": 200, "*": 403}
UTRECHT_COHORT_FILTER = {"anonymous": LOGIN, "hr": 200, "outsider_hr": 400, "*": 403}


def _planning_cohort_data(cohort, **changes):
    """The programme office's cohort form for ``cohort`` as the browser sends it."""
    return {
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "seats": cohort.seats,
        "cancellation_deadline": cohort.cancellation_deadline.isoformat(),
        "min_attendance_percent": 80,
        **changes,
    }


ROWS = [
    # allauth's sign-in pages as sso serves them (their forms may lead to an identity
    # provider): the login page sends the signed-in home; a provider's confirmation page
    # answers anyone, a provider that does not exist (or is switched off) nobody.
    Row("account_login", {"anonymous": 200, "*": 302}),
    Row("openid_connect_login", {"*": 200}, args=lambda o: [o["oidc_provider"].provider_id]),
    Row("openid_connect_login", {"*": 404}, args=lambda o: ["bestaat-niet"]),
    Row("saml_login", {"*": 200}, args=lambda o: [o["saml_provider"].provider_id]),
    # The end of a SAML sign-in, without a response of the provider: refused for anyone.
    Row("saml_finish_acs", {"*": 403}, args=lambda o: [o["saml_provider"].provider_id]),
    # The programme office sets up how an organisation's people sign in.
    Row("sso:provider-list", {"anonymous": LOGIN, "beheerder": 200, "*": 403}),
    Row(
        "sso:provider-edit",
        {"anonymous": LOGIN, "beheerder": 200, "*": 403},
        args=lambda o: [o["oidc_provider"].organisation_id],
    ),
    Row(
        "sso:provider-edit",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        args=lambda o: [o["oidc_provider"].organisation_id],
        data={
            "protocol": "oidc",
            "server_url": "http://127.0.0.1:9/",
            "client_id": "autorisatietest",
            "email_domains": "utrecht.example",
        },
    ),
    Row("portal:home", ALL_SIGNED_IN_200),
    Row("portal:profile", ALL_SIGNED_IN_200),
    Row(
        "portal:profile",
        {"anonymous": LOGIN, "*": 302},
        method="post",
        data={
            "first_name": "Anna",
            "last_name": "Smit",
            "job_title": "",
            "preferred_language": "nl",
        },
    ),
    Row("portal:profile-export", ALL_SIGNED_IN_200),
    # Who has seen my data: every signed-in person, their own part only.
    Row("portal:profile-audit", ALL_SIGNED_IN_200),
    # The audit trail: the programme office's alone (HR of any organisation too is refused);
    # a filter value that is no date is a 400 with its message.
    Row("portal:audit", {"anonymous": LOGIN, "beheerder": 200, "*": 403}),
    Row(
        "portal:audit",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        data={"since": "gisteren"},
    ),
    # Retention periods: the programme office's alone, for every cohort (it keeps no one's
    # content); a date out of range or no reason is a 400 with its message, a cohort that
    # does not exist a 404.
    Row("leergang:retention", {"anonymous": LOGIN, "beheerder": 200, "*": 403}),
    Row(
        "leergang:retention-postpone",
        {"anonymous": LOGIN, "beheerder": 200, "*": 403},
        args=lambda o: [o["completed"].cohort_id],
    ),
    Row(
        "leergang:retention-postpone",
        {"anonymous": LOGIN, "beheerder": 404, "*": 403},
        args=lambda o: [o["completed"].cohort_id + 100_000],
    ),
    Row(
        "leergang:retention-postpone",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        args=lambda o: [o["completed"].cohort_id],
        data=lambda o: {
            "until": (retention.due_on(o["completed"].cohort) + timedelta(days=10)).isoformat(),
            "reason": "Klacht in behandeling",
        },
    ),
    Row(
        "leergang:retention-postpone",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        method="post",
        args=lambda o: [o["completed"].cohort_id],
        data={"until": "2000-01-01", "reason": "Te vroeg"},
    ),
    # The programme office's people pages (leergang.office): its alone, for the people of
    # every organisation (here a Nijmegen participant's enrolment); a bad filter value or an
    # empty reason is a 400 with its message, an enrolment that does not exist a 404.
    Row("leergang:office-enrolments", OFFICE_ONLY),
    Row(
        "leergang:office-enrolments",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        data={"organisation": "Nijmegen"},
    ),
    Row("leergang:office-enrol", OFFICE_ONLY),
    Row(
        "leergang:office-enrol",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        data=lambda o: {"cohort": o["open_cohort"].pk, "email": o["employee"].email},
    ),
    Row("leergang:office-enrolment-move", OFFICE_ONLY, args=lambda o: [o["nijmegen_enrolment"].pk]),
    Row(
        "leergang:office-enrolment-move",
        {"anonymous": LOGIN, "beheerder": 404, "*": 403},
        args=lambda o: [o["nijmegen_enrolment"].pk + 100_000],
    ),
    Row(
        "leergang:office-enrolment-move",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        args=lambda o: [o["nijmegen_enrolment"].pk],
        data=lambda o: {"to_cohort": o["nijmegen_target"].pk, "reason": "Andere datum"},
    ),
    Row(
        "leergang:office-enrolment-cancel", OFFICE_ONLY, args=lambda o: [o["nijmegen_enrolment"].pk]
    ),
    Row(
        "leergang:office-enrolment-cancel",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        args=lambda o: [o["nijmegen_enrolment"].pk],
        data={"reason": "Langdurig ziek"},
    ),
    Row(
        "leergang:office-enrolment-cancel",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        method="post",
        args=lambda o: [o["nijmegen_enrolment"].pk],
        data={"reason": ""},
    ),
    # Inhalen (leergang.makeup_views): the participant asks for their own enrolment (another
    # participant finds neither it nor the request); the programme office decides on every
    # request, a trainer on those for a cohort they train (another's is not found); HR,
    # coaches and participants are refused the deciding pages by role.
    Row(
        "leergang:make-up-new",
        MAKE_UP_OWN,
        args=lambda o: [o["enrolment"].pk, o["make_up"].missed_id],
    ),
    Row(
        "leergang:make-up-new",
        {**MAKE_UP_OWN, "participant": 404},
        args=lambda o: [o["enrolment"].pk, o["make_up"].bijeenkomst_id],
    ),
    Row(
        "leergang:make-up-new",
        {**MAKE_UP_OWN, "participant": 302},
        method="post",
        args=lambda o: [o["enrolment"].pk, o["bijeenkomst"].pk],
        data=lambda o: {"bijeenkomst": o["make_up_host"].pk},
    ),
    # Asked already for this one: refused with the reason.
    Row(
        "leergang:make-up-new",
        {**MAKE_UP_OWN, "participant": 400},
        method="post",
        args=lambda o: [o["enrolment"].pk, o["make_up"].missed_id],
        data=lambda o: {"bijeenkomst": o["make_up"].bijeenkomst_id},
    ),
    Row(
        "leergang:make-up-cancel",
        {**MAKE_UP_OWN, "participant": 302},
        method="post",
        args=lambda o: [o["make_up"].pk],
    ),
    Row(
        "leergang:make-up-cancel",
        {**MAKE_UP_OWN, "participant": 405, "outsider": 405},
        args=lambda o: [o["make_up"].pk],
    ),
    Row("leergang:make-up-list", MAKE_UP_DECIDERS),
    Row(
        "leergang:make-up-list",
        {**MAKE_UP_DECIDERS, "beheerder": 400, "trainer": 400},
        data={"state": "misschien"},
    ),
    Row("leergang:make-up-decide", MAKE_UP_DECIDERS, args=lambda o: [o["make_up"].pk]),
    Row(
        "leergang:make-up-decide",
        {**MAKE_UP_DECIDERS, "trainer": 404},
        args=lambda o: [o["other_make_up"].pk],
    ),
    Row(
        "leergang:make-up-decide",
        {**MAKE_UP_DECIDERS, "beheerder": 302, "trainer": 302},
        method="post",
        args=lambda o: [o["make_up"].pk],
        data={"decision": "approve"},
    ),
    Row(
        "leergang:make-up-decide",
        {**MAKE_UP_DECIDERS, "beheerder": 400, "trainer": 400},
        method="post",
        args=lambda o: [o["make_up"].pk],
        data={"decision": "reject", "reason": ""},
    ),
    # Planning: the programme office's alone (HR, trainers, coaches, participants: 403); a
    # cohort that does not exist is a 404, a form with what is refused a 400.
    Row("leergang:planning", OFFICE_ONLY),
    Row("leergang:planning-create", OFFICE_ONLY),
    Row(
        "leergang:planning-create",
        {**OFFICE_ONLY, "beheerder": 302},
        method="post",
        data=lambda o: _planning_cohort_data(o["open_cohort"], leergang=o["cohort"].leergang_id),
    ),
    Row(
        "leergang:planning-create",
        {**OFFICE_ONLY, "beheerder": 400},
        method="post",
        data=lambda o: _planning_cohort_data(o["open_cohort"], leergang="", seats=0),
    ),
    Row("leergang:planning-cohort", OFFICE_ONLY, args=lambda o: [o["cohort"].pk]),
    Row(
        "leergang:planning-cohort",
        {**OFFICE_ONLY, "beheerder": 404},
        args=lambda o: [o["cohort"].pk + 100_000],
    ),
    Row("leergang:planning-edit", OFFICE_ONLY, args=lambda o: [o["cohort"].pk]),
    Row(
        "leergang:planning-edit",
        {**OFFICE_ONLY, "beheerder": 302},
        method="post",
        args=lambda o: [o["cohort"].pk],
        data=lambda o: _planning_cohort_data(
            o["cohort"], trainers=list(o["cohort"].trainers.values_list("pk", flat=True))
        ),
    ),
    # Fewer seats than the one participant enrolled.
    Row(
        "leergang:planning-edit",
        {**OFFICE_ONLY, "beheerder": 400},
        method="post",
        args=lambda o: [o["cohort"].pk],
        data=lambda o: _planning_cohort_data(o["cohort"], seats=0),
    ),
    Row("leergang:planning-series", OFFICE_ONLY, args=lambda o: [o["open_cohort"].pk]),
    Row(
        "leergang:planning-series",
        {**OFFICE_ONLY, "beheerder": 400},
        args=lambda o: [o["open_cohort"].pk],
        data={"series-every_weeks": "0"},
    ),
    # Every module of this one has its bijeenkomst: back to the cohort.
    Row(
        "leergang:planning-series",
        {**OFFICE_ONLY, "beheerder": 302},
        args=lambda o: [o["cohort"].pk],
    ),
    Row(
        "leergang:planning-series",
        OFFICE_ONLY,  # the preview: nothing saved yet
        args=lambda o: [o["open_cohort"].pk],
        data=lambda o: {
            "series-first_day": o["open_cohort"].starts_on.isoformat(),
            "series-weekday": "1",
            "series-every_weeks": "2",
            "series-start": "13:30",
            "series-end": "17:00",
        },
    ),
    Row(
        "leergang:planning-series",
        {**OFFICE_ONLY, "beheerder": 302},
        method="post",
        args=lambda o: [o["open_cohort"].pk],
        data=lambda o: {
            **{
                f"{name}_{position}": value
                for position in range(2)
                for name, value in [
                    ("day", (o["open_cohort"].starts_on + timedelta(weeks=position)).isoformat()),
                    ("start", "13:30"),
                    ("end", "17:00"),
                ]
            },
            # The modules the preview showed these rows for.
            "modules_shown": ",".join(
                str(module.pk) for module in modules_to_plan(o["open_cohort"])
            ),
        },
    ),
    Row("leergang:planning-bijeenkomst", OFFICE_ONLY, args=lambda o: [o["bijeenkomst"].pk]),
    Row(
        "leergang:planning-bijeenkomst",
        {**OFFICE_ONLY, "beheerder": 302},
        method="post",
        args=lambda o: [o["bijeenkomst"].pk],
        data=lambda o: {
            "date": (o["cohort"].starts_on + timedelta(days=3)).isoformat(),
            "start": "09:00",
            "end": "12:00",
            "location": "Utrecht",
        },
    ),
    Row(
        "leergang:planning-bijeenkomst-cancel",
        {**OFFICE_ONLY, "beheerder": 302},
        method="post",
        args=lambda o: [o["bijeenkomst"].pk],
    ),
    Row(
        "leergang:planning-bijeenkomst-cancel",
        {**OFFICE_ONLY, "beheerder": 405},
        args=lambda o: [o["bijeenkomst"].pk],
    ),
    # One's own sessions only: ending with no or another person's session is refused (400).
    Row("portal:sessions", ALL_SIGNED_IN_200),
    Row("portal:sessions", {"anonymous": LOGIN, "*": 400}, method="post", data={"session": "1"}),
    Row(
        "portal:profile-reminders",
        {"anonymous": LOGIN, "*": 302},
        method="post",
        data={"wanted": ["appointment_reminder"]},
    ),
    Row("portal:profile-reminders", {"anonymous": LOGIN, "*": 405}),
    Row("portal:invitation-list", INVITERS_ONLY),
    Row("portal:invitation-create", INVITERS_ONLY),
    Row("portal:invitation-import", {"anonymous": LOGIN, "hr": 200, "outsider_hr": 200, "*": 403}),
    # Gemeente Utrecht's upload: its HR and the programme office; Nijmegen's HR a 404.
    Row(
        "portal:invitation-import-detail",
        UTRECHT_IMPORT,
        args=lambda o: [o["invitation_import"].pk],
    ),
    Row(
        "portal:invitation-import-status",
        UTRECHT_IMPORT,
        args=lambda o: [o["invitation_import"].pk],
    ),
    Row(
        "portal:invitation-revoke",
        UTRECHT_INVITATION_ACTION,
        method="post",
        args=lambda o: [o["invitation"].pk],
    ),
    Row(
        "portal:invitation-resend",
        UTRECHT_INVITATION_ACTION,
        method="post",
        args=lambda o: [o["invitation"].pk],
    ),
    # The token is the key: anyone may open it; a signed-in person is asked to sign out.
    Row(
        "portal:invitation-accept",
        {"anonymous": 200, "*": 409},
        args=lambda o: [o["invitation"].token],
    ),
    # HR's people list and its exports: each HR their own organisation's (never a 404: the
    # list is always theirs); a cohort only Utrecht's people are in is no filter for Nijmegen.
    Row("hr:people", HR_ONLY),
    Row("hr:people-export-csv", HR_ONLY),
    Row("hr:people-export-xlsx", HR_ONLY),
    Row(
        "hr:people",
        {"anonymous": LOGIN, "hr": 200, "outsider_hr": 400, "*": 403},
        data=lambda o: {"cohort": o["cohort"].pk},
    ),
    Row(
        "hr:people-export-xlsx",
        {"anonymous": LOGIN, "hr": 200, "outsider_hr": 400, "*": 403},
        data=lambda o: {"cohort": o["cohort"].pk},
    ),
    # The department of Gemeente Utrecht's employee: Utrecht's HR; Nijmegen's HR a 404.
    Row("hr:person-department", UTRECHT_PERSON, args=lambda o: [o["employee"].pk]),
    Row(
        "hr:person-department",
        {**UTRECHT_PERSON, "hr": 302},
        method="post",
        args=lambda o: [o["employee"].pk],
        data={"department": "Stadsontwikkeling"},
    ),
    # The outbox: the programme office's alone.
    Row("portal:outbox", {"anonymous": LOGIN, "beheerder": 200, "*": 403}),
    Row(
        "portal:outbox-resend",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        args=lambda o: [o["failed_notification"].pk],
    ),
    Row("portal:calendar", ALL_SIGNED_IN_200),
    Row("portal:calendar", {"anonymous": LOGIN, "*": 302}, method="post"),
    # A calendar program cannot sign in: the secret token is the key.
    Row("portal:calendar-feed", {"*": 200}, args=lambda o: [o["feed"].token]),
    # leergang: the catalogue is public
    Row("leergang:catalogue", {"*": 200}),
    Row("leergang:leergang-detail", {"*": 200}, args=lambda o: [o["cohort"].leergang.slug]),
    # The interest list (leergang.interest_views): a participant's own registration (any
    # organisation's participant, for themselves); a period that cannot be is a 400 with its
    # message; withdrawing is a POST. HR sees its own organisation's people only; the demand
    # per leergang and region is the programme office's; trainers are refused all of them.
    Row(
        "leergang:interest-edit",
        {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403},
        args=lambda o: [o["cohort"].leergang.slug],
    ),
    Row(
        "leergang:interest-edit",
        {"anonymous": LOGIN, "participant": 404, "outsider": 404, "*": 403},
        args=lambda o: ["bestaat-niet"],
    ),
    Row(
        "leergang:interest-edit",
        {"anonymous": LOGIN, "participant": 302, "outsider": 302, "*": 403},
        method="post",
        args=lambda o: [o["cohort"].leergang.slug],
        data={"region": "utrecht", "earliest_start": "", "latest_start": ""},
    ),
    Row(
        "leergang:interest-edit",
        {"anonymous": LOGIN, "participant": 400, "outsider": 400, "*": 403},
        method="post",
        args=lambda o: [o["cohort"].leergang.slug],
        data={"region": "", "earliest_start": "2000-01-01", "latest_start": ""},
    ),
    Row(
        "leergang:interest-withdraw",
        {"anonymous": LOGIN, "participant": 302, "outsider": 302, "*": 403},
        method="post",
        args=lambda o: [o["cohort"].leergang.slug],
    ),
    Row(
        "leergang:interest-withdraw",
        {"anonymous": LOGIN, "participant": 405, "outsider": 405, "*": 403},
        args=lambda o: [o["cohort"].leergang.slug],
    ),
    Row(
        "leergang:my-interests", {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403}
    ),
    Row("leergang:hr-interest", HR_OWN),
    Row("leergang:planning-demand", OFFICE_ONLY),
    Row(
        "leergang:cohort-enrol",
        {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403},
        args=lambda o: [o["open_cohort"].pk],
    ),
    # An op-maat cohort of Utrecht does not exist for Nijmegen's people.
    Row(
        "leergang:cohort-enrol",
        {"anonymous": LOGIN, "participant": 200, "outsider": 404, "*": 403},
        args=lambda o: [o["utrecht_cohort"].pk],
    ),
    Row(
        "leergang:cohort-enrol",
        {"anonymous": LOGIN, "participant": 302, "outsider": 302, "*": 403},
        method="post",
        args=lambda o: [o["open_cohort"].pk],
    ),
    Row(
        "leergang:my-leergang", {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403}
    ),
    Row(
        "leergang:insights-profile",
        {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403},
    ),
    Row("leergang:enrolment-detail", OWN_ENROLMENT, args=lambda o: [o["enrolment"].pk]),
    Row(
        "leergang:enrolment-cancel",
        {**OWN_ENROLMENT, "beheerder": 200},
        args=lambda o: [o["enrolment"].pk],
    ),
    # A seat offered from the waiting list: only the participant answers it (a cohort nobody
    # of the personas trains; Utrecht's HR and the office see the enrolment, so 403).
    Row("leergang:enrolment-offer", OWN_OFFER, args=lambda o: [o["offered"].pk]),
    Row(
        "leergang:enrolment-offer",
        {**OWN_OFFER, "participant": 302},
        method="post",
        args=lambda o: [o["offered"].pk],
        data={"answer": "confirm"},
    ),
    Row(
        "leergang:enrolment-offer",
        {**OWN_OFFER, "participant": 400},
        method="post",
        args=lambda o: [o["offered"].pk],
        data={"answer": "misschien"},
    ),
    Row(
        "leergang:reflection-edit",
        OWN_ENROLMENT,
        args=lambda o: [o["enrolment"].pk, o["module"].slug],
    ),
    # The finished cohort is not the trainer persona's: not even visible to them.
    Row(
        "leergang:certificate-download",
        {**OWN_ENROLMENT, "trainer": 404},
        args=lambda o: [o["completed"].pk],
    ),
    Row(
        "leergang:certificate-verify", {"*": 200}, args=lambda o: [o["completed"].certificate_code]
    ),
    # Leerlog: the participant's own; a trainer only what is shared; never HR or beheerder.
    Row(
        "leergang:reflection-detail",
        {"anonymous": LOGIN, "participant": 200, "trainer": 200, "*": 404},
        args=lambda o: [o["reflection"].pk],
    ),
    # Shared with "my coach": the coach of the participant's open trajectory, nobody else.
    Row(
        "leergang:reflection-detail",
        {"anonymous": LOGIN, "participant": 200, "coach": 200, "*": 404},
        args=lambda o: [o["coach_reflection"].pk],
    ),
    Row(
        "leergang:bijeenkomst-excuse",
        {"anonymous": LOGIN, "participant": 200, "trainer": 403, "beheerder": 403, "*": 404},
        args=lambda o: [o["bijeenkomst"].pk],
    ),
    Row(
        "leergang:attendance-edit",
        {"anonymous": LOGIN, "trainer": 200, "beheerder": 200, "*": 403},
        args=lambda o: [o["bijeenkomst"].pk],
    ),
    Row(
        "leergang:material-download",
        {"anonymous": LOGIN, "participant": 200, "trainer": 200, "beheerder": 200, "*": 404},
        args=lambda o: [o["material"].pk],
    ),
    Row(
        "leergang:trainer-cohorts", {"anonymous": LOGIN, "trainer": 200, "beheerder": 200, "*": 403}
    ),
    Row(
        "leergang:cohort-manage",
        {"anonymous": LOGIN, "trainer": 200, "beheerder": 200, "*": 403},
        args=lambda o: [o["cohort"].pk],
    ),
    Row(
        "leergang:approval-queue",
        {"anonymous": LOGIN, "hr": 200, "beheerder": 200, "outsider_hr": 200, "*": 403},
    ),
    Row(
        "leergang:approval-decide",
        {"anonymous": LOGIN, "hr": 200, "beheerder": 200, "outsider_hr": 404, "*": 403},
        args=lambda o: [o["request"].pk],
    ),
    Row(
        "leergang:approval-decide",
        {"anonymous": LOGIN, "hr": 302, "beheerder": 302, "outsider_hr": 404, "*": 403},
        method="post",
        args=lambda o: [o["request"].pk],
        data={"decision": "approve"},
    ),
    # intervisie: members and their begeleider only
    Row(
        "intervisie:my-groups", {"anonymous": LOGIN, "participant": 200, "outsider": 200, "*": 403}
    ),
    Row("intervisie:poll-vote", GROUP_MEMBER, args=lambda o: [o["poll"].pk]),
    Row(
        "intervisie:poll-vote",
        {**GROUP_MEMBER, "participant": 302},
        method="post",
        args=lambda o: [o["poll"].pk],
        data=lambda o: {f"slot_{s.pk}": "yes" for s in o["poll"].slots.all()},
    ),
    Row(
        "intervisie:session-detail",
        {**GROUP_MEMBER, "trainer": 200},
        args=lambda o: [o["session"].pk],
    ),
    Row("intervisie:session-excuse", GROUP_MEMBER, args=lambda o: [o["session"].pk]),
    Row("intervisie:session-volunteer", GROUP_MEMBER, args=lambda o: [o["session"].pk]),
    Row("intervisie:trainer-overview", BEGELEIDER_ONLY),
    Row("intervisie:cohort-groups", BEGELEIDER_ONLY, args=lambda o: [o["cohort"].pk]),
    Row(
        "intervisie:groups-accept",
        {**BEGELEIDER_ONLY, "trainer": 302},
        method="post",
        args=lambda o: [o["cohort"].pk],
        data={"split": "[]"},
    ),
    Row(
        "intervisie:member-move",
        {**BEGELEIDER_ONLY, "trainer": 302},
        method="post",
        args=lambda o: [o["membership"].pk],
        data=lambda o: {"group": o["group2"].pk},
    ),
    Row("intervisie:group-manage", BEGELEIDER_ONLY, args=lambda o: [o["group"].pk]),
    Row("intervisie:poll-create", BEGELEIDER_ONLY, args=lambda o: [o["group"].pk]),
    Row("intervisie:poll-manage", BEGELEIDER_ONLY, args=lambda o: [o["poll"].pk]),
    Row(
        "intervisie:poll-pick",
        {**BEGELEIDER_ONLY, "trainer": 302},
        method="post",
        args=lambda o: [o["poll"].pk],
        data=lambda o: {"slot": o["slot"].pk},
    ),
    Row(
        "intervisie:poll-close",
        {**BEGELEIDER_ONLY, "trainer": 302},
        method="post",
        args=lambda o: [o["poll"].pk],
    ),
    Row("intervisie:session-prepare", BEGELEIDER_ONLY, args=lambda o: [o["session"].pk]),
    Row("intervisie:session-record", BEGELEIDER_ONLY, args=lambda o: [o["session"].pk]),
    Row("intervisie:method-create", BEGELEIDER_ONLY),
    # coaching: between the participant and their coach
    Row(
        "coaching:overview",
        {"anonymous": LOGIN, "participant": 200, "outsider": 200, "coach": 200, "*": 403},
    ),
    Row(
        "coaching:book",
        {"anonymous": LOGIN, "participant": 302, "outsider": 404, "*": 403},
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data=lambda o: {"slot": o["coach_slot"].pk},
    ),
    Row("coaching:session-detail", COACHING_PAIR, args=lambda o: [o["coaching_session"].pk]),
    Row(
        "coaching:session-cancel",
        {**COACHING_PAIR, "participant": 302, "coach": 302},
        method="post",
        args=lambda o: [o["coaching_session"].pk],
    ),
    Row("coaching:availability", {"anonymous": LOGIN, "coach": 200, "*": 403}),
    Row(
        "coaching:slot-withdraw",
        COACH_WRITES,
        method="post",
        args=lambda o: [o["coach_slot"].pk],
    ),
    Row("coaching:trajectory", COACHING_PAIR, args=lambda o: [o["trajectory"].pk]),
    Row(
        "coaching:leervraag",
        PARTICIPANT_WRITES,
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data={"leervraag-leervraag": "Hoe houd ik regie?"},
    ),
    Row(
        "coaching:goal-add",
        PARTICIPANT_WRITES,
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data={"goal-description": "Vaker nee zeggen"},
    ),
    Row(
        "coaching:goal-progress",
        {**COACHING_PAIR, "participant": 302, "coach": 302},
        method="post",
        args=lambda o: [o["goal"].pk],
        data=lambda o: {f"progress-{o['goal'].pk}-progress": 40},
    ),
    Row(
        "coaching:plan",
        COACH_WRITES,
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data=lambda o: {
            "plan-date": (timezone.localdate() + timedelta(days=12)).isoformat(),
            "plan-start": "10:00",
            "plan-end": "11:00",
            "plan-location": "Utrecht",
        },
    ),
    Row(
        "coaching:extend",
        COACH_WRITES,
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data={"extend-extra": 2},
    ),
    Row(
        "coaching:transition",
        COACH_WRITES,
        method="post",
        args=lambda o: [o["trajectory"].pk],
        data={"state-to_state": "running"},
    ),
    # the frame of trajectories: the programme office all, HR its own organisation's
    Row("coaching:trajectories", INVITERS_ONLY),
    Row("coaching:start", INVITERS_ONLY),
    Row(
        "coaching:start",
        # Nijmegen's HR cannot choose Utrecht's employee: the form says so (no trajectory).
        {"anonymous": LOGIN, "hr": 302, "beheerder": 302, "outsider_hr": 200, "*": 403},
        method="post",
        data=lambda o: {
            "participant": o["employee"].pk,
            "coach": o["trajectory"].coach_id,
            "agreed_sessions": 4,
            "funded_by": "programme",
        },
    ),
    Row("health", {"*": 200}),
    # Prometheus's: only with the token in the Authorization header, never by a session.
    Row("metrics", {"*": 403}),
    Row("set_language", {"*": 302}, method="post", data={"language": "nl", "next": "/"}),
    Row("admin:index", {"beheerder": 200, "*": 302}),
    # The admin has no login of its own: anonymous to the portal's, signed in without access 403.
    Row("admin:login", {"anonymous": LOGIN, "beheerder": 302, "*": 403}),
    Row(
        "admin:login",
        {"anonymous": LOGIN, "beheerder": 302, "*": 403},
        method="post",
        data={"username": "beheerder@academie.example", "password": "fout"},
    ),
    Row("admin:portal_user_changelist", {"beheerder": 200, "*": 302}),
    # To the portal's invitation page, which sends the e-mail; others to the admin login.
    Row("admin:portal_invitation_add", {"beheerder": 302, "*": 302}),
    Row("admin:coaching_trajectory_changelist", {"beheerder": 200, "*": 302}),
    Row(
        "admin:coaching_trajectory_change",
        {"beheerder": 200, "*": 302},
        args=lambda o: [o["trajectory"].pk],
    ),
    Row("account_login", {"anonymous": 200, "*": 302}),
    Row("account_reset_password", {"*": 200}),
    Row("account_email", {"anonymous": LOGIN, "*": 200}),
    Row("account_change_password", {"anonymous": LOGIN, "*": 200}),
    # evaluations: the e-mail's link is the key (anyone holding it, signed in or not);
    # results for the cohort's trainers and the programme office, HR its own people's
    # averages, a coach their own averages.
    Row("evaluations:answer", {"*": 200}, args=lambda o: [o["evaluation"].token]),
    Row(
        "evaluations:answer",
        {"*": 302},
        method="post",
        args=lambda o: [o["evaluation"].token],
        data={"grade": "8", "recommendation": "9"},
    ),
    Row("evaluations:thanks", {"*": 200}),
    Row("evaluations:cohorts", {"anonymous": LOGIN, "trainer": 200, "beheerder": 200, "*": 403}),
    Row(
        "evaluations:cohort",
        {"anonymous": LOGIN, "trainer": 200, "beheerder": 200, "*": 403},
        args=lambda o: [o["cohort"].pk],
    ),
    # Utrecht's tailored cohort, which the trainer persona does not train: not even visible.
    Row(
        "evaluations:cohort",
        {"anonymous": LOGIN, "trainer": 404, "beheerder": 200, "*": 403},
        args=lambda o: [o["utrecht_cohort"].pk],
    ),
    # An open cohort the trainer persona does not train: visible, but not theirs.
    Row(
        "evaluations:cohort",
        {"anonymous": LOGIN, "trainer": 403, "beheerder": 200, "*": 403},
        args=lambda o: [o["open_cohort"].pk],
    ),
    Row("evaluations:programme", {"anonymous": LOGIN, "beheerder": 200, "*": 403}),
    Row("evaluations:coaching", {"anonymous": LOGIN, "coach": 200, "*": 403}),
    Row("evaluations:hr", {"anonymous": LOGIN, "hr": 200, "outsider_hr": 200, "*": 403}),
    # HR's dashboard: each HR its own organisation's figures; a cohort only Utrecht's people
    # are in is no choice for Nijmegen's HR (400 with a message, none of its figures).
    Row("hr:dashboard", HR_OWN),
    Row("hr:dashboard", UTRECHT_COHORT_FILTER, data=lambda o: {"cohort": o["cohort"].pk}),
    Row("hr:report", HR_OWN),
    # A chart of Utrecht's figures: Utrecht's HR; for anyone else it does not exist.
    Row(
        "portal:chart",
        {"anonymous": LOGIN, "hr": 200, "*": 404},
        args=lambda o: [charts.publish(o["utrecht_chart"], audience=o["utrecht_audience"]).key],
    ),
    # A chart of the programme office's report: the office's; for anyone else it does not exist.
    Row(
        "portal:chart",
        {"anonymous": LOGIN, "beheerder": 200, "*": 404},
        args=lambda o: [charts.publish(o["utrecht_chart"], audience="office:all").key],
    ),
    # The programme office's report and its file (leergang.report_views): the office's
    # alone, across every organisation; a bad filter is a 400 with its message, no file.
    Row("leergang:office-report", OFFICE_ONLY),
    Row(
        "leergang:office-report",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        data={"leergang": "Nijmegen", "starts_from": "31-02-2026"},
    ),
    Row("leergang:office-report-export", OFFICE_ONLY),
    Row(
        "leergang:office-report-export",
        {"anonymous": LOGIN, "beheerder": 400, "*": 403},
        data={"starts_from": "10-03-2026", "starts_to": "01-03-2026"},
    ),
    Row("hr:report", UTRECHT_COHORT_FILTER, data=lambda o: {"cohort": o["cohort"].pk}),
    Row("hr:dashboard-export", HR_OWN, args=lambda o: ["csv"]),
    Row("hr:dashboard-export", HR_OWN, args=lambda o: ["xlsx"]),
    Row(
        "hr:dashboard-export",
        UTRECHT_COHORT_FILTER,
        args=lambda o: ["xlsx"],
        data=lambda o: {"cohort": o["cohort"].pk},
    ),
]


def intervisie_objects(cohort, enrolment, trainer):
    group = GroupFactory(cohort=cohort, begeleider=trainer, members=[enrolment])
    poll = PollFactory(group=group)
    return {
        "group": group,
        "group2": GroupFactory(cohort=cohort, begeleider=trainer),
        "membership": enrolment.intervisie_membership,
        "poll": poll,
        "slot": poll.slots.first(),
        "session": IntervisieSessionFactory(group=group),
    }


def coaching_objects(participant, coach):
    trajectory = TrajectoryFactory(participant=participant, coach=coach)
    booked = AvailabilitySlotFactory(coach=coach)
    return {
        "trajectory": trajectory,
        "goal": trajectory.goals.create(description="Helder nee zeggen"),
        "coach_slot": AvailabilitySlotFactory(coach=coach),
        "coaching_session": CoachingSession.objects.create(
            trajectory=trajectory,
            slot=booked,
            starts_at=booked.starts_at,
            ends_at=booked.ends_at,
        ),
    }


def make_up_objects(cohort, enrolment, trainer):
    """The participant reported absence for both bijeenkomsten of their cohort; a cohort the
    trainer persona trains has the same modules. One request waits for a decision there,
    another at a cohort the trainer does not train."""
    from leergang.models import Attendance, MakeUpRequest

    first, second = cohort.bijeenkomsten.order_by("starts_at")
    for missed in (first, second):
        Attendance.objects.create(enrolment=enrolment, bijeenkomst=missed, status="excused")
    # A day later than the cohort's own: the trainer persona gives both, so the same hours
    # would make saving the cohort's planning a double booking.
    host = CohortFactory(
        leergang=cohort.leergang,
        trainers=[trainer],
        bijeenkomsten=2,
        starts_on=cohort.starts_on + timedelta(days=1),
    )
    host_first, host_second = host.bijeenkomsten.order_by("starts_at")
    elsewhere = CohortFactory(leergang=cohort.leergang, bijeenkomsten=2).bijeenkomsten.last()
    other = EnrolmentFactory(cohort=cohort)
    Attendance.objects.create(enrolment=other, bijeenkomst=second, status="excused")
    return {
        "make_up_host": host_first,
        "make_up": MakeUpRequest.objects.create(
            enrolment=enrolment, missed=second, bijeenkomst=host_second, state="requested"
        ),
        "other_make_up": MakeUpRequest.objects.create(
            enrolment=other, missed=second, bijeenkomst=elsewhere, state="requested"
        ),
    }


def _our_url_names():
    return {pattern.name for pattern in our_url_patterns()}


def test_every_portal_url_has_a_row():
    missing = _our_url_names() - {row.name for row in ROWS}
    assert not missing, f"URLs without an authorization row: {sorted(missing)}"


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_root):
    """The uploaded material of the module's world stays readable in every test."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    """The personas and their objects, built once for the module's 600-odd cases."""
    with rolled_back_at_end(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
            personas = {name: make_persona(name) for name in PERSONA_ROLES}
            world = {"personas": personas, "objects": build_objects(personas)}
        yield world


@pytest.fixture
def objects(db, world):
    """This test's copy of the world: what one test changes in memory, the next never sees
    (its changes to the database are rolled back with its savepoint)."""
    return copy.deepcopy(world["objects"])


@pytest.fixture
def login(client, world):
    def login(persona):
        if persona != "anonymous":
            client.force_login(copy.deepcopy(world["personas"][persona]))

    return login


def build_objects(personas):
    utrecht, participant = personas["participant"].organisation, personas["participant"]
    trainer, hr, coach = personas["trainer"], personas["hr"], personas["coach"]
    cohort = CohortFactory(trainers=[trainer], bijeenkomsten=2)
    module = cohort.leergang.module_links.first().module
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    finished = CohortFactory(starts_on=timezone.localdate() - timedelta(days=200))
    completed = EnrolmentFactory(
        cohort=finished,
        participant=participant,
        state=Enrolment.State.COMPLETED,
        certificate_code="abc123def456",
    )
    requester = UserFactory(organisation=utrecht)
    nijmegen_enrolment = EnrolmentFactory(
        participant=UserFactory(organisation=personas["outsider"].organisation)
    )
    return {
        "nijmegen_enrolment": nijmegen_enrolment,
        "nijmegen_target": CohortFactory(leergang=nijmegen_enrolment.cohort.leergang),
        "oidc_provider": IdentityProvider.objects.create(
            organisation=utrecht,
            protocol=IdentityProvider.Protocol.OIDC,
            server_url="http://127.0.0.1:9/",
            client_id="autorisatietest",
            email_domains="utrecht.example",
        ),
        "saml_provider": IdentityProvider.objects.create(
            organisation=personas["outsider"].organisation,
            protocol=IdentityProvider.Protocol.SAML,
            entity_id="http://127.0.0.1:9/metadata",
            sso_url="http://127.0.0.1:9/sso",
            x509_certificate="MIIB",
            email_domains="nijmegen.example",
        ),
        "utrecht_chart": charts.bar_chart(
            "chart-test",
            title="Aanwezigheid",
            description="1: 80%.",
            labels=["1"],
            series=[("x", [80])],
        ),
        "utrecht_audience": f"organisation:{utrecht.pk}",
        "invitation": InvitationFactory(organisation=utrecht, roles=[Role.DEELNEMER]),
        "invitation_import": InvitationImport.objects.create(
            organisation=utrecht, uploaded_by=hr, file_name="medewerkers.csv", total_rows=3
        ),
        "feed": CalendarFeed.objects.create(user=participant),
        "failed_notification": Notification.objects.create(
            recipient=participant,
            email=participant.email,
            kind="enrolment_enrolled",
            status=Notification.Status.FAILED,
            attempts=8,
        ),
        "cohort": cohort,
        "module": module,
        "enrolment": enrolment,
        "completed": completed,
        "offered": EnrolmentFactory(
            cohort=CohortFactory(seats=1, waitlist_mode="offer"),
            participant=participant,
            state=Enrolment.State.OFFERED,
            offer_expires_at=timezone.now() + timedelta(hours=48),
        ),
        "open_cohort": CohortFactory(),
        "utrecht_cohort": CohortFactory(organisation=utrecht),
        "bijeenkomst": cohort.bijeenkomsten.first(),
        "reflection": Reflection.objects.create(
            enrolment=enrolment,
            module=module,
            text="Mijn inzicht",
            shared_with_trainer=True,
            submitted_at=timezone.now(),
        ),
        "coach_reflection": Reflection.objects.create(
            enrolment=enrolment,
            module=cohort.leergang.module_links.last().module,
            text="Voor mijn coach",
            shared_with_coach=True,
            submitted_at=timezone.now(),
        ),
        "material": MaterialFactory(module=module),
        "evaluation": EvaluationInvitation.objects.create(
            kind=EvaluationInvitation.Kind.BIJEENKOMST,
            recipient=participant,
            bijeenkomst=cohort.bijeenkomsten.first(),
            expires_at=timezone.now() + timedelta(days=14),
        ),
        **intervisie_objects(cohort, enrolment, trainer),
        **coaching_objects(participant, coach),
        **make_up_objects(cohort, enrolment, trainer),
        "employee": requester,
        "request": EnrolmentFactory(
            cohort=CohortFactory(requires_approval=True),
            participant=requester,
            state=Enrolment.State.REQUESTED,
        ),
    }


def _cases():
    for row in ROWS:
        for persona in PERSONAS:
            yield pytest.param(row, persona, id=f"{row.method}-{row.name}-{persona}")


@pytest.mark.parametrize(("row", "persona"), list(_cases()))
def test_access(client, login, objects, row, persona):
    login(persona)
    url = reverse(row.name, args=row.args(objects))
    data = row.data(objects) if callable(row.data) else row.data
    response = getattr(client, row.method)(url, data=data)
    expected = row.status_for(persona)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (
            f"{row.method.upper()} {url} as {persona}: {response.status_code}, expected {expected}"
        )


# Coaching content, and who may read it (DOMAIN.md): the private note only its coach; the
# learning question, goals and shared summary the participant and their coach. The leerlog:
# the participant's own, the trainer what is shared with the trainer, the coach what is
# shared with the coach. Nobody else, on any page of the portal, the admin included.
COACHING_SECRETS = {
    "PRIVE-NOTITIE-7Q": {"coach"},
    "SAMENVATTING-7Q": {"participant", "coach"},
    "LEERVRAAG-7Q": {"participant", "coach"},
    "DOEL-7Q": {"participant", "coach"},
    "LEERLOG-TRAINER-7Q": {"participant", "trainer"},
    "LEERLOG-COACH-7Q": {"participant", "coach"},
    "LEERLOG-PRIVE-7Q": {"participant"},
}
# Where each leerlog secret is planted, and the page its readers read it on.
LEERLOG_SECRETS = {
    "LEERLOG-TRAINER-7Q": "reflection",
    "LEERLOG-COACH-7Q": "coach_reflection",
    "LEERLOG-PRIVE-7Q": "private_reflection",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_coaching_content_reaches_only_whom_it_belongs_to(client, login, objects, persona):
    from coaching.models import PrivateNote

    session, trajectory = objects["coaching_session"], objects["trajectory"]
    PrivateNote.objects.create(
        session=session, coach=session.trajectory.coach, text="PRIVE-NOTITIE-7Q"
    )
    CoachingSession.objects.filter(pk=session.pk).update(summary="SAMENVATTING-7Q")
    trajectory.leervraag = "LEERVRAAG-7Q"
    trajectory.save()
    trajectory.goals.create(description="DOEL-7Q")
    completed = objects["completed"]
    objects["private_reflection"] = Reflection.objects.create(
        enrolment=completed,
        module=completed.cohort.leergang.module_links.first().module,
        text="LEERLOG-PRIVE-7Q",
        submitted_at=timezone.now(),
    )
    for secret, key in LEERLOG_SECRETS.items():
        Reflection.objects.filter(pk=objects[key].pk).update(text=secret)
    login(persona)
    pages = 0
    for row in ROWS:
        if row.method != "get" or row.status_for(persona) != 200:
            continue
        url = reverse(row.name, args=row.args(objects))
        response = client.get(url)
        if response.streaming or not response["Content-Type"].startswith(
            ("text/", "application/json")
        ):
            continue  # a file download: material, certificate
        page = response.content.decode()
        pages += 1
        for secret, readers in COACHING_SECRETS.items():
            if persona not in readers:
                assert secret not in page, f"{secret} on {url} for {persona}"
    assert pages > 0
    if persona in {"participant", "coach"}:
        page = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
        page += client.get(reverse("coaching:session-detail", args=[session.pk])).content.decode()
        for secret, readers in COACHING_SECRETS.items():
            if secret not in LEERLOG_SECRETS:  # those pages link the leerlog, not show it
                assert (secret in page) == (persona in readers), (secret, persona)
    for secret, key in LEERLOG_SECRETS.items():
        if persona in COACHING_SECRETS[secret]:
            url = reverse("leergang:reflection-detail", args=[objects[key].pk])
            assert secret in client.get(url).content.decode(), (secret, persona)
