from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from leergang import services
from leergang.models import Attendance, Cohort, Enrolment, Material
from portal.models import CalendarFeed
from tests.factories import (
    BijeenkomstFactory,
    CohortFactory,
    EnrolmentFactory,
    LeergangFactory,
    MaterialFactory,
    UserFactory,
)
from tests.helpers import admin_cohort_form, page_query_count

pytestmark = pytest.mark.django_db


def _grow_cohort(cohort, participants, trainer=None):
    for _ in range(participants):
        enrolment = EnrolmentFactory(cohort=cohort)
        for bijeenkomst in cohort.bijeenkomsten.all():
            Attendance.objects.create(
                enrolment=enrolment, bijeenkomst=bijeenkomst, status=Attendance.Status.PRESENT
            )
        for link in cohort.leergang.module_links.all():
            services.reflection_save(
                enrolment=enrolment,
                module=link.module,
                text="Inzicht",
                submit=False,
                shared_with_trainer=True,
                shared_with_coach=False,
            )


@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "participant"])
def test_catalogue_queries_do_not_grow_tenfold(client, participant, signed_in):
    if signed_in:
        client.force_login(participant)
    for _ in range(2):
        CohortFactory(participants=1)
    few = page_query_count(client, reverse("leergang:catalogue"))
    for _ in range(20):
        CohortFactory(participants=2, leergang__module_count=4)
    assert page_query_count(client, reverse("leergang:catalogue")) == few


def test_trainer_matrix_queries_do_not_grow_with_participants(client, trainer):
    small = CohortFactory(trainers=[trainer], bijeenkomsten=2)
    large = CohortFactory(trainers=[trainer], bijeenkomsten=2)
    _grow_cohort(small, 3)
    _grow_cohort(large, 30)
    client.force_login(trainer)
    few = page_query_count(client, reverse("leergang:cohort-manage", args=[small.pk]))
    many = page_query_count(client, reverse("leergang:cohort-manage", args=[large.pk]))
    assert many == few <= 15
    page = client.get(reverse("leergang:cohort-manage", args=[large.pk])).content.decode()
    for enrolment in large.enrolments.select_related("participant"):
        assert escape(enrolment.participant.last_name) in page


def test_participant_dashboard_queries_do_not_grow_tenfold(client, participant):
    client.force_login(participant)
    cohort = CohortFactory(bijeenkomsten=2)
    EnrolmentFactory(cohort=cohort, participant=participant)
    few = page_query_count(client, reverse("leergang:my-leergang"))
    for _ in range(10):
        other = CohortFactory(bijeenkomsten=2, leergang__module_count=3)
        EnrolmentFactory(cohort=other, participant=participant)
        _grow_cohort(other, 1)
    assert page_query_count(client, reverse("leergang:my-leergang")) == few <= 15
    page = client.get(reverse("leergang:my-leergang")).content.decode()
    assert escape(other.leergang.title) in page and escape(cohort.leergang.title) in page


def test_trainer_cohort_list_and_attendance_form_keep_their_counts(client, trainer):
    cohort = CohortFactory(trainers=[trainer], bijeenkomsten=1, participants=2)
    client.force_login(trainer)
    list_few = page_query_count(client, reverse("leergang:trainer-cohorts"))
    form_url = reverse("leergang:attendance-edit", args=[cohort.bijeenkomsten.first().pk])
    form_few = page_query_count(client, form_url)
    for _ in range(10):
        CohortFactory(trainers=[trainer], participants=2)
    _grow_cohort(cohort, 20)
    assert page_query_count(client, reverse("leergang:trainer-cohorts")) == list_few
    assert cohort.name in client.get(reverse("leergang:trainer-cohorts")).content.decode()
    assert page_query_count(client, form_url) == form_few


def test_approval_queue_keeps_itspage_query_count(client, hr, utrecht):
    client.force_login(hr)
    cohort = CohortFactory(requires_approval=True)
    EnrolmentFactory(
        cohort=cohort,
        state=Enrolment.State.REQUESTED,
        participant=UserFactory(organisation=utrecht),
    )
    few = page_query_count(client, reverse("leergang:approval-queue"))
    for _ in range(10):
        EnrolmentFactory(
            cohort=CohortFactory(requires_approval=True),
            state=Enrolment.State.REQUESTED,
            participant=UserFactory(organisation=utrecht),
        )
    assert page_query_count(client, reverse("leergang:approval-queue")) == few


def test_op_maat_cohorts_show_only_to_their_own_organisation(
    client, participant, outsider, utrecht
):
    leergang = LeergangFactory(title="Urban Professional")
    CohortFactory(leergang=leergang, name="Utrecht op maat", organisation=utrecht)
    CohortFactory(leergang=leergang, name="Open groep")
    anonymous = client.get(reverse("leergang:catalogue")).content.decode()
    assert "Open groep" in anonymous and "Utrecht op maat" not in anonymous
    client.force_login(outsider)
    page = client.get(reverse("leergang:leergang-detail", args=[leergang.slug])).content.decode()
    assert "Utrecht op maat" not in page
    client.force_login(participant)
    page = client.get(reverse("leergang:leergang-detail", args=[leergang.slug])).content.decode()
    assert "Utrecht op maat" in page


def test_unpublished_leergang_is_a_404(client):
    leergang = LeergangFactory(is_published=False)
    assert client.get(reverse("leergang:leergang-detail", args=[leergang.slug])).status_code == 404


def test_enrol_page_flow_and_double_post(client, participant):
    cohort = CohortFactory()
    client.force_login(participant)
    url = reverse("leergang:cohort-enrol", args=[cohort.pk])
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400  # the page explains; nothing new is created
    assert cohort.enrolments.count() == 1


def test_cancel_after_deadline_via_the_page_keeps_the_enrolment(client, participant):
    cohort = CohortFactory(cancellation_deadline=timezone.localdate() - timedelta(days=1))
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    client.force_login(participant)
    response = client.post(reverse("leergang:enrolment-cancel", args=[enrolment.pk]))
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.ENROLLED


def test_hr_approves_via_the_queue_and_cannot_decide_for_another_organisation(
    client, hr, outsider_hr, utrecht
):
    request = EnrolmentFactory(
        cohort=CohortFactory(requires_approval=True),
        state=Enrolment.State.REQUESTED,
        participant=UserFactory(organisation=utrecht),
    )
    url = reverse("leergang:approval-decide", args=[request.pk])
    client.force_login(outsider_hr)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(hr)
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200  # a rejection needs a reason
    assert client.post(url, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.state == Enrolment.State.ENROLLED
    # Deciding again does not error: the queue says it was handled.
    assert client.post(url, {"decision": "approve"}).status_code == 302


def test_calendar_feed_is_valid_ics_with_the_persons_bijeenkomsten(client, participant):
    cohort = CohortFactory(bijeenkomsten=2)
    EnrolmentFactory(cohort=cohort, participant=participant)
    BijeenkomstFactory()  # someone else's
    feed = CalendarFeed.objects.create(user=participant)
    response = client.get(reverse("portal:calendar-feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {
        f"{b.title} · {cohort.leergang.title}" for b in cohort.bijeenkomsten.all()
    }
    for event in events:
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert str(event["UID"]).startswith("bijeenkomst-")


def test_tampered_or_reset_calendar_token_is_a_404(client, participant):
    feed = CalendarFeed.objects.create(user=participant)
    old = feed.token
    assert client.get(reverse("portal:calendar-feed", args=[old + "x"])).status_code == 404
    client.force_login(participant)
    client.post(reverse("portal:calendar"))
    feed.refresh_from_db()
    assert feed.token != old
    client.logout()
    assert client.get(reverse("portal:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("portal:calendar-feed", args=[feed.token])).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("werkblad.pdf", b"%PDF-1.4", True),
        ("script.html", b"<script>", False),
        ("tool.exe", b"MZ", False),
        ("groot.pdf", b"x" * (10 * 1024 * 1024 + 1), False),
    ],
)
def test_material_uploads_are_checked_for_type_and_size(name, content, ok):
    module = LeergangFactory().module_links.first().module
    material = Material(
        module=module,
        title="Bestand",
        kind=Material.Kind.FILE,
        file=SimpleUploadedFile(name, content),
    )
    if ok:
        material.full_clean()
    else:
        with pytest.raises(ValidationError):
            material.full_clean()


def _module_with_material_file(client, upload):
    return client.post(
        reverse("admin:leergang_module_add"),
        {
            "title": "Nieuwe module",
            "slug": "nieuwe-module",
            "summary": "Kort",
            "reflection_assignment": "Schrijf op wat je leerde.",
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "0",
            "materials-0-title": "Werkblad",
            "materials-0-kind": "file",
            "materials-0-file": upload,
            "materials-0-position": "0",
        },
    )


@pytest.mark.parametrize(("extra", "saved"), [(0, True), (1, False)])
def test_a_material_file_one_byte_over_the_limit_is_refused_on_the_admin_form(
    client, beheerder, settings, extra, saved
):
    assert settings.MATERIAL_MAX_BYTES == 10 * 1024 * 1024
    client.force_login(beheerder)
    content = b"%PDF-1.4" + b"0" * (settings.MATERIAL_MAX_BYTES + extra - 8)
    response = _module_with_material_file(client, SimpleUploadedFile("werkblad.pdf", content))
    assert Material.objects.filter(title="Werkblad").exists() == saved
    if not saved:
        assert response.status_code == 200
        assert "Het bestand is te groot (maximaal 10 MB)." in response.content.decode()


def test_material_is_served_as_a_download_never_inline(client, participant):
    cohort = EnrolmentFactory(participant=participant).cohort
    material = MaterialFactory(module=cohort.leergang.module_links.first().module)
    client.force_login(participant)
    response = client.get(reverse("leergang:material-download", args=[material.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"


def test_a_cohort_that_ends_before_it_starts_is_refused(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:leergang_cohort_add"),
        admin_cohort_form(LeergangFactory(), name="Verkeerd om", ends_in_days=-1),
    )
    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Verkeerd om").exists()


def test_admin_pages_of_the_leergang_app_open_for_the_beheerder(client, beheerder):
    cohort = CohortFactory(participants=1, bijeenkomsten=1)
    client.force_login(beheerder)
    for name, args in [
        ("admin:leergang_leergang_changelist", []),
        ("admin:leergang_module_changelist", []),
        ("admin:leergang_cohort_change", [cohort.pk]),
        ("admin:leergang_enrolment_changelist", []),
        ("admin:leergang_enrolment_change", [cohort.enrolments.first().pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
