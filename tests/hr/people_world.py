"""HR's people list: a small world of two organisations' people, and ways to read the page
(shared by the list's and the exports' tests)."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching.models import USED, CoachingSession
from intervisie.models import Session, SessionAttendance
from leergang.models import Attendance, Enrolment, Reflection
from portal.models import Role
from tests import factories

URL = reverse("hr:people")
PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"


@dataclass
class World:
    cohort: object  # started, Utrecht's and Nijmegen's people in it
    later: object  # starts later, Utrecht's people only
    nijmegen_cohort: object
    anna: object
    bram: object
    carla: object
    noor: object  # Nijmegen
    enrolments: list


def _person(organisation, first, last, department=""):
    return factories.UserFactory(
        organisation=organisation,
        first_name=first,
        last_name=last,
        department=department,
        roles=[Role.DEELNEMER],
    )


def build_world(utrecht, nijmegen, trainer) -> World:
    """Two organisations' people with everything the list counts (each test module's
    ``world`` fixture)."""
    now = timezone.now()
    cohort = factories.CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=60),
        bijeenkomsten=2,
        leergang__module_count=3,
        trainers=[trainer],
    )
    m1, m2, _m3 = [link.module for link in cohort.leergang.module_links.all()]
    b1, b2 = cohort.bijeenkomsten.order_by("starts_at")
    # A bijeenkomst of module 2 still to come: not held, so it counts nowhere yet.
    future = factories.BijeenkomstFactory(cohort=cohort, module=m2, in_days=10)
    later = factories.CohortFactory(leergang__title="Businessprofessional", bijeenkomsten=1)
    nijmegen_cohort = factories.CohortFactory(organisation=nijmegen)

    anna = _person(utrecht, "Anna", "Smit", "Stadsontwikkeling")
    bram = _person(utrecht, "Bram", "de Wit", "Sociaal domein")
    carla = _person(utrecht, "Carla", "Mertens")
    _person(utrecht, "Daan", "Zonder", "Stadsontwikkeling")  # in no cohort
    noor = _person(nijmegen, "Noor", "Geheim", "Geheime afdeling")

    e_anna = factories.EnrolmentFactory(cohort=cohort, participant=anna)
    e_bram = factories.EnrolmentFactory(cohort=cohort, participant=bram)
    e_anna_later = factories.EnrolmentFactory(
        cohort=later, participant=anna, state=Enrolment.State.WAITLISTED
    )
    e_carla = factories.EnrolmentFactory(
        cohort=later, participant=carla, created_at=now - timedelta(days=400)
    )
    e_noor = factories.EnrolmentFactory(cohort=cohort, participant=noor)
    factories.EnrolmentFactory(cohort=nijmegen_cohort, participant=noor)

    for enrolment, statuses in {
        e_anna: [(b1, PRESENT), (b2, ABSENT), (future, PRESENT)],  # "present" in advance
        e_bram: [(b1, EXCUSED), (b2, PRESENT)],
        e_noor: [(b1, PRESENT), (b2, PRESENT)],
    }.items():
        for bijeenkomst, status in statuses:
            Attendance.objects.create(enrolment=enrolment, bijeenkomst=bijeenkomst, status=status)
    submitted = {"submitted_at": now, "text": "GEHEIME-REFLECTIE"}
    for enrolment, module, done in [
        (e_anna, m1, True),
        (e_anna, m2, True),
        (e_anna, _m3, True),
        (e_bram, m1, False),  # a draft
        (e_bram, m2, True),
        (e_noor, m1, True),
    ]:
        Reflection.objects.create(
            enrolment=enrolment, module=module, **(submitted if done else {"text": "concept"})
        )

    group = factories.GroupFactory(cohort=cohort, begeleider=trainer, members=[e_anna, e_bram])
    past = {"status": Session.Status.HELD, "in_days": -20, "case_text": "GEHEIME-CASUS"}
    s1 = factories.IntervisieSessionFactory(group=group, **past)
    s2 = factories.IntervisieSessionFactory(group=group, **past)
    s3 = factories.IntervisieSessionFactory(group=group)  # planned
    for session, person, status in [
        (s1, anna, PRESENT),
        (s2, anna, PRESENT),
        (s3, anna, PRESENT),
        (s1, bram, PRESENT),
        (s2, bram, ABSENT),
    ]:
        SessionAttendance.objects.create(session=session, participant=person, status=status)

    trajectory = factories.TrajectoryFactory(
        participant=anna, enrolment=e_anna, agreed_sessions=6, leervraag="GEHEIME-LEERVRAAG"
    )
    for status, days in [
        ("held", -30),
        ("held", -20),
        ("no_show", -10),
        ("cancelled", -5),
        ("planned", 5),
    ]:
        factories.CoachingSessionFactory(trajectory=trajectory, status=status, in_days=days)
    # Coaching outside a leergang: on the person's latest enrolment, counted once.
    for person, agreed, status in [(bram, 4, "held"), (anna, 2, "no_show")]:
        loose = factories.TrajectoryFactory(participant=person, agreed_sessions=agreed)
        factories.CoachingSessionFactory(trajectory=loose, status=status, in_days=-3)
    return World(
        cohort,
        later,
        nijmegen_cohort,
        anna,
        bram,
        carla,
        noor,
        [e_anna, e_bram, e_anna_later, e_carla],
    )


def _by_hand(enrolment, now):
    """The row's figures counted from the rows in Python: the independent second way."""
    cohort = enrolment.cohort
    bijeenkomsten = list(cohort.bijeenkomsten.all())
    held = [b for b in bijeenkomsten if b.starts_at <= now]
    present = {
        a.bijeenkomst_id
        for a in Attendance.objects.filter(enrolment=enrolment)
        if a.status == PRESENT
    }
    attended = [b for b in held if b.pk in present]
    modules = [link.module for link in cohort.leergang.module_links.all()]
    completed = 0
    for module in modules:
        reflection = Reflection.objects.filter(enrolment=enrolment, module=module).first()
        of_module = [b for b in bijeenkomsten if b.module_id == module.pk]
        went = any(b in attended for b in of_module)
        if reflection and reflection.submitted_at and (went or not of_module):
            completed += 1
    membership = getattr(enrolment, "intervisie_membership", None)
    sessions = list(membership.group.sessions.all()) if membership else []
    sessions_held = [s for s in sessions if s.status == Session.Status.HELD]
    sessions_attended = [
        s
        for s in sessions_held
        if SessionAttendance.objects.filter(
            session=s, participant=enrolment.participant, status=PRESENT
        ).exists()
    ]
    trajectories = list(enrolment.coaching_trajectories.all())
    latest = max(
        Enrolment.objects.filter(participant=enrolment.participant),
        key=lambda e: (e.created_at, e.pk),
    )
    if latest == enrolment:  # coaching outside any leergang counts on the latest enrolment
        trajectories += list(enrolment.participant.coaching_trajectories.filter(enrolment=None))
    used = sum(
        1
        for t in trajectories
        for s in CoachingSession.objects.filter(trajectory=t)
        if s.status in USED
    )
    return {
        "attendance": (len(attended), len(held)),
        "modules": (completed, len(modules)),
        "intervisie": (len(sessions_attended), len(sessions_held)),
        "coaching": (used, sum(t.agreed_sessions for t in trajectories)),
    }


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr><th scope=\"row\">.*?</tr>", page, re.S)


def _names(page: str) -> list[str]:
    return [re.match(r"<tr><th scope=\"row\">([^<]*)", row).group(1).strip() for row in _rows(page)]


def _cell(row: str, name: str) -> str:
    match = re.search(rf'<td class="{name}">(.*?)</td>', row, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).split() if match else None


def _ordered_like(page, enrolments):
    """The enrolments in the order of the page's rows (name and leergang identify a row)."""
    rows = _rows(page)
    out = []
    for row in rows:
        match = next(
            e
            for e in enrolments
            if escape(e.participant.get_full_name()) in row
            and escape(e.cohort.leergang.title) in row
            and e not in out
        )
        out.append(match)
    return out
