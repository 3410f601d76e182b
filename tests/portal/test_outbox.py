"""The programme office's outbox page: what went, what failed and why; a failed message
sent again, once."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification
from portal.notifications import notify
from tests.helpers import messages_of, page_query_count, post_twice, redirect_of_both

pytestmark = pytest.mark.django_db

SECRET = "VERTROUWELIJK-9X"  # stands for what a message body may carry


def _row(recipient, *, kind="invitation", status=Notification.Status.SENT, **fields):
    notification = Notification.objects.create(
        recipient=recipient if not isinstance(recipient, str) else None,
        email=recipient if isinstance(recipient, str) else recipient.email,
        kind=kind,
        status=status,
        context={"first_name": SECRET, "accept_url": "http://x.example/", "expires_at": "1-1"},
        **fields,
    )
    return notification


def test_the_programme_office_sees_each_message_without_its_text(client, beheerder, participant):
    _row(participant, kind="enrolment_enrolled", attempts=1)
    _row(
        "weg@nergens.example",
        status=Notification.Status.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    client.force_login(beheerder)
    page = client.get(reverse("portal:outbox")).content.decode()
    assert "enrolment_enrolled" in page and participant.email in page
    assert "weg@nergens.example" in page and "550 mailbox unavailable" in page
    assert "Mislukt" in page and "Verstuurd" in page
    assert SECRET not in page
    # Only the failed one can be sent again.
    assert page.count("/opnieuw-versturen/") == 1


def test_newest_first(client, beheerder, participant):
    from datetime import timedelta

    from django.utils import timezone

    _row("oud@utrecht.example", created_at=timezone.now() - timedelta(days=2))
    _row("nieuw@utrecht.example")
    client.force_login(beheerder)
    page = client.get(reverse("portal:outbox")).content.decode()
    assert page.index("nieuw@utrecht.example") < page.index("oud@utrecht.example")


def test_the_filter_shows_one_status_and_one_kind(client, beheerder, participant):
    _row("verstuurd@utrecht.example")
    _row("mislukt@utrecht.example", status=Notification.Status.FAILED)
    _row("wacht@utrecht.example", kind="enrolment_enrolled", status=Notification.Status.QUEUED)
    client.force_login(beheerder)
    url = reverse("portal:outbox")
    failed = client.get(url, {"status": "failed"}).content.decode()
    assert "mislukt@utrecht.example" in failed
    assert "verstuurd@utrecht.example" not in failed
    assert "wacht@utrecht.example" not in failed
    kind = client.get(url, {"kind": "enrolment_enrolled", "status": ""}).content.decode()
    assert "wacht@utrecht.example" in kind and "mislukt@utrecht.example" not in kind


@pytest.mark.parametrize(
    "query",
    [{"status": "kwijt"}, {"kind": "bestaat_niet"}, {"status": "failed", "page": "x"}],
)
def test_a_bad_filter_value_is_told_in_dutch_never_a_server_error(client, beheerder, query):
    _row("mislukt@utrecht.example", status=Notification.Status.FAILED)
    client.force_login(beheerder)
    response = client.get(reverse("portal:outbox"), query)
    page = response.content.decode()
    if "page" in query:
        # A page that is not a number is the first page, the filter still applied.
        assert response.status_code == 200 and "mislukt@utrecht.example" in page
    else:
        assert response.status_code == 400
        assert "Selecteer een geldige keuze" in page
        assert "mislukt@utrecht.example" in page  # the list without the bad filter


def test_a_page_past_the_end_is_not_found(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("portal:outbox"), {"page": "99"}).status_code == 404


def test_the_pages_keep_the_filter(client, beheerder):
    for number in range(51):
        _row(f"p{number}@utrecht.example", status=Notification.Status.FAILED)
    client.force_login(beheerder)
    page = client.get(reverse("portal:outbox"), {"status": "failed"}).content.decode()
    assert "?status=failed&amp;page=2" in page


def test_the_page_costs_the_same_queries_for_ten_times_the_rows(client, beheerder):
    for number in range(6):
        _row(f"a{number}@utrecht.example", status=Notification.Status.FAILED, kind=f"k{number}")
    url = reverse("portal:outbox")
    few = page_query_count(client, url, beheerder)
    for number in range(54):
        _row(f"b{number}@utrecht.example", status=Notification.Status.FAILED, kind=f"k{number}")
    assert page_query_count(client, url) == few


def test_a_failed_message_sent_again_goes_once_however_often_the_button_is_sent(
    client, beheerder, participant, django_capture_on_commit_callbacks
):
    notification = notify(
        participant,
        "invitation",
        context={"first_name": "Sanne", "accept_url": "http://x.example/", "expires_at": "1-1"},
    )
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )
    client.force_login(beheerder)
    url = reverse("portal:outbox-resend", args=[notification.pk])
    first, second = post_twice(
        client, url, {"once": str(uuid.uuid4())}, django_capture_on_commit_callbacks
    )
    assert redirect_of_both(first, second) == reverse("portal:outbox")
    assert "al verstuurd" in messages_of(second)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_only_a_failed_message_is_sent_again(client, beheerder, participant):
    sent = _row(participant, attempts=1)
    client.force_login(beheerder)
    response = client.post(
        reverse("portal:outbox-resend", args=[sent.pk]), {"once": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert "Alleen een bericht dat mislukt is" in messages_of(response)
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (Notification.Status.SENT, 1)


def test_the_resend_service_puts_the_row_back_with_fresh_attempts(
    beheerder, participant, django_capture_on_commit_callbacks, monkeypatch
):
    from portal import services

    queued = []
    monkeypatch.setattr(services, "enqueue", lambda name, pk: queued.append((name, pk)))
    failed = _row(participant, status=Notification.Status.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_resend(notification=failed, by=beheerder)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.claimed_at) == ("queued", 0, None)
    assert queued == [("notification_send_task", failed.pk)]


def test_a_persons_data_export_holds_only_their_own_messages(client, beheerder, participant):
    _row(participant)
    _row(beheerder, kind="enrolment_enrolled")
    client.force_login(beheerder)
    export = client.get(reverse("portal:profile-export")).json()
    assert [row["email"] for row in export["notifications"]] == [beheerder.email]


def test_the_menu_leads_the_programme_office_alone_to_the_outbox(client, beheerder, hr, trainer):
    for person, shown in ((beheerder, True), (hr, False), (trainer, False)):
        client.force_login(person)
        page = client.get(reverse("portal:home")).content.decode()
        assert (f'href="{reverse("portal:outbox")}"' in page) is shown, person
