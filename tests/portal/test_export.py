import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from coaching.models import PrivateNote
from intervisie.models import SessionAttendance, Vote
from leergang.models import InsightsProfile
from portal.notifications import notify
from portal.selectors import export_coverage
from tests.factories import (
    AvailabilitySlotFactory,
    CoachingSessionFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    InvitationFactory,
    PollFactory,
    TrajectoryFactory,
)
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db


def test_export_holds_own_data_and_nobody_elses(client, participant, outsider, hr):
    notify(participant, "invitation", context={"first_name": "x", "organisation": "y"})
    notify(outsider, "invitation", context={"first_name": "x", "organisation": "y"})
    InvitationFactory(organisation=hr.organisation, invited_by=hr, email="collega@x.example")
    client.force_login(participant)
    response = client.get(reverse("portal:profile-export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == participant.email
    assert data["account"]["organisation"] == "Gemeente Utrecht"
    assert data["account"]["roles"] == ["deelnemer"]
    assert [n["email"] for n in data["notifications"]] == [participant.email]
    assert data["invitations_sent"] == []
    text = response.content.decode()
    for other in (outsider.email, hr.email, "collega@x.example"):
        assert other not in text
    assert "password" not in text


def test_export_of_hr_lists_the_invitations_they_sent(client, hr):
    InvitationFactory(organisation=hr.organisation, invited_by=hr, email="collega@x.example")
    client.force_login(hr)
    data = json.loads(client.get(reverse("portal:profile-export")).content)
    assert [i["email"] for i in data["invitations_sent"]] == ["collega@x.example"]


def _links_to_the_user():
    """Every foreign key, one-to-one and many-to-many of every model that points at a person."""
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is user_model:
                yield f"{model._meta.label}.{field.name}"


def test_every_link_to_a_person_is_exported_or_left_out_with_a_reason():
    covered, excluded = export_coverage()
    links = set(_links_to_the_user())
    unaccounted = links - set(covered) - set(excluded)
    assert not unaccounted, (
        f"Links to the user in no export section and not excluded with a reason: "
        f"{sorted(unaccounted)}; add them to a section's covers=, or exclude_from_export()."
    )
    assert not set(covered) & set(excluded), "a link is both exported and excluded"
    assert not (set(covered) | set(excluded)) - links, "stale names in the export coverage"
    assert all(reason.strip() for reason in excluded.values())


def test_coach_private_notes_are_left_out_with_their_reason():
    _covered, excluded = export_coverage()
    assert "working notes" in excluded["coaching.PrivateNote.coach"]


def _intervisie_world(participant, *, other):
    """The participant in a group with a poll they answered, a case and attendance; and a
    fellow member ``other`` who did the same."""
    cohort = CohortFactory()
    mine = EnrolmentFactory(cohort=cohort, participant=participant)
    theirs = EnrolmentFactory(cohort=cohort, participant=other)
    group = GroupFactory(cohort=cohort, members=[mine, theirs])
    poll = PollFactory(group=group)
    slot = poll.slots.first()
    Vote.objects.create(slot=slot, voter=participant, answer=Vote.Answer.MAYBE)
    Vote.objects.create(slot=slot, voter=other, answer=Vote.Answer.NO)
    my_case = IntervisieSessionFactory(
        group=group, case_bringer=participant, case_title="CASUS-VAN-MIJ", case_text="Mijn casus"
    )
    IntervisieSessionFactory(group=group, case_bringer=other, case_title="CASUS-VAN-ANDER")
    SessionAttendance.objects.create(
        session=my_case, participant=participant, status=SessionAttendance.Status.PRESENT
    )
    SessionAttendance.objects.create(
        session=my_case, participant=other, status=SessionAttendance.Status.EXCUSED, reason="ZIEK"
    )
    return group


def test_export_holds_insights_profile_and_own_intervisie_data_only(client, participant, outsider):
    outsider.last_name = "Buitenstaander-Q"  # a name the participant's export cannot hold
    outsider.save()
    InsightsProfile.objects.create(participant=participant, red=40, yellow=30, green=20, blue=10)
    group = _intervisie_world(participant, other=outsider)
    client.force_login(participant)
    response = client.get(reverse("portal:profile-export"))
    data = json.loads(response.content)
    assert data["insights_profile"]["red"] == 40
    assert data["insights_profile"]["blue"] == 10
    mine = data["intervisie"]
    assert [g["group"] for g in mine["groups"]] == [group.name]
    assert [a["answer"] for a in mine["poll_answers"]] == ["maybe"]
    assert [c["case_title"] for c in mine["cases_brought_in"]] == ["CASUS-VAN-MIJ"]
    assert mine["cases_brought_in"][0]["case_text"] == "Mijn casus"
    assert [a["status"] for a in mine["attendance"]] == ["present"]
    text = response.content.decode()
    for other in ("CASUS-VAN-ANDER", "ZIEK", outsider.email, outsider.last_name):
        assert other not in text


def test_export_of_begeleider_lists_the_groups_and_polls_they_run(client, trainer):
    group = GroupFactory(begeleider=trainer)
    PollFactory(group=group, created_by=trainer)
    client.force_login(trainer)
    data = json.loads(client.get(reverse("portal:profile-export")).content)
    assert [g["group"] for g in data["intervisie_as_begeleider"]["groups_facilitated"]] == [
        group.name
    ]
    assert len(data["intervisie_as_begeleider"]["polls_opened"]) == 1


def test_export_of_coach_holds_their_coachees_frame_and_moments_never_notes(
    client, coach, participant
):
    trajectory = TrajectoryFactory(participant=participant, coach=coach, leervraag="LEERVRAAG-X")
    session = CoachingSessionFactory(trajectory=trajectory)
    PrivateNote.objects.create(session=session, coach=coach, text="PRIVE-NOTITIE-X")
    AvailabilitySlotFactory(coach=coach)
    client.force_login(coach)
    response = client.get(reverse("portal:profile-export"))
    data = json.loads(response.content)
    coached = data["coaching_as_coach"]
    assert [t["participant"] for t in coached["trajectories"]] == [participant.get_full_name()]
    assert [m["booked"] for m in coached["offered_moments"]] == [False]
    text = response.content.decode()
    assert "PRIVE-NOTITIE-X" not in text
    assert "LEERVRAAG-X" not in text  # the participant's, in the participant's export


def test_export_queries_do_not_grow_with_intervisie_data(client, participant, outsider):
    client.force_login(participant)

    def count():
        return page_query_count(client, reverse("portal:profile-export"))

    _intervisie_world(participant, other=outsider)
    few = count()
    for _ in range(10):
        _intervisie_world(participant, other=outsider)
    assert count() == few
