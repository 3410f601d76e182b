import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leergang.models import Material
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_a_material_whose_file_is_gone_answers_404_in_dutch_and_is_logged(
    client, participant, caplog
):
    cohort = CohortFactory()
    EnrolmentFactory(cohort=cohort, participant=participant)
    module = cohort.leergang.module_links.first().module
    material = Material.objects.create(
        module=module,
        title="Werkblad",
        kind=Material.Kind.FILE,
        file=SimpleUploadedFile("werkblad.pdf", b"%PDF-1.4"),
    )
    material.file.storage.delete(material.file.name)
    client.force_login(participant)
    with caplog.at_level(logging.ERROR, logger="leergang.views"):
        response = client.get(reverse("leergang:material-download", args=[material.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Bestand niet beschikbaar" in page
    assert "Werkblad" in page
    assert any(str(material.pk) in record.getMessage() for record in caplog.records)
