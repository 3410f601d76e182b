from django import forms
from django.utils.translation import gettext_lazy as _

from hr.figures import Choices, Filters
from portal.forms import PeriodFilterMixin, period_field
from portal.widgets import Select


def _id_choices(pairs) -> list[tuple[str, str]]:
    return [("", _("All")), *((str(pk), label) for pk, label in pairs)]


class DashboardFilterForm(PeriodFilterMixin, forms.Form):
    """The dashboard's filters, read from the address (GET).

    Choices are the organisation's own (``hr.figures.filter_choices``): an id of another
    organisation's cohort is simply not one of them. A ``TypedChoiceField`` compares the
    text sent with the ids offered, so "٣" or "3.0" never passes for 3, and checking costs
    no query.
    """

    # The portal's Select: a few hundred cohorts written without a template per option.
    leergang = forms.TypedChoiceField(
        label=_("Leergang"), coerce=int, required=False, widget=Select
    )
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False, widget=Select)
    period_from = period_field(_("From"))
    period_to = period_field(_("Up to and including"))
    period_fields = ("period_from", "period_to")
    department = forms.ChoiceField(label=_("Department"), required=False, widget=Select)

    error_messages = {"invalid_choice": _("Choose one of the options in the list.")}

    def __init__(self, data=None, *, choices: Choices):
        super().__init__(data)
        self.choices = choices
        self.cohort_leergang = {pk: leergang for pk, _label, leergang in choices.cohorts}
        # Callables: Django goes through the options (a big municipality's 400 cohorts)
        # only when a value is checked or the field drawn, and a kept visit of the
        # dashboard draws none of them (its filter form is in the kept page).
        self.fields["leergang"].choices = lambda: _id_choices(choices.leergangen)
        self.fields["cohort"].choices = lambda: _id_choices(
            (pk, label) for pk, label, _leergang in choices.cohorts
        )
        self.fields["department"].choices = lambda: [
            ("", _("All")),
            *((name, name) for name in choices.departments),
        ]
        for name in ("leergang", "cohort", "department"):
            self.fields[name].error_messages["invalid_choice"] = self.error_messages[
                "invalid_choice"
            ]

    def clean(self):
        data = super().clean()
        leergang, cohort = data.get("leergang"), data.get("cohort")
        if leergang and cohort and self.cohort_leergang.get(cohort) != leergang:
            self.add_error("cohort", _("This cohort does not belong to the chosen leergang."))
        return data

    def filters(self) -> Filters:
        """The valid filters; a field with an error narrows nothing (the page says so)."""
        data = self.valid_values()
        return Filters(
            leergang=data.get("leergang"),
            cohort=data.get("cohort"),
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            department=data.get("department", ""),
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
