"""A participant answers an evaluation from the e-mail's link; a trainer reads the results."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from leergang.demo import RUNNING_COHORT
from leergang.models import Bijeenkomst
from portal import demo
from portal.reminders import reminders_scan
from tests.browser.test_journeys import open_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _invitation_mail_after_the_next_bijeenkomst() -> str:
    """Hold the running cohort's next bijeenkomst this morning and let the scan invite; the
    link in the demo participant's e-mail."""
    slug, name = RUNNING_COHORT
    morning = datetime.combine(
        timezone.localdate(), time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    with time_machine.travel(morning, tick=False):
        bijeenkomst = (
            Bijeenkomst.objects.filter(
                cohort__leergang__slug=slug, cohort__name=name, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        bijeenkomst.starts_at = timezone.now() - timedelta(hours=4)
        bijeenkomst.ends_at = timezone.now() - timedelta(hours=1)
        bijeenkomst.save()
        reminders_scan()
    message = next(
        m
        for m in mail.outbox
        if m.to == [demo.PARTICIPANT_EMAIL] and "evaluatie" in m.subject.lower()
    )
    return re.search(r"https?://\S+/evaluatie/\S+/", message.body).group(0)


def test_a_participant_answers_an_evaluation_from_the_mail_link(page, axe, demo_data):
    link = _invitation_mail_after_the_next_bijeenkomst()
    page.goto(urlparse(link).path)
    axe.check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Evaluatie"

    # Sent without a mark: the error summary links to the question.
    page.locator("main form").first.evaluate("f => f.noValidate = true")
    page.get_by_role("button", name="Evaluatie versturen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_grade"
    axe.check(page)

    page.get_by_role("group", name=re.compile("rapportcijfer")).get_by_label(
        "8", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("aanraadt")).get_by_label("9", exact=True).check()
    for goal in page.locator("fieldset[id^='id_goal_']").all():
        goal.get_by_label("4", exact=True).check()
    page.get_by_label("Opmerkingen").fill("Heel bruikbaar voor mijn werk met bewoners.")
    page.get_by_role("button", name="Evaluatie versturen").click()
    page.get_by_role("heading", name="Bedankt voor je evaluatie").wait_for()
    axe.check(page)

    # The link works once.
    page.goto(urlparse(link).path)
    assert "al ingevuld" in page.locator("main").inner_text()
    axe.check(page)
    axe.assert_clean()


def test_a_trainer_reads_the_results_of_the_finished_cohort(page, axe, demo_data):
    sign_in(page, demo.TRAINER_EMAIL)
    open_link(page, axe, "Evaluaties", exact=True)
    open_link(page, axe, re.compile(r"Open uitvoering Utrecht"))
    main = page.locator("main").inner_text()
    assert "Gemiddeld rapportcijfer" in main and "Gegeven rapportcijfers" in main
    assert "Opmerkingen" in main
    axe.assert_clean()


def test_hr_the_programme_office_and_a_coach_read_their_figures(page, axe, demo_data):
    for email, link, heading in [
        (demo.HR_UTRECHT_EMAIL, "Evaluaties", "Evaluaties door medewerkers"),
        (demo.BEHEERDER_EMAIL, "Trends over uitvoeringen heen", "Evaluaties over uitvoeringen"),
        (demo.COACH_EMAIL, "Evaluaties coaching", "Evaluaties van mijn coaching"),
    ]:
        page.context.clear_cookies()
        sign_in(page, email)
        open_link(page, axe, link, exact=True)
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
    axe.assert_clean()
