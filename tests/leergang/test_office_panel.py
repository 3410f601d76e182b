"""The programme office's home panel: what waits for it, each figure counted again here
by walking the rows in Python, and the same number of queries however much there is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang import selectors
from leergang.models import Enrolment, MakeUpRequest
from leergang.retention import due_on
from tests.factories import BijeenkomstFactory, CohortFactory, EnrolmentFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db


def _world(size: int):
    """Per unit: a cohort fully planned, one missing a module, one ended long ago (due for
    retention), an offered seat, and a make-up request waiting."""
    today = timezone.localdate()
    for _ in range(size):
        planned = CohortFactory(bijeenkomsten=3)
        CohortFactory(leergang=planned.leergang, bijeenkomsten=2)
        CohortFactory(starts_on=today - timedelta(days=500), ends_on=today - timedelta(days=380))
        EnrolmentFactory(
            cohort=planned,
            state=Enrolment.State.OFFERED,
            offer_expires_at=timezone.now() + timedelta(hours=20),
        )
        own = EnrolmentFactory(cohort=planned)
        host = CohortFactory(leergang=planned.leergang, bijeenkomsten=1)
        MakeUpRequest.objects.create(
            enrolment=own,
            missed=planned.bijeenkomsten.first(),
            bijeenkomst=host.bijeenkomsten.get(),
            state=MakeUpRequest.State.REQUESTED,
        )


def _counted_by_hand(today):
    from leergang.models import Cohort

    to_plan = 0
    due = 0
    for cohort in Cohort.objects.all():
        modules = {link.module_id for link in cohort.leergang.module_links.all()}
        planned = {b.module_id for b in cohort.bijeenkomsten.all()}
        if cohort.ends_on >= today and modules - planned:
            to_plan += 1
        if cohort.personal_data_removed_at is None and due_on(cohort) <= today + timedelta(30):
            due += 1
    waiting = [r for r in MakeUpRequest.objects.all() if r.state == "requested"]
    offered = [e for e in Enrolment.objects.all() if e.state == "offered"]
    return {
        "to_plan": to_plan,
        "make_up_waiting": len(waiting),
        "offers_running": len(offered),
        "retention_due": due,
    }


def test_the_panels_figures_match_a_count_by_hand():
    _world(3)
    BijeenkomstFactory(cohort=CohortFactory())  # a bijeenkomst without a module plans none
    today = timezone.localdate()
    figures = selectors.office_panel(today=today)
    assert figures == _counted_by_hand(today)
    assert figures["to_plan"] >= 3 and figures["retention_due"] == 3


def test_the_home_page_shows_the_panel_in_the_same_queries_as_it_grows(client, beheerder):
    _world(1)
    client.force_login(beheerder)
    page = client.get(reverse("portal:home")).content.decode()  # the session's first request
    small = page_query_count(client, reverse("portal:home"))
    assert "Programmabureau" in page and "1 aangeboden plaats wacht op bevestiging" in page
    _world(10)
    assert page_query_count(client, reverse("portal:home")) == small


def test_other_roles_do_not_get_the_panel(client, trainer, hr, participant):
    _world(1)
    for user in (trainer, hr, participant):
        client.force_login(user)
        assert "panel-office" not in client.get(reverse("portal:home")).content.decode()
