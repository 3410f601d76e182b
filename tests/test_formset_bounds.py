"""Every formset builds at most its max_num forms, whatever TOTAL_FORMS claims.

What keeps a worker from being busy for seconds is the number of forms built, so that is
what these tests count (never a wall-clock limit, which fails on a loaded machine).
"""

import pytest
from django.urls import reverse

from leergang.models import Bijeenkomst, Cohort
from portal.formsets import BoundedInlineMixin
from portal.models import User, UserRole
from tests.factories import LeergangFactory
from tests.helpers import admin_cohort_form

pytestmark = pytest.mark.django_db

FORGED = "100000"


MAX_FORMS = BoundedInlineMixin.max_num


def _forms_built(response, model) -> int:
    """How many forms the admin's formset of ``model`` built for this request."""
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    ]
    assert formset.total_form_count() <= MAX_FORMS
    return len(formset.forms)


def test_a_forged_bijeenkomsten_total_in_the_cohort_admin_is_a_form_error(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:leergang_cohort_add"),
        admin_cohort_form(
            LeergangFactory(), name="Vervalst", ends_in_days=60, bijeenkomsten=FORGED
        ),
    )
    assert response.status_code == 200
    assert _forms_built(response, Bijeenkomst) <= MAX_FORMS
    assert "maximaal 100" in response.content.decode()
    assert not Cohort.objects.filter(name="Vervalst").exists()


def test_a_forged_role_rows_total_in_the_user_admin_is_a_form_error(client, beheerder, utrecht):
    client.force_login(beheerder)
    response = client.post(
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
    assert _forms_built(response, UserRole) <= MAX_FORMS
    assert "maximaal 100" in response.content.decode()
    assert not User.objects.filter(email="vervalst@voorbeeld.example").exists()
