"""The programme office's planning forms: a cohort, a series of bijeenkomsten and its preview."""

from datetime import time, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.forms import OneButtonMixin
from leergang.models import Cohort, Leergang, Module
from leergang.planning import MAX_EVERY_WEEKS, PlannedBijeenkomst, row_field
from portal.forms import IdChoiceField, MomentForm
from portal.listing import ListFilterSet, search_filter, sort_filter
from portal.models import Organisation, Role, User
from portal.once import OnceFormMixin
from portal.widgets import DateInput

MAX_SEATS = 500
# Nobody plans further ahead; a year such as 9999 only overflows date arithmetic later.
MAX_DAYS_AHEAD = 3 * 366

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _not_too_far(day):
    if day is not None and day > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
        raise forms.ValidationError(_("Choose a date within three years."), code="far")
    return day


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    """Trainers by id; only plain digits are an id (see ``IdChoiceField``)."""

    def clean(self, value):
        for item in value or []:
            text = str(item)
            if not (text.isascii() and text.isdigit() and len(text) <= IdChoiceField.MAX_DIGITS):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"] % {"value": text},
                    code="invalid_choice",
                )
        return super().clean(value)


class CohortForm(OneButtonMixin, forms.ModelForm):
    """A cohort's settings; the leergang only when it is created."""

    button = (_("Save"), "btn-primary")
    leergang = IdChoiceField(Leergang.objects.none(), label=_("Leergang"))
    organisation = IdChoiceField(
        Organisation.objects.none(),
        label=_("Tailored for"),
        required=False,
        empty_label=_("Open to all organisations"),
        help_text=_("Choose an organisation for a cohort op maat; leave open otherwise."),
    )
    trainers = TrainerChoiceField(
        User.objects.none(),
        label=_("Trainers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = [
            "leergang",
            "name",
            "organisation",
            "starts_on",
            "ends_on",
            "seats",
            "waitlist_mode",
            "offer_hours",
            "requires_approval",
            "cancellation_deadline",
            "min_attendance_percent",
            "reflections_required",
            "location",
            "region",
            "trainers",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "cancellation_deadline": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["leergang"]
        else:
            self.fields["leergang"].queryset = Leergang.objects.order_by("title")
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            kind=Organisation.Kind.OPLEIDER
        ).order_by("name")
        self.fields["trainers"].queryset = (
            User.objects.with_role(Role.TRAINER)
            .filter(is_active=True)
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["trainers"].label_from_instance = lambda user: user.get_full_name()
        # A smallint in the database; no room holds more.
        seats = self.fields["seats"]
        seats.validators += [MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
        seats.widget.attrs.update(min=1, max=MAX_SEATS)
        self.fields["waitlist_mode"].widget = forms.RadioSelect(
            choices=self.fields["waitlist_mode"].choices
        )
        self.fields["offer_hours"].help_text = _(
            "When a seat is offered: how long it is kept for the person to confirm (1 to 720 "
            "hours; 48 is two days). Offers already running keep their time."
        )
        self.fields["offer_hours"].widget.attrs.update(min=1, max=720)
        # Left out of a post (an older form, a script): the cohort keeps what it has.
        self.fields["waitlist_mode"].required = False
        self.fields["offer_hours"].required = False

    def clean_waitlist_mode(self):
        return self.cleaned_data["waitlist_mode"] or self.instance.waitlist_mode

    def clean_offer_hours(self):
        hours = self.cleaned_data["offer_hours"]
        return self.instance.offer_hours if hours is None else hours

    def clean_starts_on(self):
        return _not_too_far(self.cleaned_data["starts_on"])

    def clean_ends_on(self):
        return _not_too_far(self.cleaned_data["ends_on"])

    def clean_cancellation_deadline(self):
        return _not_too_far(self.cleaned_data["cancellation_deadline"])

    def clean(self):
        cleaned = super().clean()
        starts, deadline = cleaned.get("starts_on"), cleaned.get("cancellation_deadline")
        ends = cleaned.get("ends_on")
        if deadline and ends and deadline > ends:
            self.add_error(
                "cancellation_deadline", _("The cancellation deadline is after the cohort ends.")
            )
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned

    def _post_clean(self):
        # The service validates the cohort under its lock (seats, period, trainers).
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("leergang", None)
        data.pop("trainers")
        return data


class CohortCreateForm(OnceFormMixin, CohortForm):
    pass


class SeriesForm(OneButtonMixin, forms.Form):
    """The rhythm of a series: from a day, every N weeks on a weekday, at a time and place."""

    button = (_("Show the dates"), "btn-primary")
    first_day = forms.DateField(label=_("First possible day"), widget=DateInput())
    weekday = forms.TypedChoiceField(label=_("On"), choices=WEEKDAYS, coerce=int)
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=MAX_EVERY_WEEKS
    )
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.CharField(label=_("Location"), max_length=300, required=False)

    def __init__(self, *args, cohort: Cohort, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_day": cohort.starts_on,
                "weekday": cohort.starts_on.weekday(),
                "every_weeks": 3,
                "start": time(13, 30),
                "end": time(17, 0),
                "location": cohort.location,
            },
        )
        super().__init__(*args, prefix="series", **kwargs)
        self.helper.form_method = "get"

    def clean_first_day(self):
        return _not_too_far(self.cleaned_data["first_day"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("The end is not after the start."))
        return cleaned


class PreviewForm(OnceFormMixin, forms.Form):
    """The series as dates, one row per module, each to adjust before saving."""

    # The modules the rows were shown for, in order: the rows are matched to modules by
    # position, so a module planned by someone else meanwhile would shift every row after it.
    modules_shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, modules: list[Module], planned=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = modules
        self.initial["modules_shown"] = self._module_ids()
        by_module = {row.module.pk: row for row in planned}
        self.rows = []
        for position, module in enumerate(modules):
            row = by_module.get(module.pk)
            names = {name: row_field(position, name) for name in ("day", "start", "end")}
            names["location"] = row_field(position, "location")
            self.fields[names["day"]] = forms.DateField(label=_("Date"), widget=DateInput())
            self.fields[names["start"]] = forms.TimeField(
                label=_("Starts at"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
            )
            self.fields[names["end"]] = forms.TimeField(
                label=_("Ends at"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
            )
            self.fields[names["location"]] = forms.CharField(
                label=_("Location"), max_length=300, required=False
            )
            for name in names.values():
                self.fields[name].widget.attrs["class"] = "form-control"
            if row is not None:
                self.initial.update(
                    {
                        names["day"]: row.day,
                        names["start"]: row.start,
                        names["end"]: row.end,
                        names["location"]: row.location,
                    }
                )
            self.rows.append((module, names))

    def bound_rows(self):
        """(module, {name: bound field}) per row, for the template's table."""
        return [
            (module, {key: self[name] for key, name in names.items()})
            for module, names in self.rows
        ]

    def _module_ids(self) -> str:
        return ",".join(str(module.pk) for module in self.modules)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("modules_shown") != self._module_ids():
            # Shown again, the form carries the modules it now shows: saving it again works.
            self.data = self.data.copy()
            self.data[self.add_prefix("modules_shown")] = self._module_ids()
            raise forms.ValidationError(
                _(
                    "The modules still to plan changed after these dates were shown (someone "
                    "planned or cancelled one). Nothing was saved: check the rows below, now one "
                    "per module still to plan, and save again."
                ),
                code="modules_changed",
            )
        for position, _module in enumerate(self.modules):
            day = cleaned.get(row_field(position, "day"))
            try:
                _not_too_far(day)
            except forms.ValidationError as error:
                self.add_error(row_field(position, "day"), error)
        return cleaned

    def planned(self) -> list[PlannedBijeenkomst]:
        data = self.cleaned_data
        return [
            PlannedBijeenkomst(
                module=module,
                day=data[names["day"]],
                start=data[names["start"]],
                end=data[names["end"]],
                location=data[names["location"]],
            )
            for module, names in self.rows
        ]


class MoveForm(OneButtonMixin, MomentForm):
    """A new time or place for one bijeenkomst."""

    button = (_("Save and inform everyone"), "btn-primary")

    def __init__(self, *args, bijeenkomst, **kwargs):
        starts = timezone.localtime(bijeenkomst.starts_at)
        kwargs.setdefault(
            "initial",
            {
                "date": starts.date(),
                "start": starts.time(),
                "end": timezone.localtime(bijeenkomst.ends_at).time(),
                "location": bijeenkomst.location,
                "online_url": bijeenkomst.online_url,
            },
        )
        super().__init__(*args, **kwargs)


class CancelBijeenkomstForm(OnceFormMixin, forms.Form):
    """The "cancel this bijeenkomst" button: only its one-time token."""


class PlanningFilter(ListFilterSet):
    """The planning list: cohorts not yet over, by leergang or a word of their name."""

    q = search_filter("name", "leergang__title", label=_("Search"))
    leergang = django_filters.ModelChoiceFilter(
        label=_("Leergang"), queryset=Leergang.objects.none(), empty_label=_("All")
    )
    sort = sort_filter(
        cohort=(("leergang__title", "name"), _("Cohort")),
        starts=("starts_on", _("Dates")),
        seats=("seats_taken", _("Seats taken")),
        bijeenkomsten=("bijeenkomst_count", _("Bijeenkomsten")),
    )
    default_sort = "starts"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = Leergang.objects.filter(
            pk__in=self.queryset.values("leergang")
        ).order_by("title")
