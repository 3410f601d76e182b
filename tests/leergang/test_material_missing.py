import logging

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, MaterialFactory

pytestmark = pytest.mark.django_db


def test_a_material_whose_file_is_gone_answers_404_in_dutch_and_is_logged(
    client, participant, caplog
):
    cohort = EnrolmentFactory(participant=participant).cohort
    material = MaterialFactory(module=cohort.leergang.module_links.first().module)
    material.file.storage.delete(material.file.name)
    client.force_login(participant)
    with caplog.at_level(logging.ERROR, logger="leergang.views"):
        response = client.get(reverse("leergang:material-download", args=[material.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Bestand niet beschikbaar" in page
    assert "Werkblad" in page
    assert any(str(material.pk) in record.getMessage() for record in caplog.records)
