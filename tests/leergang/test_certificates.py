import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader

from leergang.certificates import (
    dutch_date,
    dutch_period,
    render_certificate_pdf,
    verification_url,
)
from leergang.models import Cohort, Enrolment, Leergang, LeergangModule, Module
from portal.models import Role
from tests.factories import OrganisationFactory, UserFactory

CERTIFICATE_URLS = "tests.leergang.certificate_urls"
CODE = "3f9a1c0b7e24d5a6"
MODULE_TITLES = ["Insights", "Alliantiekunde", "Werken in de politiek-bestuurlijke context"]
# Who took which leergang in which cohort: on the certificate and its verification page.
WHO_AND_WHAT = ("Zeynep Şahin-Müller", "Samenwerken in het publieke domein", "Voorjaar 2026")
# Never on either.
PRIVATE = ("zeynep@utrecht.example", "Gemeente Utrecht")


def make_leergang(title="Samenwerken in het publieke domein", module_titles=MODULE_TITLES):
    leergang = Leergang.objects.create(
        title=title,
        slug="samenwerken",
        summary="Samenwerken over grenzen van organisaties heen.",
        description="Een leergang van zes maanden.",
        target_group="Beleidsmedewerkers",
        duration="zes maanden",
    )
    # Positions out of creation order: the certificate follows the position.
    for position, module_title in reversed(list(enumerate(module_titles))):
        module = Module.objects.create(
            title=module_title,
            slug=f"module-{position}",
            summary=module_title,
            reflection_assignment="Wat neem je mee?",
        )
        LeergangModule.objects.create(leergang=leergang, module=module, position=position)
    return leergang


def make_enrolment(*, state=Enrolment.State.COMPLETED, code=CODE, module_titles=MODULE_TITLES):
    organisation = OrganisationFactory(name="Gemeente Utrecht", slug="gemeente-utrecht")
    participant = UserFactory(
        email="zeynep@utrecht.example",
        first_name="Zeynep",
        last_name="Şahin-Müller",
        organisation=organisation,
        roles=[Role.DEELNEMER],
    )
    cohort = Cohort.objects.create(
        leergang=make_leergang(module_titles=module_titles),
        name="Voorjaar 2026",
        starts_on=datetime.date(2026, 3, 12),
        ends_on=datetime.date(2026, 7, 3),
        seats=20,
        cancellation_deadline=datetime.date(2026, 3, 1),
    )
    completed = state == Enrolment.State.COMPLETED
    return Enrolment.objects.create(
        cohort=cohort,
        participant=participant,
        state=state,
        completed_at=(
            timezone.make_aware(datetime.datetime(2026, 7, 3, 23, 30)) if completed else None
        ),
        certificate_code=code,
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_dutch_dates():
    assert dutch_date(datetime.date(2026, 3, 12)) == "12 maart 2026"
    assert dutch_date(datetime.date(2026, 10, 1)) == "1 oktober 2026"
    assert (
        dutch_period(datetime.date(2026, 3, 12), datetime.date(2026, 7, 3))
        == "12 maart 2026 – 3 juli 2026"
    )
    assert dutch_period(datetime.date(2026, 5, 4), datetime.date(2026, 5, 4)) == "4 mei 2026"


def test_dutch_date_of_a_moment_is_the_day_in_the_netherlands():
    # 22:30 UTC on 3 July is already 4 July in Amsterdam.
    moment = datetime.datetime(2026, 7, 3, 22, 30, tzinfo=datetime.UTC)
    assert dutch_date(moment) == "4 juli 2026"


@pytest.mark.urls(CERTIFICATE_URLS)
def test_verification_url(settings):
    settings.PORTAL_BASE_URL = "https://leren.example.nl"
    assert verification_url(CODE) == f"https://leren.example.nl/certificaat/{CODE}/"


@pytest.mark.django_db
@pytest.mark.urls(CERTIFICATE_URLS)
def test_certificate_pdf(settings):
    settings.PORTAL_BASE_URL = "https://leren.example.nl"
    enrolment = make_enrolment()

    data = render_certificate_pdf(enrolment)

    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Certificaat van deelname – Samenwerken in het publieke domein"
    assert reader.metadata.author == "Academie voor Publiek Vakmanschap"

    text = pdf_text(data)
    for shown in (
        *WHO_AND_WHAT,
        "Certificaat van deelname",
        "heeft deelgenomen aan de leergang",
        "12 maart 2026 – 3 juli 2026",
        "Afgerond op 3 juli 2026",
        "Academie voor Publiek Vakmanschap",
        CODE,
        f"https://leren.example.nl/certificaat/{CODE}/",
    ):
        assert shown in text, shown
    # Every module, in the leergang's order.
    positions = [text.index(title) for title in MODULE_TITLES]
    assert positions == sorted(positions)
    assert not [private for private in PRIVATE if private in text]


@pytest.mark.django_db
@pytest.mark.urls(CERTIFICATE_URLS)
def test_certificate_with_many_modules_stays_on_one_page():
    titles = [f"Vakmanschap deel {number}" for number in range(1, 13)]
    enrolment = make_enrolment(module_titles=titles)

    data = render_certificate_pdf(enrolment)

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = pdf_text(data)
    positions = [text.index(f"{title}\n") for title in titles]
    assert positions == sorted(positions)


@pytest.mark.django_db
@pytest.mark.parametrize("code", [None, ""])
def test_no_certificate_without_a_code(code):
    enrolment = make_enrolment(state=Enrolment.State.ENROLLED, code=code)

    with pytest.raises(ValueError, match="no certificate"):
        render_certificate_pdf(enrolment)


@pytest.mark.django_db
def test_verify_page_shows_only_what_the_certificate_says():
    enrolment = make_enrolment()

    with translation.override("en"):
        html = render_to_string("leergang/certificate_verify.html", {"enrolment": enrolment})

    assert html.count("<h1") == 1
    for shown in (*WHO_AND_WHAT, "This certificate is genuine", "12 March 2026 to 3 July 2026"):
        assert shown in html, shown
    assert "Completed on" in html
    assert not [private for private in PRIVATE if private in html]


@pytest.mark.django_db
def test_verify_page_for_an_unknown_code():
    with translation.override("en"):
        html = render_to_string("leergang/certificate_verify.html", {"enrolment": None})

    assert html.count("<h1") == 1
    assert "No certificate with this code exists." in html
    assert "This certificate is genuine" not in html
