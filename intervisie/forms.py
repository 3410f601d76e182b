import json
from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from intervisie.models import (
    MAX_GROUP_SIZE,
    MAX_POLL_SLOTS,
    MIN_GROUP_SIZE,
    MIN_POLL_SLOTS,
    Method,
    SessionAttendance,
    Vote,
)
from portal.forms import IdChoiceField, MomentForm, Submit, text_field
from portal.once import OnceFormMixin


def _one_message(text) -> dict:
    """The same words for an empty and for an unknown choice."""
    return {"required": text, "invalid_choice": text}


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


UNREADABLE_PROPOSAL = _("The proposal could not be read. Ask for a new one.")


class SplitForm(forms.Form):
    """An accepted group proposal, sent back as JSON: groups of enrolment ids."""

    # Ids of a whole cohort fit easily; only brackets, digits and commas are JSON we
    # wrote, so Infinity, true, strings and floats never reach the parser.
    split = forms.CharField(
        max_length=20_000,
        strip=False,
        validators=[RegexValidator(r"^[\[\]0-9,\s]+$", UNREADABLE_PROPOSAL)],
        error_messages={"required": UNREADABLE_PROPOSAL, "max_length": UNREADABLE_PROPOSAL},
    )

    MAX_ID = 2**63 - 1

    def clean_split(self):
        try:
            split = json.loads(self.cleaned_data["split"])
        except (ValueError, RecursionError):  # bad JSON, a huge number, deep nesting
            raise forms.ValidationError(UNREADABLE_PROPOSAL, code="invalid") from None
        if not (
            isinstance(split, list)
            and split
            and all(
                isinstance(group, list)
                and 0 < len(group) <= MAX_GROUP_SIZE
                and all(type(pk) is int and 0 < pk <= self.MAX_ID for pk in group)
                for group in split
            )
        ):
            raise forms.ValidationError(UNREADABLE_PROPOSAL, code="invalid")
        return split


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=None,
        error_messages=_one_message(_("Choose a group of this cohort.")),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class PollForm(OnceFormMixin, forms.Form):
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
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Propose at most %(num)d slot.", "Propose at most %(num)d slots.", "num"
        ),
        "too_few_forms": ngettext_lazy(
            "Propose at least %(num)d slot.", "Propose at least %(num)d slots.", "num"
        ),
    }

    def filled(self) -> list[MomentForm]:
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def clean(self):
        if any(self.errors):
            return
        if len(self.filled()) < MIN_POLL_SLOTS:
            raise forms.ValidationError(
                self.error_messages["too_few_forms"] % {"num": MIN_POLL_SLOTS},
                code="too_few_forms",
            )


# Every row is on the page and each may stay empty (clean() counts the filled
# ones), so the form works without script; poll_slots.js folds the empty rows
# away. absolute_max bounds the forms built, whatever TOTAL_FORMS a request claims.
SlotFormSet = forms.formset_factory(
    MomentForm,
    formset=BaseSlotFormSet,
    extra=MAX_POLL_SLOTS,
    max_num=MAX_POLL_SLOTS,
    absolute_max=MAX_POLL_SLOTS,
    validate_max=True,
)


class PickForm(OnceFormMixin, forms.Form):
    """The trainer's choice among the slots of one poll."""

    slot = IdChoiceField(
        label=_("Pick the date"),
        queryset=None,
        error_messages=_one_message(_("Choose one of the slots.")),
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = poll.slots.all()


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
    case_text = text_field(
        label=_("The case"),
        max_length=5000,
        required=False,
        rows=5,
        help_text=_("Only the group and you can read this."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_bringer"].queryset = members
        self.helper = _helper(_("Save"))


class VolunteerForm(forms.Form):
    case_title = forms.CharField(label=_("Your case in a few words"), max_length=200)
    case_text = text_field(
        label=_("Describe the situation and your question"),
        max_length=5000,
        rows=6,
        help_text=_("Only your group and its begeleider can read this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("I bring this case"))


class RecordForm(forms.Form):
    """After the session: attendance per member, notes and agreements."""

    notes = text_field(_("Notes"), max_length=5000, rows=5, required=False)
    agreements = text_field(
        label=_("Agreements"),
        max_length=5000,
        required=False,
        rows=4,
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


class MethodForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Method
        fields = ["name", "summary", "steps"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add method"))
