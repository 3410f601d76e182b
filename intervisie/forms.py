from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intervisie.models import MAX_GROUP_SIZE, MIN_GROUP_SIZE, Method, SessionAttendance, Vote
from portal.forms import MomentForm, Submit


def _helper(label, css="btn-primary", *, tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_tag = tag
    helper.add_input(Submit("submit", label, css_class=css))
    return helper


class SuggestForm(forms.Form):
    size = forms.IntegerField(
        label=_("Members per group"),
        min_value=MIN_GROUP_SIZE,
        max_value=MAX_GROUP_SIZE,
        initial=6,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Suggest groups"), "btn-outline-primary")
        self.helper.form_method = "get"


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Move to"), queryset=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Next intervisie session"))
    closes_at = forms.DateTimeField(
        label=_("Answers until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Members who have not answered get a reminder a day before."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].initial = (timezone.localtime() + timedelta(days=7)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )


class BaseSlotFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() and form.cleaned_data for form in self.forms):
            raise forms.ValidationError(_("Propose at least one slot."))


SlotFormSet = forms.formset_factory(
    MomentForm, formset=BaseSlotFormSet, extra=3, max_num=10, validate_max=True
)


class VoteForm(forms.Form):
    """One answer per slot."""

    def __init__(self, *args, slots, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            start = timezone.localtime(slot.starts_at)
            label = f"{start:%d-%m-%Y %H:%M}–{timezone.localtime(slot.ends_at):%H:%M}"
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=label,
                choices=Vote.Answer.choices,
                widget=forms.RadioSelect,
                initial=answers.get(slot.pk),
            )

    def rows(self):
        for slot in self.slots:
            yield slot, self[f"slot_{slot.pk}"]

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}


class PrepareForm(forms.Form):
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=Method.objects.all(), required=False
    )
    case_bringer = forms.ModelChoiceField(label=_("Case bringer"), queryset=None, required=False)
    case_title = forms.CharField(label=_("Case in a few words"), max_length=200, required=False)
    case_text = forms.CharField(
        label=_("The case"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the group and you can read this."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_bringer"].queryset = members
        self.helper = _helper(_("Save"))


class VolunteerForm(forms.Form):
    case_title = forms.CharField(label=_("Your case in a few words"), max_length=200)
    case_text = forms.CharField(
        label=_("Describe the situation and your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only your group and its begeleider can read this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("I bring this case"))


class RecordForm(forms.Form):
    """After the session: attendance per member, notes and agreements."""

    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What did the group agree on? Only the group and you can read this."),
    )

    def __init__(self, *args, members, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            current = recorded.get(member.pk)
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=member.get_full_name(),
                choices=SessionAttendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.status if current else None,
            )
            self.fields[f"reason_{member.pk}"] = forms.CharField(
                label=_("Reason for %(name)s") % {"name": member.get_full_name()},
                required=False,
                max_length=500,
                initial=current.reason if current else "",
            )

    def rows(self):
        for member in self.members:
            yield member, self[f"status_{member.pk}"], self[f"reason_{member.pk}"]

    def attendance(self) -> dict[int, tuple[str, str]]:
        return {
            m.pk: (self.cleaned_data[f"status_{m.pk}"], self.cleaned_data[f"reason_{m.pk}"])
            for m in self.members
        }


class MethodForm(forms.ModelForm):
    class Meta:
        model = Method
        fields = ["name", "summary", "steps"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add method"))
