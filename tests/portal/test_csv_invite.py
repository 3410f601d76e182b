import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from portal import services
from portal.models import Invitation, InvitationImport, Role
from portal.services import (
    invitation_csv_parse,
    invitation_import_csv,
    invitation_import_run,
    invitation_import_start,
    invitation_import_sweep,
)
from portal.tasks import invitation_import_task
from tests.concurrency import run_in_parallel
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

MIXED_FILE = (
    b"e-mail,voornaam,achternaam\n"  # line 1: header
    b"anna.smit@utrecht.example,Anna,Smit\n"  # 2: good
    b"bram.de.wit@utrecht.example,Bram,de Wit\n"  # 3: good
    b"ANNA.SMIT@utrecht.example,Anna,Smit\n"  # 4: duplicate of line 2
    b"geen-adres,Carla,Mertens\n"  # 5: malformed e-mail
    b"\n"  # 6: empty row, skipped
    b"daan@utrecht.example,Daan\n"  # 7: missing column
    b"eva.jansen@utrecht.example,Eva,Jansen\n"  # 8: good
)


def _import(data, hr):
    return invitation_import_csv(data=data, organisation=hr.organisation, invited_by=hr)


def _people(count, start=0):
    return "".join(
        f"persoon{n}@utrecht.example;Voornaam{n};Achternaam{n}\r\n"
        for n in range(start, start + count)
    ).encode()


def _start(hr, data, name="medewerkers.csv"):
    return invitation_import_start(
        data=data, file_name=name, organisation=hr.organisation, uploaded_by=hr
    )


def test_good_rows_are_invited_and_every_bad_row_is_reported_by_line(hr):
    result = _import(MIXED_FILE, hr)
    assert sorted(i.email for i in result.created) == [
        "anna.smit@utrecht.example",
        "bram.de.wit@utrecht.example",
        "eva.jansen@utrecht.example",
    ]
    assert [line for line, _message in result.errors] == [4, 5, 7]
    messages = dict(result.errors)
    assert "regel 2" in messages[4]
    assert "geen-adres" in messages[5]
    for invitation in Invitation.objects.all():
        assert invitation.organisation == hr.organisation
        assert invitation.roles == [Role.DEELNEMER]
        assert invitation.invited_by == hr


def test_reupload_creates_nothing_twice(hr):
    _import(MIXED_FILE, hr)
    result = _import(MIXED_FILE, hr)
    assert result.created == []
    assert Invitation.objects.count() == 3
    assert {2, 3, 8} <= {line for line, _message in result.errors}


def test_existing_account_is_reported_not_invited(hr):
    UserFactory(email="anna.smit@utrecht.example", organisation=hr.organisation)
    result = _import(MIXED_FILE, hr)
    assert "anna.smit@utrecht.example" not in [i.email for i in result.created]
    assert "heeft al een account" in dict(result.errors)[2]


def test_non_utf8_lines_are_reported_and_the_rest_still_goes_in(hr):
    data = (
        b"femke@utrecht.example,Femke,Bos\n"
        + b"gijs@utrecht.example,Gijs,Dijkstra\n"
        + "h\xe9l\xe8ne@utrecht.example,H\xe9l\xe8ne,M\xfcller\n".encode("latin-1")
    )
    result = _import(data, hr)
    assert [i.email for i in result.created] == ["femke@utrecht.example", "gijs@utrecht.example"]
    assert [line for line, _message in result.errors] == [3]
    assert "UTF-8" in result.errors[0][1]


def test_semicolon_separated_file_from_dutch_excel_with_bom(hr):
    data = "\ufeffE-mailadres;Voornaam;Achternaam\r\nilse@utrecht.example;Ilse;van Dam\r\n"
    result = _import(data.encode("utf-8"), hr)
    assert [i.email for i in result.created] == ["ilse@utrecht.example"]
    assert result.errors == []


def test_empty_lines_and_lines_of_only_separators_are_skipped_silently():
    rows = invitation_csv_parse(b"\n;;\r\n  \nanna@utrecht.example;Anna;Smit\n;;;\n\n")
    assert [(row.line, row.email, row.problem) for row in rows] == [(4, "anna@utrecht.example", "")]


def test_garbage_and_overlong_lines_are_reported_not_raised():
    data = (
        b"anna@utrecht.example,Anna,Smit\n"
        + b"x" * 300_000
        + b"\n"
        + b'"' * 5000
        + b",b,c\n"
        + bytes(range(1, 256)).replace(b"\n", b"").replace(b"\r", b"")
        + b"\n"
        + b"bram@utrecht.example,Bram,Bos\n"
    )
    rows = invitation_csv_parse(data)
    assert [row.line for row in rows] == [1, 2, 3, 4, 5]
    assert [row.email for row in rows if not row.problem] == [
        "anna@utrecht.example",
        "bram@utrecht.example",
    ]
    assert rows[1].problem == InvitationImport.Problem.UNREADABLE
    assert "te lang" in rows[1].message


def test_a_line_the_csv_module_refuses_is_reported():
    import csv

    data = b"an@utrecht.example,An,Bos\n" + b"a-rather-long-address@utrecht.example,B,C\n"
    old_limit = csv.field_size_limit(30)
    try:
        rows = invitation_csv_parse(data)
    finally:
        csv.field_size_limit(old_limit)
    assert [row.problem for row in rows] == ["", InvitationImport.Problem.UNREADABLE]
    assert "niet als CSV" in rows[1].message


# --- the upload page --------------------------------------------------------------------------


def test_upload_queues_an_import_and_shows_its_report(
    client, hr, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    upload = SimpleUploadedFile("medewerkers.csv", MIXED_FILE, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("portal:invitation-import"), {"file": upload})
    job = InvitationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:invitation-import-detail", args=[job.pk])
    assert len(callbacks) == 1 + 3  # the import, then one e-mail per good row
    job.refresh_from_db()
    assert (job.state, job.total_rows, job.processed_rows) == ("done", 6, 6)
    assert (job.created_count, job.existing_count, job.error_count) == (3, 0, 3)
    assert job.content == b""  # the list itself is not kept once done
    page = client.get(response["Location"]).content.decode()
    assert "3 uitnodigingen verstuurd" in page
    assert "3 regels hebben een fout" in page
    assert "Regel 5" in page
    assert "import-progress.js" not in page  # finished: nothing left to poll


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("lijst.xlsx", b"PK\x03\x04", ".csv"),
        ("lijst.csv", b"", "leeg"),
        ("lijst.csv", b"a\x00b", "geen tekstbestand"),
        ("lijst.csv", b"e-mail;voornaam;achternaam\r\n;;\r\n", "bevat geen personen"),
    ],
)
def test_upload_of_a_wrong_file_gives_a_field_error(client, hr, name, content, fragment):
    client.force_login(hr)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("portal:invitation-import"), {"file": upload})
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not Invitation.objects.exists()
    assert not InvitationImport.objects.exists()


def test_file_of_only_empty_lines_gives_one_message_fast_on_a_small_page(client, hr):
    client.force_login(hr)
    data = b";;\r\n" * 120_000  # 480 kB of lines a spreadsheet leaves behind
    upload = SimpleUploadedFile("lijst.csv", data)
    started = time.monotonic()
    response = client.post(reverse("portal:invitation-import"), {"file": upload})
    elapsed = time.monotonic() - started
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("bevat geen personen") == 2  # the error summary and the field
    assert len(page) < 20_000
    assert elapsed < 5  # was 21 s; about 0.3 s here
    assert not InvitationImport.objects.exists()


def test_too_large_file_is_refused(client, hr, settings):
    settings.INVITATION_CSV_MAX_BYTES = 100
    client.force_login(hr)
    upload = SimpleUploadedFile("lijst.csv", MIXED_FILE)
    response = client.post(reverse("portal:invitation-import"), {"file": upload})
    assert "te groot" in response.content.decode()
    assert not Invitation.objects.exists()


def _upload(client, hr, data):
    client.force_login(hr)
    upload = SimpleUploadedFile("medewerkers.csv", data, content_type="text/csv")
    return client.post(reverse("portal:invitation-import"), {"file": upload})


def test_a_file_one_byte_over_the_default_limit_is_refused_on_the_form(client, hr, settings):
    assert settings.INVITATION_CSV_MAX_BYTES == 512 * 1024
    data = _people(1)
    response = _upload(
        client, hr, data + b" " * (settings.INVITATION_CSV_MAX_BYTES + 1 - len(data))
    )
    assert response.status_code == 200
    assert "Het bestand is te groot (maximaal 512 kB)." in response.content.decode()
    assert not InvitationImport.objects.exists()


def test_one_person_more_than_the_default_row_limit_is_refused_whole_on_the_form(
    client, hr, settings
):
    assert settings.INVITATION_CSV_MAX_ROWS == 1000
    response = _upload(client, hr, _people(1001))
    assert response.status_code == 200
    assert (
        "Het bestand bevat 1001 personen; maximaal 1000 per bestand. Splits de lijst"
        in response.content.decode()
    )
    assert not InvitationImport.objects.exists()
    assert not Invitation.objects.exists()
    # Exactly the limit is taken.
    assert _upload(client, hr, _people(1000)).status_code == 302


def test_upload_while_the_broker_is_down_stays_queued_and_the_sweep_finishes_it(
    client, hr, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to redis:6379. Connection refused.")

    client.force_login(hr)
    with monkeypatch.context() as patch:
        patch.setattr(invitation_import_task, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("portal:invitation-import"),
                {"file": SimpleUploadedFile("lijst.csv", _people(3))},
            )
    assert response.status_code == 302
    job = InvitationImport.objects.get()
    assert job.state == InvitationImport.State.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert "Wacht op start" in page
    assert "import-progress.js" in page
    assert invitation_import_sweep() == 0  # just uploaded: its task may still come
    InvitationImport.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_import_sweep() == 1
    job.refresh_from_db()
    assert (job.state, job.created_count) == ("done", 3)
    assert Invitation.objects.count() == 3


# --- the background import --------------------------------------------------------------------


def test_thousand_rows_are_all_invited_with_one_report(hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(hr, _people(1000))
    job.refresh_from_db()
    assert (job.state, job.total_rows, job.processed_rows) == ("done", 1000, 1000)
    assert (job.created_count, job.existing_count, job.error_count) == (1000, 0, 0)
    assert job.report == {}
    assert Invitation.objects.filter(organisation=hr.organisation).count() == 1000
    assert job.finished_at is not None


def test_a_crash_midway_resumes_after_the_last_batch_and_invites_nobody_twice(hr, monkeypatch):
    job = _start(hr, _people(250) + b"kapot,Geen,Adres\r\n")
    real_create = services.invitation_create
    calls = {"n": 0}

    def dies_in_the_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 150:
            raise RuntimeError("worker killed")
        return real_create(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(services, "invitation_create", dies_in_the_second_batch)
        with pytest.raises(RuntimeError):
            invitation_import_run(import_id=job.pk)
    job.refresh_from_db()
    # The first batch stands, the half-done second one was rolled back as a whole.
    assert (job.state, job.processed_rows, job.created_count) == ("running", 100, 100)
    assert Invitation.objects.count() == 100
    assert "worker killed" in job.last_error

    job = invitation_import_run(import_id=job.pk)
    assert (job.state, job.processed_rows, job.total_rows) == ("done", 251, 251)
    assert (job.created_count, job.existing_count, job.error_count) == (250, 0, 1)
    assert Invitation.objects.count() == 250
    assert Invitation.objects.values("email").distinct().count() == 250
    assert job.attempts == 2

    assert invitation_import_run(import_id=job.pk).created_count == 250  # a late retry: nothing
    assert Invitation.objects.count() == 250


def test_rows_invited_meanwhile_count_as_already_invited(hr):
    job = _start(hr, _people(5))
    InvitationFactory(email="persoon1@utrecht.example", organisation=hr.organisation)
    UserFactory(email="persoon2@utrecht.example", organisation=hr.organisation)
    job = invitation_import_run(import_id=job.pk)
    assert (job.created_count, job.existing_count, job.error_count) == (3, 2, 0)
    assert [line for line, _message in job.report_lines()] == [2, 3]


def test_report_keeps_the_first_hundred_lines_and_counts_the_rest_per_kind(client, hr):
    data = b"".join(f"geen-adres-{n},A,B\n".encode() for n in range(230))
    data += b"x@utrecht.example,Alleen\n" * 20 + _people(2).replace(b";", b",")
    job = invitation_import_run(import_id=_start(hr, data).pk)
    assert (job.created_count, job.error_count) == (2, 250)
    assert len(job.report["lines"]) == 100
    assert job.report["kinds"] == {"email": 230, "columns": 20}
    assert job.unreported_kinds() == [
        (InvitationImport.Problem.EMAIL.label, 130),
        (InvitationImport.Problem.COLUMNS.label, 20),
    ]
    client.force_login(hr)
    page = client.get(reverse("portal:invitation-import-detail", args=[job.pk])).content.decode()
    assert page.count("<li>Regel ") == 100
    assert "En 150 regels meer die niet zijn geïmporteerd" in page
    assert "130 × ongeldig e-mailadres" in page
    assert len(page) < 60_000


def test_sweep_reruns_a_stale_running_import_and_gives_up_after_repeated_failures(hr):
    fresh = _start(hr, _people(2))
    InvitationImport.objects.filter(pk=fresh.pk).update(state="running")
    stale = _start(hr, _people(2, start=10))
    hopeless = _start(hr, _people(2, start=20))
    long_ago = timezone.now() - timedelta(hours=1)
    InvitationImport.objects.filter(pk=stale.pk).update(state="running", updated_at=long_ago)
    InvitationImport.objects.filter(pk=hopeless.pk).update(
        state="running", updated_at=long_ago, attempts=5
    )
    assert invitation_import_sweep() == 1
    states = dict(InvitationImport.objects.values_list("pk", "state"))
    assert states == {fresh.pk: "running", stale.pk: "done", hopeless.pk: "failed"}


def test_progress_page_shows_a_running_import_with_a_script_and_a_refresh_link(client, hr):
    job = _start(hr, _people(300))
    InvitationImport.objects.filter(pk=job.pk).update(state="running", processed_rows=100)
    client.force_login(hr)
    page = client.get(reverse("portal:invitation-import-detail", args=[job.pk])).content.decode()
    assert "100 van 300 regels verwerkt" in page
    assert 'value="33"' in page
    assert "import-progress.js" in page
    assert "<script>" not in page  # nothing inline: the CSP allows only our own files
    status = client.get(reverse("portal:invitation-import-status", args=[job.pk])).json()
    assert status == {
        "state": "running",
        "finished": False,
        "processed": 100,
        "total": 300,
        "percent": 33,
        "text": "100 van 300 regels verwerkt.",
    }


def test_hr_of_another_organisation_gets_404_on_an_import(client, hr, outsider_hr):
    job = _start(hr, _people(2))
    client.force_login(outsider_hr)
    for name in ("portal:invitation-import-detail", "portal:invitation-import-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_progress_page_queries_do_not_grow_with_the_report(client, hr):
    client.force_login(hr)

    def queries(bad_lines):
        data = b"".join(f"fout-{n},A,B\n".encode() for n in range(bad_lines)) + _people(1)
        job = invitation_import_run(import_id=_start(hr, data).pk)
        url = reverse("portal:invitation-import-detail", args=[job.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(8) == queries(80)


def test_upload_page_lists_recent_imports_in_constant_queries(client, hr):
    client.force_login(hr)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("portal:invitation-import"))
        return len(captured)

    _start(hr, _people(1))
    few = queries()
    for n in range(9):
        _start(hr, _people(1, start=n))
    assert queries() == few


def test_too_large_data_is_refused_by_the_service_too(hr, settings):
    settings.INVITATION_CSV_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="te groot"):
        _start(hr, _people(10))
    assert not InvitationImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_import_at_once_invite_everybody_exactly_once(hr, monkeypatch):
    monkeypatch.setattr(invitation_import_task, "delay", lambda import_id: None)
    job = _start(hr, _people(250))
    assert InvitationImport.objects.get().state == "queued"
    results = run_in_parallel(lambda: invitation_import_run(import_id=job.pk), 2)
    assert not [result for result in results if isinstance(result, Exception)]
    job.refresh_from_db()
    assert (job.state, job.processed_rows, job.created_count, job.existing_count) == (
        "done",
        250,
        250,
        0,
    )
    assert Invitation.objects.count() == 250
