from datetime import date, datetime, timedelta

from allauth.usersessions.models import UserSession
from crispy_forms import layout
from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models import (
    DEPARTMENT_MAX_LENGTH,
    Organisation,
    User,
    validate_roles_for_organisation,
)
from portal.once import OnceFormMixin
from portal.permissions import invitable_roles
from portal.widgets import DateInput, Select

# The dates a period filter may span: enough for any programme, and never a date whose next
# day does not exist (9999-12-31).
PERIOD_EARLIEST, PERIOD_LATEST = date(2000, 1, 1), date(2099, 12, 31)
PERIOD_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def period_field(label) -> forms.DateField:
    """One optional end of a period filter (``PeriodFilterMixin``)."""
    field = forms.DateField(
        label=label, required=False, input_formats=PERIOD_DATE_FORMATS, widget=DateInput()
    )
    field.error_messages["invalid"] = _("Enter a date, for example 31-12-2026.")
    return field


class PeriodFilterMixin:
    """A filter form with a period: ``period_fields`` names its start and its end. Each date
    lies within ``PERIOD_EARLIEST`` to ``PERIOD_LATEST``, and the end is not before the start;
    a refusal is told on its field."""

    period_fields: tuple[str, str]

    def clean(self):
        data = super().clean()
        for name in self.period_fields:
            day = data.get(name)
            if day and not PERIOD_EARLIEST <= day <= PERIOD_LATEST:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {
                        "first": PERIOD_EARLIEST.strftime("%d-%m-%Y"),
                        "last": PERIOD_LATEST.strftime("%d-%m-%Y"),
                    },
                )
        start, end = (data.get(name) for name in self.period_fields)
        if start and end and start > end:
            self.add_error(self.period_fields[1], _("The end of the period is before its start."))
        return data

    def valid_values(self) -> dict:
        """The filters that are valid, by field name; a field with an error narrows nothing
        (the page says why on the field)."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            # A refused date is not sent back into the date input (it only holds real dates).
            refused = [
                name
                for name in self.period_fields
                if any(e.code == "invalid" for e in self.errors.as_data().get(name, []))
            ]
            if refused:
                self.data = self.data.copy()
                for name in refused:
                    self.data[name] = ""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }


class Submit(layout.Submit):
    """A submit button with exactly one button style.

    crispy's Submit always carries ``btn-primary`` and appends ``css_class`` to it, so
    ``btn-outline-primary`` ended up beside it and painted the text in the background's
    own colour. Here ``css_class`` replaces the style.
    """

    def __init__(self, name, value, *, css_class="btn-primary", **kwargs):
        super().__init__(name, value, **kwargs)
        self.field_classes = f"btn {css_class}"


def _helper(submit_label) -> FormHelper:
    # A form with a file field gets its enctype from crispy (form.is_multipart);
    # setting it here as well wrote the attribute twice.
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit_label))
    return helper


def text_field(
    label, *, max_length: int, rows: int = 3, required: bool = True, help_text=""
) -> forms.CharField:
    """Free text of a few lines: a reason given with a decision, a note, a case."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class IdChoiceField(forms.ModelChoiceField):
    """One object out of ``queryset``, chosen by its id.

    Only plain ASCII digits are an id: ``int()`` also reads "٣" as 3, and a
    superscript "²" passes ``isdigit()`` but not ``int()``. Anything else is an
    invalid choice, answered with the field's own message.
    """

    MAX_DIGITS = 18  # a bigint has 19 digits; more is never one of ours
    widget = Select

    def __init__(self, queryset, *, choices=None, **kwargs):
        """``choices``: the options as ``(id, label)`` pairs (or a callable giving them),
        when the page has them at hand already: the options then cost no query of their
        own. They must be the objects of ``queryset``, which still checks the value sent."""
        super().__init__(queryset, **kwargs)
        if choices is not None:
            self.choices = _GivenChoices(self.empty_label, choices)

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= self.MAX_DIGITS):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(text)


class _GivenChoices(BaseChoiceIterator):
    """The options of an ``IdChoiceField`` given ``choices``: the empty one first, then
    those (called when a callable, each time the options are read). A choice iterator, so
    Django takes the pairs as they are instead of normalizing each of a few hundred."""

    def __init__(self, empty_label, choices):
        self.empty = [] if empty_label is None else [("", empty_label)]
        self.choices = choices

    def __iter__(self):
        yield from self.empty
        yield from self.choices() if callable(self.choices) else self.choices


class InvitationForm(OnceFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    department = forms.CharField(
        label=_("Department"),
        max_length=DEPARTMENT_MAX_LENGTH,
        required=False,
        help_text=_("Optional: lets HR read its figures per department."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Choices filtered by the same rules as everything else: HR sees only its own.
        self.fields["organisation"].queryset = access.visible(user, Organisation)
        if not user.is_beheerder:
            self.fields["organisation"].initial = user.organisation_id
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["roles"].choices = invitable_roles(user)
        self.fields["roles"].initial = ["deelnemer"]
        self.helper = _helper(_("Send invitation"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if not access.may(self.user, "invite", organisation):
            raise forms.ValidationError(_("You cannot invite people into this organisation."))
        return organisation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("roles"):
            try:
                validate_roles_for_organisation(cleaned["roles"], cleaned["organisation"])
            except forms.ValidationError as error:
                self.add_error("roles", error)
        return cleaned


class InvitationCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One person per line: e-mail address, first name, last name and, if you like, "
            "department. Separated by commas or semicolons; a header line is allowed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload and invite"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.INVITATION_CSV_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s kB).")
                % {"size": settings.INVITATION_CSV_MAX_BYTES // 1024}
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        data = upload.read()
        if b"\x00" in data:
            raise forms.ValidationError(
                _("This is not a text file. Save the list as CSV from your spreadsheet program.")
            )
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."))
        return data


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["first_name"].initial = invitation.first_name
        self.fields["last_name"].initial = invitation.last_name
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = _helper(_("Create my account"))

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            candidate = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = _helper(_("Save"))


class ReminderPreferencesForm(forms.Form):
    """Which reminders that are not essential a person wants; the others can't be turned off."""

    wanted = forms.MultipleChoiceField(
        label=_("Send me these reminders"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Decisions about your enrolment, changes to your appointments and invitations to "
            "evaluate always reach you."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        from portal import reminders

        kinds = reminders.optional_kinds()
        turned_off = set(user.reminder_opt_outs.values_list("kind", flat=True))
        kwargs.setdefault(
            "initial", {"wanted": [k.name for k in kinds if k.name not in turned_off]}
        )
        super().__init__(*args, **kwargs)
        self.fields["wanted"].choices = [(kind.name, kind.label) for kind in kinds]
        # The page writes the <form> (it posts elsewhere): a form_action on the helper
        # would also land on the checkbox group's <div>.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save-reminders", _("Save my reminders")))


class MomentForm(forms.Form):
    """A date with a start and end time and a place: a poll slot, a coach's free moment."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    # Nobody plans further ahead; a year such as 9999 only overflows date arithmetic later.
    MAX_DAYS_AHEAD = 2 * 366

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate() + timedelta(days=self.MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose a date within two years."), code="far")
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("The end is not after the start."))
        return cleaned

    def moment(self) -> dict:
        """The fields of a ``portal.models.Appointment``, in the current time zone."""
        data, zone = self.cleaned_data, timezone.get_current_timezone()
        return {
            "starts_at": timezone.make_aware(datetime.combine(data["date"], data["start"]), zone),
            "ends_at": timezone.make_aware(datetime.combine(data["date"], data["end"]), zone),
            "location": data["location"],
            "online_url": data["online_url"],
        }


class ResendForm(OnceFormMixin, forms.Form):
    """The "send again" button of one failed message: only its one-time token."""


class DepartmentForm(forms.Form):
    """HR gives one of their people a department (empty: none)."""

    department = forms.CharField(
        label=_("Department"),
        max_length=DEPARTMENT_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty for no department. Use the same spelling for everyone."),
    )

    def __init__(self, *args, person: User, departments=(), **kwargs):
        kwargs.setdefault("initial", {"department": person.department})
        super().__init__(*args, **kwargs)
        self.departments = departments
        # The names already in use, offered while typing (a <datalist> on the page).
        self.fields["department"].widget.attrs.update(
            {"list": "departments", "autocomplete": "off"}
        )
        self.helper = _helper(_("Save"))


class EndSessionForm(forms.Form):
    """One of the person's own other sessions, to end; anyone else's is no choice."""

    session = IdChoiceField(
        queryset=None,
        error_messages={
            "invalid_choice": _("This session has already ended."),
            "required": _("Choose the session you want to end."),
        },
    )

    def __init__(self, *args, user, current_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = UserSession.objects.filter(user_id=user.pk).exclude(
            session_key=current_key
        )
