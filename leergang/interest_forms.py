"""The interest list's form: a preferred region and period, all optional."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.forms import OneButtonMixin
from leergang.interest import period_refusals
from leergang.models import Interest, Region
from portal.widgets import DateInput


class InterestForm(OneButtonMixin, forms.ModelForm):
    button = (_("Keep me informed"), "btn-primary")
    region = forms.ChoiceField(
        label=_("Preferred region"),
        choices=[("", _("Any region")), *Region.choices],
        required=False,
    )

    class Meta:
        model = Interest
        fields = ["region", "earliest_start", "latest_start"]
        widgets = {"earliest_start": DateInput(), "latest_start": DateInput()}
        help_texts = {
            "earliest_start": _("Optional: the earliest date the leergang may start for you."),
            "latest_start": _("Optional: the latest date it may start."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.helper.inputs[0].value = _("Save changes")

    def clean(self):
        cleaned = super().clean()
        errors = period_refusals(
            cleaned.get("earliest_start"),
            cleaned.get("latest_start"),
            today=timezone.localdate(),
        )
        for name, messages in errors.items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    def _post_clean(self):
        # The service validates and saves (``leergang.interest``).
        pass

    def service_fields(self) -> dict:
        return {
            "region": self.cleaned_data["region"],
            "earliest_start": self.cleaned_data.get("earliest_start"),
            "latest_start": self.cleaned_data.get("latest_start"),
        }


class WithdrawInterestForm(OneButtonMixin, forms.Form):
    button = (_("Take me off the list"), "btn-outline-danger")
