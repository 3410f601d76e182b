"""How every view tells a person that a service refused what they asked.

Services raise ``ValidationError`` with a Dutch sentence. A view that has the form the
person submitted puts the refusal on that form: the input stays, the message is tied
to the field it concerns (or heads the form) and the page answers 200 with the form
again. A view without a form (a single button) shows it as an error message on the
page it redirects to. Views call ``refuse`` and never format the error themselves.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form


def refuse(request, error: ValidationError, form: Form | None = None) -> None:
    if form is not None:
        fields = getattr(error, "error_dict", {}).keys()
        if all(name in form.fields for name in fields):
            form.add_error(None, error)
            return
    messages.error(request, " ".join(error.messages))
