"""The reflection's size limit is said before it is reached and never cuts text off."""

import pytest
from django.urls import reverse
from django.utils import translation

from leergang.forms import ReflectionForm
from leergang.models import REFLECTION_MAX_LENGTH, Reflection
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reflection_url(participant):
    enrolment = EnrolmentFactory(participant=participant)
    module = enrolment.cohort.leergang.module_links.first().module
    return reverse("leergang:reflection-edit", args=[enrolment.pk, module.slug])


def test_textarea_has_no_maxlength_that_would_cut_pasted_text(client, participant, reflection_url):
    client.force_login(participant)
    html = client.get(reflection_url).content.decode()
    textarea = html[html.index("<textarea") : html.index("</textarea>")]
    assert "maxlength" not in textarea
    assert f'data-max-characters="{REFLECTION_MAX_LENGTH}"' in textarea
    assert 'data-count-message="%(count)s van %(max)s tekens"' in textarea
    assert "Maximaal 10.000 tekens" in html  # the help text says the limit up front


def test_too_long_reflection_is_refused_in_dutch_and_kept_in_the_form(
    client, participant, reflection_url
):
    client.force_login(participant)
    text = "Ik leerde." * 1120  # 11,200 characters
    response = client.post(reflection_url, {"text": text, "save": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je reflectie is 11.200 tekens lang; er passen er maximaal 10.000 in." in html
    assert "Maak hem 1.200 tekens korter" in html
    assert response.context["form"]["text"].value() == text  # nothing lost
    assert text in html
    assert not Reflection.objects.exists()


def test_a_line_break_counts_as_one_character_as_in_the_counter(client, participant):
    # Browsers post a line break as CRLF; the counter in the page counts it as one.
    text = ("a" * 99 + "\r\n") * 99 + "a" * 100  # 10,000 characters as seen, 10,099 posted
    form = ReflectionForm(data={"text": text})
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["text"]) == REFLECTION_MAX_LENGTH
    assert "\r" not in form.cleaned_data["text"]


def test_limit_is_written_in_the_language_of_the_page():
    with translation.override("en"):
        english = str(ReflectionForm().fields["text"].help_text)
    with translation.override("nl"):
        dutch = str(ReflectionForm().fields["text"].help_text)
    assert english.startswith("At most 10,000 characters")
    assert dutch.startswith("Maximaal 10.000 tekens")
