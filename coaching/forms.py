from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import CoachingSession
from portal.forms import MomentForm


def _helper(label, name="submit") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit(name, label))
    return helper


class SlotForm(MomentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Offer this moment"))


class ParticipantSessionForm(forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["preparation", "participant_comment"]
        widgets = {
            "preparation": forms.Textarea(attrs={"rows": 4}),
            "participant_comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preparation"].help_text = _(
            "What do you want to talk about? Your coach reads this."
        )
        self.fields["participant_comment"].help_text = _("Your reaction to the shared summary.")
        self.helper = _helper(_("Save"))


class SummaryForm(forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].help_text = _("You and the participant both read this.")
        self.helper = _helper(_("Save summary"), "save_summary")


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you can ever read this: not the participant, not HR, not the programme office."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add private note"), "add_note")
