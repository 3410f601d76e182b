import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leergang import services
from leergang.models import Attendance, Enrolment, Reflection
from tests.factories import BijeenkomstFactory, CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db
State = Enrolment.State
PRESENT, ABSENT, EXCUSED = Attendance.Status.values


@pytest.fixture
def course(trainer, participant):
    """Five bijeenkomsten, two modules; completion needs 80% and every reflection."""
    cohort = CohortFactory(trainers=[trainer], bijeenkomsten=2)
    for _ in range(3):
        BijeenkomstFactory(cohort=cohort)
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    modules = [link.module for link in cohort.leergang.module_links.all()]
    return cohort, enrolment, modules


def _attend(cohort, enrolment, trainer, statuses):
    for bijeenkomst, status in zip(cohort.bijeenkomsten.all(), statuses, strict=False):
        services.attendance_record(
            bijeenkomst=bijeenkomst, by=trainer, entries={enrolment.pk: (status, "")}
        )


def _reflect(enrolment, module, submit=True, text="Wat ik leerde", shared_with_trainer=False):
    return services.reflection_save(
        enrolment=enrolment,
        module=module,
        text=text,
        submit=submit,
        shared_with_trainer=shared_with_trainer,
        shared_with_coach=False,
    )


def test_completion_needs_attendance_and_every_reflection(course, trainer, clock):
    cohort, enrolment, modules = course
    clock.travel(days=60)  # every bijeenkomst has been held
    _attend(cohort, enrolment, trainer, [PRESENT, PRESENT, PRESENT, ABSENT, EXCUSED])
    _reflect(enrolment, modules[0])
    _reflect(enrolment, modules[1], submit=False)  # a draft does not count
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED  # 60% and a reflection missing
    _attend(cohort, enrolment, trainer, [PRESENT, PRESENT, PRESENT, PRESENT, EXCUSED])
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED  # 80% now, but one reflection is a draft
    _reflect(enrolment, modules[1])
    enrolment.refresh_from_db()
    assert enrolment.state == State.COMPLETED
    assert enrolment.certificate_code and enrolment.completed_at


def test_seventy_nine_percent_is_not_enough(course, trainer, clock):
    cohort, enrolment, modules = course
    clock.travel(days=60)  # every bijeenkomst has been held
    cohort.min_attendance_percent = 81
    cohort.save()
    for module in modules:
        _reflect(enrolment, module)
    _attend(cohort, enrolment, trainer, [PRESENT, PRESENT, PRESENT, PRESENT, ABSENT])
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED


def test_reflections_can_be_optional(course, trainer, clock):
    cohort, enrolment, _modules = course
    clock.travel(days=60)  # every bijeenkomst has been held
    cohort.reflections_required = False
    cohort.save()
    _attend(cohort, enrolment, trainer, [PRESENT] * 4)
    enrolment.refresh_from_db()
    assert enrolment.state == State.COMPLETED


def test_a_cohort_without_bijeenkomsten_completes_nobody(participant):
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(reflections_required=False), participant=participant
    )
    assert services.enrolment_check_completion(enrolment=enrolment) is False


def test_attendance_for_someone_not_in_the_cohort_is_refused_and_changes_nothing(course, trainer):
    cohort, enrolment, _modules = course
    stranger = EnrolmentFactory()  # another cohort
    with pytest.raises(ValidationError, match="deelnemers van deze"):
        services.attendance_record(
            bijeenkomst=cohort.bijeenkomsten.first(),
            by=trainer,
            entries={enrolment.pk: (PRESENT, ""), stranger.pk: (PRESENT, "")},
        )
    assert not Attendance.objects.exists()


def test_attendance_form_posts_a_whole_bijeenkomst(client, course, trainer, clock):
    cohort, enrolment, _modules = course
    clock.travel(days=60)  # every bijeenkomst has been held
    other = EnrolmentFactory(cohort=cohort)
    bijeenkomst = cohort.bijeenkomsten.first()
    client.force_login(trainer)
    url = reverse("leergang:attendance-edit", args=[bijeenkomst.pk])
    response = client.post(
        url,
        {
            f"status_{enrolment.pk}": PRESENT,
            f"status_{other.pk}": EXCUSED,
            f"reason_{other.pk}": "Ziek",
        },
    )
    assert response.status_code == 302
    recorded = {a.enrolment_id: (a.status, a.reason) for a in bijeenkomst.attendances.all()}
    assert recorded == {enrolment.pk: (PRESENT, ""), other.pk: (EXCUSED, "Ziek")}


def test_attendance_form_without_a_choice_shows_an_error_and_saves_nothing(client, course, trainer):
    cohort, enrolment, _modules = course
    bijeenkomst = cohort.bijeenkomsten.first()
    client.force_login(trainer)
    response = client.post(
        reverse("leergang:attendance-edit", args=[bijeenkomst.pk]),
        {f"status_{enrolment.pk}": "geweldig"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_participant_reports_absence_in_advance_and_can_take_it_back(client, course, participant):
    cohort, enrolment, _modules = course
    future = BijeenkomstFactory(cohort=cohort, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(participant)
    url = reverse("leergang:bijeenkomst-excuse", args=[future.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # reason required
    assert client.post(url, {"reason": "Gemeenteraad"}).status_code == 302
    assert Attendance.objects.get(bijeenkomst=future).status == EXCUSED
    assert client.post(url, {"withdraw": "1"}).status_code == 302
    assert not Attendance.objects.filter(bijeenkomst=future).exists()


def test_absence_cannot_be_reported_after_the_start(course, participant):
    cohort, enrolment, _modules = course
    started = BijeenkomstFactory(cohort=cohort, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="begonnen"):
        services.attendance_excuse(bijeenkomst=started, enrolment=enrolment, reason="Te laat")


def test_reflection_over_the_size_limit_is_refused_and_the_old_text_kept(
    client, course, participant
):
    _cohort, enrolment, modules = course
    _reflect(enrolment, modules[0], submit=False)
    client.force_login(participant)
    url = reverse("leergang:reflection-edit", args=[enrolment.pk, modules[0].slug])
    response = client.post(url, {"text": "x" * 10_001, "save": "1"})
    assert response.status_code == 200
    assert "10000" in response.content.decode().replace(".", "")
    assert Reflection.objects.get().text == "Wat ik leerde"


def test_sharing_a_reflection_with_the_trainer_and_taking_it_back(
    client, course, participant, trainer
):
    _cohort, enrolment, modules = course
    client.force_login(participant)
    url = reverse("leergang:reflection-edit", args=[enrolment.pk, modules[0].slug])
    client.post(
        url, {"text": "Gedeeld inzicht", "shared_with_trainer": "on", "submit_reflection": "1"}
    )
    reflection = Reflection.objects.get()
    assert reflection.submitted_at and reflection.shared_with_trainer
    client.force_login(trainer)
    detail = reverse("leergang:reflection-detail", args=[reflection.pk])
    assert "Gedeeld inzicht" in client.get(detail).content.decode()
    client.force_login(participant)
    client.post(url, {"text": "Gedeeld inzicht", "save": "1"})
    client.force_login(trainer)
    assert client.get(detail).status_code == 404


def test_trainer_matrix_never_shows_unshared_reflection_text(client, course, trainer):
    _cohort, enrolment, modules = course
    _reflect(enrolment, modules[0], text="Heel persoonlijk")
    client.force_login(trainer)
    page = client.get(reverse("leergang:cohort-manage", args=[enrolment.cohort_id]))
    assert "Heel persoonlijk" not in page.content.decode()


def test_certificate_verification_confirms_and_shows_nothing_more(client, participant):
    enrolment = EnrolmentFactory(
        participant=participant,
        state=State.COMPLETED,
        certificate_code="0123456789abcdef",
        completed_at=timezone.now(),
    )
    page = client.get(reverse("leergang:certificate-verify", args=["0123456789abcdef"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert escape(participant.last_name) in text and enrolment.cohort.leergang.title in text
    assert participant.email not in text
    assert participant.organisation.name not in text
    missing = client.get(reverse("leergang:certificate-verify", args=["ffffffffffffffff"]))
    assert missing.status_code == 404


def test_certificate_download_is_a_pdf_for_the_owner_only(client, participant, outsider):
    enrolment = EnrolmentFactory(
        participant=participant,
        state=State.COMPLETED,
        certificate_code="0123456789abcdef",
        completed_at=timezone.now(),
    )
    url = reverse("leergang:certificate-download", args=[enrolment.pk])
    client.force_login(participant)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_no_certificate_before_completion(client, participant):
    enrolment = EnrolmentFactory(participant=participant)
    client.force_login(participant)
    url = reverse("leergang:certificate-download", args=[enrolment.pk])
    assert client.get(url).status_code == 403


def test_hr_never_sees_leerlog_text(client, course, hr):
    _cohort, enrolment, modules = course
    reflection = _reflect(enrolment, modules[0])
    client.force_login(hr)
    assert (
        client.get(reverse("leergang:reflection-detail", args=[reflection.pk])).status_code == 404
    )


def test_the_export_holds_my_leerlog_and_not_others(client, course, participant):
    _cohort, enrolment, modules = course
    _reflect(enrolment, modules[0])
    other = EnrolmentFactory(cohort=enrolment.cohort, participant=UserFactory())
    _reflect(other, modules[0], text="Van iemand anders")
    client.force_login(participant)
    data = client.get(reverse("portal:profile-export")).json()
    assert data["enrolments"][0]["leerlog"][0]["text"] == "Wat ik leerde"
    assert "Van iemand anders" not in str(data)


def test_beheerder_matrix_has_no_links_to_shared_reflections(client, course, beheerder, trainer):
    _cohort, enrolment, modules = course
    reflection = _reflect(enrolment, modules[0], text="Gedeeld", shared_with_trainer=True)
    link = reverse("leergang:reflection-detail", args=[reflection.pk])
    matrix = reverse("leergang:cohort-manage", args=[enrolment.cohort_id])
    client.force_login(trainer)
    assert link in client.get(matrix).content.decode()
    client.force_login(beheerder)
    assert link not in client.get(matrix).content.decode()


def test_trainer_matrix_writes_every_kind_of_cell_out_in_full(client, course, trainer, clock):
    """Per bijeenkomst: an afmelding with its reason, escaped, for the eye and the screen
    reader, then not recorded; per module: a draft, and a shared reflection as a link that
    says whose module it is about."""
    cohort, enrolment, modules = course
    modules[1].title = "Samen & verder"
    modules[1].save()
    clock.travel(days=60)
    first = cohort.bijeenkomsten.order_by("starts_at", "pk").first()
    services.attendance_record(
        bijeenkomst=first, by=trainer, entries={enrolment.pk: (EXCUSED, "Ziek <koorts>")}
    )
    _reflect(enrolment, modules[0], submit=False)
    shared = _reflect(enrolment, modules[1], shared_with_trainer=True)
    client.force_login(trainer)
    page = client.get(reverse("leergang:cohort-manage", args=[cohort.pk])).content.decode()
    page = re.sub(r">\s+<", "><", page)
    reason = "Ziek &lt;koorts&gt;"
    link = reverse("leergang:reflection-detail", args=[shared.pk])
    not_recorded = (
        '<td class="text-center"><span aria-hidden="true">–</span>'
        '<span class="visually-hidden">niet geregistreerd</span></td>'
    )
    assert (
        f'<td class="text-center"><span aria-hidden="true" title="{reason}">A</span>'
        f'<span class="visually-hidden">afgemeld: {reason}</span></td>'
        + not_recorded
        * 4
        + '<td class="text-center"><span aria-hidden="true">…</span>'
        '<span class="visually-hidden">concept</span></td>'
        f'<td class="text-center"><a href="{link}" '
        'aria-label="Lees de gedeelde reflectie over Samen &amp; verder">✔</a></td>'
    ) in page


def test_insights_profile_must_add_up_to_100_and_can_be_removed(client, participant):
    from leergang.models import InsightsProfile

    client.force_login(participant)
    url = reverse("leergang:insights-profile")
    response = client.post(url, {"red": 50, "yellow": 30, "green": 10, "blue": 5})
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not InsightsProfile.objects.exists()
    assert client.post(url, {"red": 55, "yellow": 30, "green": 10, "blue": 5}).status_code == 302
    assert InsightsProfile.objects.get(participant=participant).colours == (55, 30, 10, 5)
    assert client.post(url, {"delete": "1"}).status_code == 302
    assert not InsightsProfile.objects.exists()


def test_the_export_says_since_when_i_waited_and_until_when_a_seat_is_offered(client, participant):
    since = timezone.now() - timedelta(days=60)
    until = timezone.now() + timedelta(hours=30)
    EnrolmentFactory(
        participant=participant,
        state=Enrolment.State.OFFERED,
        waitlisted_at=since,
        offer_expires_at=until,
    )
    client.force_login(participant)
    (row,) = client.get(reverse("portal:profile-export")).json()["enrolments"]
    assert row["state"] == "offered"
    assert row["on_waiting_list_since"] == since.isoformat()
    assert row["seat_offered_until"] == until.isoformat()
