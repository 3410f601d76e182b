"""The participant's answer to a seat offered from the waiting list (``leergang.offers``)."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leergang import offers
from leergang.models import Enrolment
from portal import access
from portal.access import role_required
from portal.feedback import attempt_once
from portal.once import OnceFormMixin

ENROLMENTS = Enrolment.objects.select_related("participant", "cohort__leergang")
ANSWERS = {"confirm", "decline"}


class OfferAnswerForm(OnceFormMixin, forms.Form):
    """Two buttons, ``answer`` = confirm or decline; a one-time token against double clicks."""

    def clean(self):
        cleaned = super().clean()
        answer = self.data.get("answer")
        if answer not in ANSWERS:
            raise forms.ValidationError(
                gettext_lazy("Choose whether you confirm or decline the seat.")
            )
        cleaned["answer"] = answer
        return cleaned


@role_required()
def enrolment_offer(request, pk):
    """The offer: when it lapses, and Confirm or Decline. Refusals (lapsed, answered
    already) are told in Dutch on the page."""
    enrolment = access.get_for_user(request.user, ENROLMENTS, action="follow", pk=pk)
    form = OfferAnswerForm(request.POST or None)

    def answer():
        service = (
            offers.offer_confirm
            if form.cleaned_data["answer"] == "confirm"
            else offers.offer_decline
        )
        return service(enrolment=enrolment, by=request.user)

    def said(done):
        if done.is_enrolled:
            return _("You are enrolled. Welcome!")
        return _("You have declined the seat; it goes to the next person on the waiting list.")

    def then(done):
        if done.is_enrolled:
            return redirect("leergang:enrolment-detail", done.pk)
        return redirect("leergang:my-leergang")

    answered = attempt_once(request, form, answer, said, then)
    if answered:
        return answered
    enrolment.refresh_from_db()
    return render(
        request,
        "leergang/enrolment_offer.html",
        {
            "enrolment": enrolment,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
