"""The broker goes down: enrolling still works at once, and the message goes out once when
the broker is back (the outbox row waits in the database; the sweep queues it again)."""

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leergang.models import Enrolment
from leergang.services import enrolment_create
from portal import queueing
from portal.models import Notification
from portal.notifications import notification_sweep
from tests.factories import CohortFactory, UserFactory
from tests.worker import RedisServer, celery_on, idle, wait_until, workers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        with celery_on(server.url):
            yield server
    finally:
        server.stop()


def _enrol(client, person, cohort):
    """The participant enrols through the real page; (response, seconds it took)."""
    client.force_login(person)
    started = time.monotonic()
    response = client.post(reverse("leergang:cohort-enrol", args=[cohort.pk]))
    return response, time.monotonic() - started


def test_enrolling_while_the_broker_is_down_answers_at_once_and_mails_once_it_is_back(
    client, broker, participant, utrecht, caplog
):
    cohort = CohortFactory()
    colleague = UserFactory(organisation=utrecht, roles=["deelnemer"])
    # With the broker up, for comparison.
    up, seconds_up = _enrol(client, colleague, cohort)
    assert up.status_code == 302
    broker.stop()

    with caplog.at_level(logging.ERROR, logger="portal.queueing"):
        down, seconds_down = _enrol(client, participant, cohort)
    assert down.status_code == 302
    assert down["Location"].startswith("/inschrijvingen/")
    print(f"enrolling took {seconds_up:.3f} s with the broker up, {seconds_down:.3f} s down")
    # Queuing was tried and failed fast: no hanging on connection timeouts and retries.
    assert "Could not queue notification_send_task" in caplog.text
    assert seconds_down < seconds_up + 1.5
    assert Enrolment.objects.get(participant=participant).cohort == cohort
    waiting = Notification.objects.get(recipient=participant)
    assert (waiting.status, waiting.attempts, waiting.sent_at) == ("queued", 0, None)

    # The broker returns empty (it kept nothing on disk: the colleague's task is lost too).
    broker.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notification_sweep() == 2
    with workers(1):
        assert wait_until(lambda: len(mail.outbox) >= 2 and idle())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([participant.email, colleague.email])
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_broker_that_accepts_but_never_answers_does_not_hang_the_page(
    client, participant, caplog
):
    """A half-dead broker (a connection opens, nothing ever answers) costs the request the
    hand-over's wait, not the socket timeout of every retry of the publish (seconds)."""
    import socket

    mute = socket.socket()
    mute.bind(("127.0.0.1", 0))
    mute.listen(16)  # the kernel completes connections; nobody ever reads or answers
    cohort = CohortFactory()
    url = f"redis://127.0.0.1:{mute.getsockname()[1]}/0"
    try:
        with (
            celery_on(url, purge=False),
            caplog.at_level(logging.ERROR, logger="portal.queueing"),
        ):
            response, seconds = _enrol(client, participant, cohort)
    finally:
        mute.close()
    print(f"enrolling took {seconds:.3f} s with a mute broker")
    assert response.status_code == 302
    assert "Could not queue notification_send_task" in caplog.text
    # Each try would wait its socket timeout, and the publish retries: the request waits
    # for the hand-over only so long.
    assert seconds < queueing.HAND_OVER_SECONDS + 1
    assert Notification.objects.get(recipient=participant).status == "queued"


def test_after_a_failed_hand_over_the_broker_is_left_alone_until_the_sweep(
    broker, participant, caplog
):
    """One failure per process per window: a sweep of many rows, or a busy minute of
    enrolments, does not wait on a broker that just failed."""
    broker.stop()
    cohort = CohortFactory()
    colleagues = [UserFactory(organisation=participant.organisation) for _ in range(3)]
    with caplog.at_level(logging.WARNING, logger="portal.queueing"):
        for person in [participant, *colleagues]:
            enrolment_create(cohort=cohort, participant=person)
    assert caplog.text.count("Could not queue notification_send_task") == 4
    assert caplog.text.count("the broker failed less than") == 3
    broker.start()
    assert notification_sweep() == 0, "two minutes not passed: their tasks may still come"
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notification_sweep() == 4  # the window has passed too
    with workers(1):
        assert wait_until(lambda: len(mail.outbox) >= 4 and idle())
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
