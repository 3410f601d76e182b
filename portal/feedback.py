"""How every view tells a person that a service refused what they asked.

Services raise ``ValidationError`` with a Dutch sentence. A view that has the form the
person submitted puts the refusal on that form: the input stays, the message is tied
to the field it concerns (or heads the form) and the page answers 200 with the form
again. A view without a form (a single button) shows it as an error message on the
page it redirects to. Views call ``refuse`` and never format the error themselves.

``attempt`` and ``attempt_once`` are the one shape of a view acting: run the service,
say what was done when it passed, ``refuse`` when it raised.
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponseRedirect

from portal.once import submit_once

T = TypeVar("T")
# What a view says when the action passed: a text, or a function of the action's result.
Done = str | Callable[[T], str]


def refuse(
    request, error: ValidationError, form: Form | None = None, *, field: str | None = None
) -> None:
    """``field``: the one field of ``form`` a refusal naming none concerns (an address, a file)."""
    if form is not None and field is not None and not hasattr(error, "error_dict"):
        error = ValidationError({field: error.error_list})
    if form is not None:
        fields = getattr(error, "error_dict", {}).keys()
        if all(name in form.fields for name in fields):
            form.add_error(None, error)
            return
    messages.error(request, " ".join(error.messages))


def _say(request, done: Done, result) -> None:
    messages.success(request, done(result) if callable(done) else done)


def _valid(request, form: Form, on_form: bool) -> bool:
    if form.is_valid():
        return True
    if form.is_bound and not on_form:
        refuse(request, ValidationError(form.errors))
    return False


def attempt(
    request,
    run: Callable[[], T],
    done: Done,
    form: Form | None = None,
    *,
    on_form: bool = True,
    field: str | None = None,
) -> bool:
    """Run ``run()``; on success say ``done``, on a ValidationError ``refuse`` it. True
    when it passed.

    With a ``form`` it runs only for a valid form, and the refusal goes on the form;
    ``on_form=False`` is for a form that is not shown again (a button whose view
    redirects): its errors and the refusal become a message. ``field`` as for ``refuse``.
    """
    if form is not None and not _valid(request, form, on_form):
        return False
    try:
        result = run()
    except ValidationError as error:
        refuse(request, error, form if on_form else None, field=field)
        return False
    _say(request, done, result)
    return True


def attempt_once(
    request,
    form: Form,
    run: Callable[[], T],
    done: Done,
    then: Callable[[T], HttpResponseRedirect],
    *,
    waiting_url: str | None = None,
    on_form: bool = True,
    field: str | None = None,
) -> HttpResponseRedirect | None:
    """``attempt`` for a form with a one-time token (``portal.once.submit_once``).

    Answers the redirect ``then(result)`` when the action passed (or had passed for this
    token before), None when the form is unbound, invalid or refused: the view then shows
    its page again (or, ``on_form=False``, redirects).
    """
    if not _valid(request, form, on_form):
        return None

    def respond(result):
        _say(request, done, result)
        return then(result)

    try:
        return submit_once(request, form, run, respond, waiting_url=waiting_url)
    except ValidationError as error:
        refuse(request, error, form if on_form else None, field=field)
        return None
