"""One way to show a service's refusal: on the form when there is one, else a message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from portal.feedback import refuse


class ReasonForm(forms.Form):
    reason = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_goes_on_the_form_and_keeps_the_input():
    request = _request()
    form = ReasonForm(data={"reason": "ziek"})
    assert form.is_valid()
    refuse(request, ValidationError("De bijeenkomst is al begonnen."), form)
    assert form.non_field_errors() == ["De bijeenkomst is al begonnen."]
    assert form.data["reason"] == "ziek"
    assert list(get_messages(request)) == []


def test_a_refusal_about_a_field_is_tied_to_that_field():
    form = ReasonForm(data={"reason": "x"})
    form.is_valid()
    refuse(_request(), ValidationError({"reason": "Te kort."}), form)
    assert form.errors["reason"] == ["Te kort."]


def test_without_a_form_the_refusal_is_a_message():
    request = _request()
    refuse(request, ValidationError(["Vol.", "Probeer een andere uitvoering."]))
    assert [str(m) for m in get_messages(request)] == ["Vol. Probeer een andere uitvoering."]


def test_a_refusal_about_a_field_the_form_lacks_becomes_a_message():
    request = _request()
    form = ReasonForm(data={"reason": "x"})
    form.is_valid()
    refuse(request, ValidationError({"seats": "Te weinig plaatsen."}), form)
    assert form.errors == {}
    assert [str(m) for m in get_messages(request)] == ["Te weinig plaatsen."]
