import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import Invitation, Role
from portal.services import invitation_import_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MIXED_FILE = (
    b"e-mail,voornaam,achternaam\n"  # line 1: header
    b"anna.smit@utrecht.example,Anna,Smit\n"  # 2: good
    b"bram.de.wit@utrecht.example,Bram,de Wit\n"  # 3: good
    b"ANNA.SMIT@utrecht.example,Anna,Smit\n"  # 4: duplicate of line 2
    b"geen-adres,Carla,Mertens\n"  # 5: malformed e-mail
    b"\n"  # 6: empty row
    b"daan@utrecht.example,Daan\n"  # 7: missing column
    b"eva.jansen@utrecht.example,Eva,Jansen\n"  # 8: good
)


def _import(data, hr):
    return invitation_import_csv(data=data, organisation=hr.organisation, invited_by=hr)


def test_good_rows_are_invited_and_every_bad_row_is_reported_by_line(hr):
    result = _import(MIXED_FILE, hr)
    assert sorted(i.email for i in result.created) == [
        "anna.smit@utrecht.example",
        "bram.de.wit@utrecht.example",
        "eva.jansen@utrecht.example",
    ]
    assert [line for line, _message in result.errors] == [4, 5, 6, 7]
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


def test_upload_page_shows_the_report(client, hr, django_capture_on_commit_callbacks):
    client.force_login(hr)
    upload = SimpleUploadedFile("medewerkers.csv", MIXED_FILE, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("portal:invitation-import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 uitnodigingen" in page
    assert "Regel 5" in page
    assert len(callbacks) == 3  # one e-mail per good row


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("lijst.xlsx", b"PK\x03\x04", ".csv"),
        ("lijst.csv", b"", "leeg"),
        ("lijst.csv", b"a\x00b", "geen tekstbestand"),
    ],
)
def test_upload_of_a_wrong_file_gives_a_field_error(client, hr, name, content, fragment):
    client.force_login(hr)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("portal:invitation-import"), {"file": upload})
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not Invitation.objects.exists()


def test_too_large_file_is_refused(client, hr, settings):
    settings.INVITATION_CSV_MAX_BYTES = 100
    client.force_login(hr)
    upload = SimpleUploadedFile("lijst.csv", MIXED_FILE)
    response = client.post(reverse("portal:invitation-import"), {"file": upload})
    assert "te groot" in response.content.decode()
    assert not Invitation.objects.exists()
