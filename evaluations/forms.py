from crispy_forms import bootstrap, layout
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import GOAL_SCORES, GRADES, RECOMMENDATIONS
from evaluations.services import Goal
from portal.forms import Submit, text_field


class Radios(bootstrap.InlineRadios):
    """Scores side by side in a fieldset whose legend is the question (crispy's own puts a
    ``for`` on the legend, which HTML does not allow); the fieldset carries the field's id,
    so the error summary's link lands on the question."""

    template = "evaluations/_radios_inline.html"


def _scores(label, values, *, required=True, help_text="", error=None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(value, str(value)) for value in values],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": error} if error else {},
    )


class AnswerForm(forms.Form):
    """The evaluation: a rapportcijfer, a recommendation, per learning goal how far it was
    reached (optional), and comments."""

    grade = _scores(
        _("What mark (rapportcijfer) do you give it?"),
        GRADES,
        help_text=_("1 is very poor, 10 is excellent."),
        error=_("Choose a mark from 1 to 10."),
    )
    recommendation = _scores(
        _("How likely is it that you would recommend it to a colleague?"),
        RECOMMENDATIONS,
        help_text=_("0 is not at all likely, 10 is extremely likely."),
        error=_("Choose a number from 0 to 10."),
    )
    comments = text_field(
        _("Comments"),
        max_length=5000,
        rows=4,
        required=False,
        help_text=_("What went well, what could be better? Do not write names."),
    )

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        modules: dict[int, tuple[str, list[str]]] = {}
        for index, goal in enumerate(goals):
            name = f"goal_{index}"
            self.fields[name] = _scores(
                goal.text,
                GOAL_SCORES,
                required=False,
                help_text=_("1 is not at all, 5 is completely."),
            )
            modules.setdefault(goal.module_id, (goal.module_title, []))[1].append(name)
        parts = [
            layout.Fieldset(_("Your overall opinion"), Radios("grade"), Radios("recommendation"))
        ]
        for title, names in modules.values():
            parts.append(
                layout.Fieldset(
                    _("Learning goals of %(module)s: did you reach them?") % {"module": title},
                    *[Radios(name) for name in names],
                )
            )
        parts.append(layout.Fieldset(_("In your own words"), "comments"))
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = layout.Layout(*parts)
        self.helper.add_input(Submit("submit", _("Send my evaluation")))

    def goal_scores(self) -> dict[tuple[int, str], int]:
        """The scores given, per (module, learning goal)."""
        return {
            (goal.module_id, goal.text): self.cleaned_data[f"goal_{index}"]
            for index, goal in enumerate(self.goals)
            if self.cleaned_data.get(f"goal_{index}") is not None
        }
