"""The date poll page: ten options on the page, the empty ones folded until asked for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intervisie.models import Poll
from tests.browser.test_journeys import sign_in
from tests.factories import PASSWORD, CohortFactory, EnrolmentFactory, GroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_more_options_unfolds_one_row_at_a_time_up_to_ten(page, axe, trainer):
    cohort = CohortFactory(trainers=[trainer])
    group = GroupFactory(
        cohort=cohort,
        begeleider=trainer,
        members=[EnrolmentFactory(cohort=cohort) for _ in range(4)],
    )
    sign_in(page, trainer.email, PASSWORD)
    page.goto(f"/intervisie/trainer/groep/{group.pk}/peiling/")
    rows = page.locator("[data-slot-row]")
    assert rows.count() == 10
    assert page.locator("[data-slot-row]:visible").count() == 3
    axe.check(page)
    more = page.get_by_role("button", name="Meer momenten")
    for visible in range(4, 11):
        more.click()
        assert page.locator("[data-slot-row]:visible").count() == visible
    assert not more.is_visible()

    page.locator("#id_closes_at").fill(
        (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    )
    for index in range(4):
        day = (timezone.localdate() + timedelta(days=6 + index)).isoformat()
        page.locator(f"#id_slots-{index}-date").fill(day)
        page.locator(f"#id_slots-{index}-start").fill("13:30")
        page.locator(f"#id_slots-{index}-end").fill("16:00")
    page.get_by_role("button", name="Peiling openen").click()
    page.locator(".alert-success").first.wait_for()
    assert Poll.objects.get().slots.count() == 4
    axe.assert_clean()
