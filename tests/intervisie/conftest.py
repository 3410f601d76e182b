import pytest

from tests.factories import CohortFactory, EnrolmentFactory, GroupFactory


@pytest.fixture
def group(trainer, participant):
    """A group of four in a cohort of the trainer: the participant and three others."""
    cohort = CohortFactory(trainers=[trainer])
    mine = EnrolmentFactory(cohort=cohort, participant=participant)
    return GroupFactory(cohort=cohort, begeleider=trainer, members=[mine], member_count=3)
