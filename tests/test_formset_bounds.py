"""Every formset builds at most its max_num forms, whatever TOTAL_FORMS claims."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang.models import Cohort
from portal.models import User
from tests.factories import LeergangFactory

pytestmark = pytest.mark.django_db

FORGED = "100000"


def _timed_post(client, url, data):
    started = time.perf_counter()
    response = client.post(url, data)
    return response, time.perf_counter() - started


def test_a_forged_bijeenkomsten_total_in_the_cohort_admin_is_a_form_error(client, beheerder):
    leergang = LeergangFactory()
    client.force_login(beheerder)
    today = timezone.localdate()
    response, elapsed = _timed_post(
        client,
        reverse("admin:leergang_cohort_add"),
        {
            "leergang": leergang.pk,
            "name": "Vervalst",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
            "seats": 10,
            "cancellation_deadline": today.isoformat(),
            "min_attendance_percent": 80,
            "bijeenkomsten-TOTAL_FORMS": FORGED,
            "bijeenkomsten-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    (formset,) = [f.formset for f in response.context["inline_admin_formsets"]]
    assert len(formset.forms) <= 100
    assert "maximaal 100" in response.content.decode()
    assert not Cohort.objects.filter(name="Vervalst").exists()
    assert elapsed < 2, elapsed


def test_a_forged_role_rows_total_in_the_user_admin_is_a_form_error(client, beheerder, utrecht):
    client.force_login(beheerder)
    response, elapsed = _timed_post(
        client,
        reverse("admin:portal_user_add"),
        {
            "email": "vervalst@voorbeeld.example",
            "first_name": "Anna",
            "last_name": "Bos",
            "organisation": utrecht.pk,
            "password1": "lange-zin-wachtwoord",
            "password2": "lange-zin-wachtwoord",
            "usable_password": "true",
            "role_rows-TOTAL_FORMS": FORGED,
            "role_rows-INITIAL_FORMS": "0",
            "role_rows-0-role": "deelnemer",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="vervalst@voorbeeld.example").exists()
    assert elapsed < 2, elapsed
