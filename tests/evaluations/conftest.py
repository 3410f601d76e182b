"""A cohort whose bijeenkomst has just been held, and ways to answer its evaluations."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from evaluations import services
from evaluations.models import Invitation
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Wednesday at 10:00: not in the reminders' quiet hours.
MORNING = datetime(2027, 3, 10, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def morning():
    """The clock stands at a working morning; ``travel(days=...)`` moves it on."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def held_cohort(*, participants=3, organisation=None, trainers=(), module_count=2):
    """A cohort whose first bijeenkomst ended an hour ago, with ``participants`` enrolled."""
    now = timezone.now()
    cohort = CohortFactory(
        starts_on=timezone.localdate() - timedelta(days=1),
        trainers=list(trainers),
        leergang__module_count=module_count,
        bijeenkomsten=1,
    )
    bijeenkomst = cohort.bijeenkomsten.get()
    bijeenkomst.starts_at = now - timedelta(hours=4)
    bijeenkomst.ends_at = now - timedelta(hours=1)
    bijeenkomst.save()
    people = [
        UserFactory(**({"organisation": organisation} if organisation else {}))
        for _n in range(participants)
    ]
    for person in people:
        EnrolmentFactory(cohort=cohort, participant=person)
    return cohort, bijeenkomst, people


def answer(invitation: Invitation, *, grade=8, recommendation=9, comments="", goals=None):
    """Answer an invitation through the service, as the form would."""
    return services.answer_submit(
        token=invitation.token,
        grade=grade,
        recommendation=recommendation,
        comments=comments,
        goal_scores=goals or {},
    )
