"""One way to show a service's refusal: on the form when there is one, else a message."""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.test import RequestFactory

from portal.feedback import attempt, attempt_once, refuse


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


def test_a_refusal_naming_no_field_can_be_tied_to_the_field_it_concerns():
    form = ReasonForm(data={"reason": "x"})
    form.is_valid()
    refuse(_request(), ValidationError("Dit adres is al uitgenodigd."), form, field="reason")
    assert form.errors["reason"] == ["Dit adres is al uitgenodigd."]


def _full():
    raise ValidationError("Vol.")


def _messages(request):
    return [(m.level, str(m)) for m in get_messages(request)]


def test_attempt_says_what_was_done_from_the_result():
    request = _request()
    assert attempt(request, lambda: 3, lambda n: f"{n} groepen gemaakt.")
    assert _messages(request) == [(messages.SUCCESS, "3 groepen gemaakt.")]


def test_attempt_refuses_on_the_form_and_says_nothing_else():
    request = _request()
    form = ReasonForm(data={"reason": "ziek"})
    assert not attempt(request, _full, "Gelukt.", form)
    assert form.non_field_errors() == ["Vol."]
    assert _messages(request) == []


def test_attempt_runs_nothing_for_an_invalid_or_unbound_form():
    ran = []
    assert not attempt(_request(), lambda: ran.append(1), "Gelukt.", ReasonForm())
    assert not attempt(_request(), lambda: ran.append(1), "Gelukt.", ReasonForm(data={}))
    assert ran == []


def test_a_button_form_not_shown_again_has_its_errors_as_a_message():
    request = _request()
    assert not attempt(request, lambda: None, "Gelukt.", ReasonForm(data={}), on_form=False)
    assert [level for level, _text in _messages(request)] == [messages.ERROR]


def test_attempt_once_redirects_after_saying_what_was_done():
    request = _request()
    request.user = AnonymousUser()
    form = ReasonForm(data={"reason": "ziek"})
    response = attempt_once(request, form, lambda: 7, "Opgeslagen.", lambda n: redirect(f"/{n}/"))
    assert response.url == "/7/"
    assert _messages(request) == [(messages.SUCCESS, "Opgeslagen.")]


def test_attempt_once_answers_none_when_refused():
    request = _request()
    form = ReasonForm(data={"reason": "ziek"})
    assert attempt_once(request, form, _full, "Opgeslagen.", lambda _: redirect("/")) is None
    assert form.non_field_errors() == ["Vol."]
