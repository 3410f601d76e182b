"""A participant is told what their enrolment is: a pending request is not a seat, and a
place on the waiting list has a number (on every page and in the mail)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leergang import services
from leergang.models import Enrolment
from portal.models import Notification
from portal.notifications import render_notification
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db
State = Enrolment.State

PENDING = "Je aanvraag wacht op goedkeuring van je werkgever."
ENROLLED = "Je bent ingeschreven"


def _pages(client, enrolment):
    client.force_login(enrolment.participant)
    urls = [
        reverse("leergang:catalogue"),
        enrolment.cohort.leergang.get_absolute_url(),
        reverse("leergang:cohort-enrol", args=[enrolment.cohort_id]),
        reverse("leergang:my-leergang"),
        reverse("leergang:enrolment-detail", args=[enrolment.pk]),
        reverse("portal:home"),
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_a_pending_request_is_called_what_it_is_everywhere(client, participant, hr):
    cohort = CohortFactory(requires_approval=True)
    enrolment = services.enrolment_create(cohort=cohort, participant=participant)
    for url, page in _pages(client, enrolment).items():
        assert PENDING in page, url
        assert ENROLLED not in page, url


def test_a_seat_is_still_called_enrolled(client, participant):
    enrolment = services.enrolment_create(cohort=CohortFactory(), participant=participant)
    pages = _pages(client, enrolment)
    for url in (
        reverse("leergang:catalogue"),
        reverse("leergang:cohort-enrol", args=[enrolment.cohort_id]),
        reverse("leergang:my-leergang"),
    ):
        assert ENROLLED in pages[url], url


def _waiting(cohort, count):
    start = timezone.now() - timedelta(days=1)
    return [
        EnrolmentFactory(
            cohort=cohort, state=State.WAITLISTED, waitlisted_at=start + timedelta(minutes=i)
        )
        for i in range(count)
    ]


def test_the_waiting_list_position_shows_on_every_page_and_moves_up(client, participant):
    cohort = CohortFactory(seats=1, participants=1)
    ahead = _waiting(cohort, 2)
    enrolment = services.enrolment_create(cohort=cohort, participant=participant)
    assert enrolment.state == State.WAITLISTED
    for url, page in _pages(client, enrolment).items():
        assert "Je staat op de wachtlijst (plaats 3)" in page, url
    services.enrolment_cancel(enrolment=ahead[0], by=ahead[0].participant)
    for url, page in _pages(client, enrolment).items():
        assert "Je staat op de wachtlijst (plaats 2)" in page, url


def test_the_message_after_joining_the_waiting_list_gives_the_position(client, participant):
    cohort = CohortFactory(seats=1, participants=1)
    _waiting(cohort, 1)
    client.force_login(participant)
    response = client.post(reverse("leergang:cohort-enrol", args=[cohort.pk]), follow=True)
    assert "je staat op de wachtlijst (plaats 2)" in response.content.decode()


def test_position_follows_the_order_in_which_seats_are_given(participant):
    """Ties on the moment of joining are broken as the promotion breaks them."""
    cohort = CohortFactory(seats=1, participants=1)
    same_moment = timezone.now() - timedelta(hours=1)
    waiting = [
        EnrolmentFactory(cohort=cohort, state=State.WAITLISTED, waitlisted_at=same_moment)
        for _ in range(3)
    ]
    positions = {
        e.pk: e.waitlist_position
        for e in Enrolment.objects.filter(cohort=cohort).with_waitlist_position()
    }
    first = min(waiting, key=lambda e: positions[e.pk])
    assert sorted(positions[e.pk] for e in waiting) == [1, 2, 3]
    assert [pk for pk, position in positions.items() if position is None]  # the seat holder
    holder = cohort.enrolments.get(state=State.ENROLLED)
    services.enrolment_cancel(enrolment=holder, by=holder.participant)
    first.refresh_from_db()
    assert first.state == State.ENROLLED


def test_the_waiting_list_mail_tells_the_position_in_text_and_html(
    participant, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(seats=1, participants=1)
    _waiting(cohort, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(cohort=cohort, participant=participant)
    (message,) = [m for m in mail.outbox if m.to == [participant.email]]
    assert "op plaats 4" in message.body
    assert "op plaats 4" in message.alternatives[0][0]


def test_a_waiting_list_mail_queued_before_positions_existed_still_renders(participant):
    enrolment = EnrolmentFactory(participant=participant, state=State.WAITLISTED)
    notification = Notification.objects.create(
        recipient=participant,
        email=participant.email,
        kind="enrolment_waitlisted",
        context={"from_state": "requested", "reason": ""},
        language="nl",
        about=enrolment,
    )
    message = render_notification(notification)
    assert "wachtlijst" in message.body and "plaats" not in message.body


def test_the_catalogue_keeps_its_query_count_with_my_enrolments(client, participant):
    client.force_login(participant)

    def grow(size):
        for _ in range(size):
            cohort = CohortFactory(seats=1, participants=1)
            _waiting(cohort, 2)
            services.enrolment_create(cohort=cohort, participant=participant)

    grow(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("leergang:catalogue"))
    grow(18)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("leergang:catalogue")).content.decode()
    assert len(many) == len(few)
    # Twenty leergangen (one per cohort): twelve cards on the first page, eight on the next.
    assert page.count("Je staat op de wachtlijst (plaats 3)") == 12
    second = client.get(reverse("leergang:catalogue"), {"page": 2}).content.decode()
    assert second.count("Je staat op de wachtlijst (plaats 3)") == 8
