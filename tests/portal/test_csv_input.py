"""CSV invite lines the csv module cannot take are reported by number, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import services
from portal.services import invitation_import_csv

pytestmark = pytest.mark.django_db

GOOD = b"anna.smit@utrecht.example,Anna,Smit\n"
LAST = b"eva.jansen@utrecht.example,Eva,Jansen\n"


def _import(data, hr):
    return invitation_import_csv(data=data, organisation=hr.organisation, invited_by=hr)


def test_a_line_past_the_csv_field_limit_is_reported_and_the_rest_still_goes_in(hr):
    # 131,073 characters in one field: the csv module itself raises _csv.Error on it.
    result = _import(GOOD + b"x" * 131_073 + b",Bram,de Wit\n" + LAST, hr)
    assert [line for line, _message in result.errors] == [2]
    assert "te lang" in dict(result.errors)[2]
    assert sorted(i.email for i in result.created) == [
        "anna.smit@utrecht.example",
        "eva.jansen@utrecht.example",
    ]


def test_a_line_just_over_the_line_limit_is_reported_by_number(hr):
    name = "a" * services.CSV_MAX_LINE_CHARS
    result = _import(GOOD + f"bram@utrecht.example,{name},Wit\n".encode(), hr)
    assert [line for line, _message in result.errors] == [2]
    assert str(services.CSV_MAX_LINE_CHARS) in dict(result.errors)[2]
    assert [i.email for i in result.created] == ["anna.smit@utrecht.example"]


def test_a_line_the_csv_module_cannot_read_is_reported_by_number(hr, monkeypatch):
    import csv

    def refuse(*args, **kwargs):
        raise csv.Error("field larger than field limit")

    monkeypatch.setattr(services.csv, "reader", refuse)
    result = _import(GOOD, hr)
    assert result.errors == [(1, "Deze regel is niet als CSV te lezen.")]
    assert result.created == []


def test_uploading_a_file_with_an_overlong_line_answers_without_a_500(client, hr):
    client.force_login(hr)
    upload = SimpleUploadedFile(
        "medewerkers.csv", GOOD + b"x" * 131_073 + b",Bram,de Wit\n", content_type="text/csv"
    )
    response = client.post(reverse("portal:invitation-import"), {"file": upload}, follow=True)
    assert response.status_code == 200
