"""The intervisie pages offer what the policy allows (access.may), and no more."""

import pytest
from django.urls import reverse

from portal.models import Role
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    GroupFactory,
    IntervisieSessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer, participant):
    cohort = CohortFactory(trainers=[trainer])
    group = GroupFactory(
        cohort=cohort,
        begeleider=trainer,
        members=[EnrolmentFactory(cohort=cohort, participant=participant)],
    )
    return IntervisieSessionFactory(group=group)


def _page(client, user, session):
    client.force_login(user)
    return client.get(reverse("intervisie:session-detail", args=[session.pk])).content.decode()


def test_a_member_may_excuse_and_volunteer_the_begeleider_leads(
    client, session, participant, trainer
):
    excuse = reverse("intervisie:session-excuse", args=[session.pk])
    volunteer = reverse("intervisie:session-volunteer", args=[session.pk])
    prepare = reverse("intervisie:session-prepare", args=[session.pk])
    page = _page(client, participant, session)
    assert excuse in page and volunteer in page and prepare not in page
    page = _page(client, trainer, session)
    assert prepare in page and excuse not in page and volunteer not in page


def test_a_member_moves_only_in_the_groups_the_begeleider_leads(client, session, trainer):
    cohort = session.group.cohort
    other_trainer = UserFactory(roles=[Role.TRAINER], organisation=trainer.organisation)
    cohort.trainers.add(other_trainer)
    theirs = GroupFactory(
        cohort=cohort, begeleider=other_trainer, members=[EnrolmentFactory(cohort=cohort)]
    )
    mine = session.group.memberships.get()
    client.force_login(trainer)
    page = client.get(reverse("intervisie:cohort-groups", args=[cohort.pk])).content.decode()
    assert reverse("intervisie:member-move", args=[mine.pk]) in page
    assert reverse("intervisie:member-move", args=[theirs.memberships.get().pk]) not in page
    assert reverse("intervisie:group-manage", args=[theirs.pk]) not in page
    # Moving into another begeleider's group is refused, in words.
    response = client.post(
        reverse("intervisie:member-move", args=[mine.pk]), {"group": theirs.pk}, follow=True
    )
    assert "Kies een intervisiegroep binnen deze uitvoering." in response.content.decode()
    mine.refresh_from_db()
    assert mine.group_id == session.group_id
