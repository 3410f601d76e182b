from crispy_forms.helper import FormHelper
from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from leergang.models import REFLECTION_MAX_LENGTH, Attendance, InsightsProfile, Reflection
from leergang.retention import postponement_range
from portal.forms import Submit, text_field
from portal.once import OnceFormMixin
from portal.widgets import DateInput


def _helper(*buttons) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    for name, label, css in buttons:
        helper.add_input(Submit(name, label, css_class=css))
    return helper


class OneButtonMixin:
    """A form laid out by crispy with one submit button: ``button`` is (label, css class)."""

    button: tuple[str, str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label, css = self.button
        self.helper = _helper(("submit", label, css))


class CancelForm(OneButtonMixin, forms.Form):
    button = (_("Cancel my enrolment"), "btn-danger")
    reason = text_field(_("Reason (optional)"), max_length=1000, required=False)


class DecisionForm(OneButtonMixin, forms.Form):
    button = (_("Save decision"), "btn-primary")
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    reason = text_field(
        _("Reason"),
        max_length=1000,
        required=False,
        help_text=_("Required when you do not approve; the participant will read it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason, so the participant knows why."))
        return cleaned


def _thousands(number: int) -> str:
    return formats.number_format(number, force_grouping=True)


class ReflectionForm(forms.ModelForm):
    # No max_length on the field: it would put maxlength on the textarea, and the browser
    # then cuts pasted text at the limit without a word. The limit is checked in
    # clean_text instead, and a counter (static/js/character-count.js) shows it coming.
    text = forms.CharField(label=_("Your reflection"), widget=forms.Textarea(attrs={"rows": 12}))

    class Meta:
        model = Reflection
        fields = ["text", "shared_with_trainer", "shared_with_coach"]

    def __init__(self, *args, submitted=False, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _thousands(REFLECTION_MAX_LENGTH)
        text = self.fields["text"]
        text.help_text = _(
            "At most %(max)s characters. Only you can read it, unless you share it."
        ) % {"max": limit}
        text.widget.attrs.update(
            {
                "data-max-characters": REFLECTION_MAX_LENGTH,
                # %(count)s and %(max)s are filled in by the script, in the page's language.
                "data-count-message": _("%(count)s of %(max)s characters"),
                "data-over-message": _(
                    "%(count)s of %(max)s characters: %(over)s too many. Shorten your text "
                    "before you save it."
                ),
            }
        )
        self.fields["shared_with_trainer"].help_text = _(
            "Your trainer can read this reflection. You can take this back at any time."
        )
        self.fields["shared_with_coach"].help_text = _(
            "Your coach can read this reflection. You can take this back at any time."
        )
        buttons = [("save", _("Save draft"), "btn-outline-primary")]
        if not submitted:
            buttons.append(("submit_reflection", _("Submit reflection"), "btn-primary"))
        else:
            buttons = [("save", _("Save"), "btn-primary")]
        self.helper = _helper(*buttons)

    def clean_text(self):
        # Browsers send a line break as two characters, the counter (like the reader)
        # sees one: count and keep them the way the participant saw them.
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) > REFLECTION_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "Your reflection is %(count)s characters long; at most %(max)s fit. "
                    "Shorten it by %(over)s characters: your text is still here, "
                    "nothing has been saved yet."
                ),
                code="max_length",
                params={
                    "count": _thousands(len(text)),
                    "max": _thousands(REFLECTION_MAX_LENGTH),
                    "over": _thousands(len(text) - REFLECTION_MAX_LENGTH),
                },
            )
        return text


class ExcuseForm(OneButtonMixin, forms.Form):
    button = (_("Report absence"), "btn-primary")
    reason = text_field(
        _("Why can you not come?"), max_length=500, help_text=_("Your trainer sees this reason.")
    )


class AttendanceForm(forms.Form):
    """One status and reason per participant of the bijeenkomst, in one form.

    ``statuses`` are what may be recorded now (``Bijeenkomst.attendance_statuses``):
    before the start only an afmelding, and leaving it open records nothing.
    """

    def __init__(self, *args, sheet, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.before_start = Attendance.Status.PRESENT not in statuses
        choices = [c for c in Attendance.Status.choices if c[0] in statuses]
        if self.before_start:
            choices = [("", _("No absence reported")), *choices]
        for enrolment, recorded in sheet:
            name = enrolment.participant.get_full_name()
            initial = recorded.status if recorded and recorded.status in statuses else ""
            guest_from = getattr(enrolment, "guest_from", None)  # making up a bijeenkomst
            self.fields[f"status_{enrolment.pk}"] = forms.ChoiceField(
                label=_("%(name)s (guest from %(cohort)s)") % {"name": name, "cohort": guest_from}
                if guest_from
                else name,
                choices=choices,
                widget=forms.RadioSelect,
                required=not self.before_start,
                initial=initial or None,
                error_messages={
                    "invalid_choice": _(
                        "This bijeenkomst has not started yet: you can only record that "
                        "someone reported absence."
                    )
                    if self.before_start
                    else _("Choose present, absent or excused.")
                },
            )
            self.fields[f"reason_{enrolment.pk}"] = forms.CharField(
                label=_("Reason for %(name)s") % {"name": name},
                required=False,
                max_length=500,
                initial=recorded.reason if recorded and initial else "",
            )

    def rows(self):
        for enrolment, _recorded in self.sheet:
            yield enrolment, self[f"status_{enrolment.pk}"], self[f"reason_{enrolment.pk}"]

    def entries(self) -> dict[int, tuple[str, str]]:
        return {
            enrolment.pk: (
                self.cleaned_data[f"status_{enrolment.pk}"],
                self.cleaned_data[f"reason_{enrolment.pk}"],
            )
            for enrolment, _recorded in self.sheet
        }


class InsightsProfileForm(OneButtonMixin, forms.ModelForm):
    button = (_("Save my profile"), "btn-primary")

    class Meta:
        model = InsightsProfile
        fields = ["red", "yellow", "green", "blue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"min": 0, "max": 100})


class RetentionPostponeForm(OnceFormMixin, OneButtonMixin, forms.Form):
    """A new date for the removal of a cohort's personal data, and why."""

    button = (_("Postpone"), "btn-primary")
    until = forms.DateField(label=_("Keep the personal data until"), widget=DateInput())
    reason = text_field(
        _("Reason"),
        max_length=1000,
        help_text=_("Why the data is needed longer. It is shown on the page and recorded."),
    )

    def __init__(self, *args, cohort, today, **kwargs):
        super().__init__(*args, **kwargs)
        # The range is checked by the service (a replayed form must reach the replay check).
        first, last = postponement_range(cohort, today=today)
        self.fields["until"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
        self.fields["until"].help_text = _("A date from %(first)s to %(last)s.") % {
            "first": formats.date_format(first, "j F Y"),
            "last": formats.date_format(last, "j F Y"),
        }
