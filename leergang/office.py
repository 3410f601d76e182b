"""The programme office's people pages: every enrolment across organisations, enrolling
someone on their behalf, moving a person to another cohort, cancelling with a reason.

The office works across organisations, so its lists are not scoped to one; HR, trainers
and participants are refused by role (``role_required``). Every write goes through
``leergang.services``, so the seat lock, the approval rule and the outbox apply as they
do for the participant's own pages.
"""

import django_filters
from django import forms
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leergang import services
from leergang.filters import CohortChoiceFilter
from leergang.forms import OneButtonMixin
from leergang.models import Cohort, Enrolment, EnrolmentTransition, Leergang
from portal import access, audit
from portal.access import role_required
from portal.feedback import attempt_once
from portal.forms import text_field
from portal.listing import (
    ListFilterSet,
    ValuesModelChoiceField,
    list_page,
    search_filter,
    sort_filter,
)
from portal.models import Organisation, Role, User
from portal.once import OnceFormMixin

ENROLMENTS = Enrolment.objects.select_related(
    "participant__organisation", "cohort__leergang", "moved_to__cohort"
)


def _cohort_label(title, name, starts_on):
    return f"{title}: {name} ({starts_on:%d-%m-%Y})"


class OfficeEnrolmentFilter(ListFilterSet):
    q = search_filter(
        "participant__first_name",
        "participant__last_name",
        "participant__email",
        label=gettext_lazy("Name or e-mail"),
    )
    leergang = django_filters.ModelChoiceFilter(
        field_name="cohort__leergang",
        label=gettext_lazy("Leergang"),
        queryset=Leergang.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    cohort = CohortChoiceFilter()
    organisation = django_filters.ModelChoiceFilter(
        field_name="participant__organisation",
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=Enrolment.State.choices,
        empty_label=gettext_lazy("All"),
    )
    sort = sort_filter(
        name=(("participant__last_name", "participant__first_name"), gettext_lazy("Participant")),
        organisation=("participant__organisation__name", gettext_lazy("Organisation")),
        cohort=(("cohort__leergang__title", "cohort__starts_on"), gettext_lazy("Cohort")),
        state=("state", gettext_lazy("State")),
        since=("created_at", gettext_lazy("Since")),
    )
    default_sort = "-since"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every leergang, cohort and organisation: the office works across all of them.
        self.filters["leergang"].queryset = Leergang.objects.only("pk", "title").order_by("title")
        self.filters["cohort"].queryset = Cohort.objects.select_related("leergang").order_by(
            "leergang__title", "starts_on", "pk"
        )
        self.filters["organisation"].queryset = Organisation.objects.only("pk", "name").order_by(
            "name"
        )


class OfficeEnrolForm(OnceFormMixin, OneButtonMixin, forms.Form):
    """Enrol a person on their behalf: which cohort, and who (by their e-mail address)."""

    button = (gettext_lazy("Enrol"), "btn-primary")
    cohort = ValuesModelChoiceField(
        label=gettext_lazy("Cohort"),
        queryset=Cohort.objects.none(),
        label_fields=("leergang__title", "name", "starts_on"),
        label_from_values=_cohort_label,
        empty_label=None,
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the participant"),
        help_text=gettext_lazy("The address the person signs in with."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(
            ends_on__gte=timezone.localdate(), leergang__is_published=True
        ).order_by("leergang__title", "starts_on", "pk")

    def clean_email(self):
        email = self.cleaned_data["email"]
        participant = User.objects.filter(email__iexact=email, is_active=True).first()
        if participant is None:
            raise forms.ValidationError(_("Nobody in the portal has this e-mail address."))
        if not participant.has_role(Role.DEELNEMER):
            raise forms.ValidationError(_("This person is not a participant in the portal."))
        self.participant = participant
        return email


class OfficeMoveForm(OnceFormMixin, OneButtonMixin, forms.Form):
    button = (gettext_lazy("Move"), "btn-primary")
    to_cohort = ValuesModelChoiceField(
        label=gettext_lazy("To the cohort"),
        queryset=Cohort.objects.none(),
        label_fields=("leergang__title", "name", "starts_on"),
        label_from_values=_cohort_label,
        empty_label=None,
        help_text=gettext_lazy(
            "Cohorts of the same leergang that have not ended. Attendance and reflections of "
            "the modules already done go along."
        ),
    )
    reason = text_field(
        gettext_lazy("Reason (optional)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Recorded with both enrolments and told to the participant."),
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cohort"].queryset = (
            Cohort.objects.filter(
                leergang=enrolment.cohort.leergang_id, ends_on__gte=timezone.localdate()
            )
            .exclude(pk=enrolment.cohort_id)
            .order_by("starts_on", "pk")
        )


class OfficeCancelForm(OnceFormMixin, OneButtonMixin, forms.Form):
    button = (gettext_lazy("Cancel the enrolment"), "btn-danger")
    reason = text_field(
        gettext_lazy("Reason"),
        max_length=1000,
        help_text=gettext_lazy("The participant reads it in the e-mail about the cancellation."),
    )


def _history(enrolment) -> list[EnrolmentTransition]:
    """The state changes of this enrolment and of the one it was moved from, oldest first."""
    ids = [enrolment.pk]
    moved_from = getattr(enrolment, "moved_from", None)
    if moved_from is not None:
        ids.append(moved_from.pk)
    return list(
        EnrolmentTransition.objects.filter(enrolment__in=ids)
        .select_related("by", "enrolment__cohort")
        .order_by("at", "pk")
    )


def _get_enrolment(request, pk):
    return access.get_for_user(request.user, ENROLMENTS.select_related("moved_from"), pk=pk)


@role_required(Role.BEHEERDER)
def enrolment_list(request):
    """Inschrijvingen: everyone's enrolments, of every organisation, filtered and paged."""
    listing = list_page(request, OfficeEnrolmentFilter, ENROLMENTS.order_by("-created_at", "-pk"))
    audit.read(request, [row.participant_id for row in listing.rows], model=Enrolment)
    return render(
        request, "leergang/office/enrolment_list.html", listing.context(), status=listing.status
    )


def _enrolled_message(enrolment) -> str:
    name = {"name": enrolment.participant.get_full_name(), "cohort": enrolment.cohort}
    if enrolment.is_pending:
        return _("%(name)s is enrolled in %(cohort)s, waiting for the employer's approval.") % name
    if enrolment.is_waitlisted:
        return _("%(cohort)s is full: %(name)s is on its waiting list.") % name
    return _("%(name)s is enrolled in %(cohort)s.") % name


@role_required(Role.BEHEERDER)
def enrol(request):
    form = OfficeEnrolForm(request.POST or None)
    done = attempt_once(
        request,
        form,
        lambda: services.enrolment_create(
            cohort=form.cleaned_data["cohort"], participant=form.participant, by=request.user
        ),
        _enrolled_message,
        lambda _enrolment: redirect("leergang:office-enrolments"),
        field="email",
    )
    return done or render(
        request,
        "leergang/office/enrol.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.BEHEERDER)
def enrolment_move(request, pk):
    enrolment = _get_enrolment(request, pk)
    form = OfficeMoveForm(request.POST or None, enrolment=enrolment)
    moved = attempt_once(
        request,
        form,
        lambda: services.enrolment_move(
            enrolment=enrolment,
            to_cohort=form.cleaned_data["to_cohort"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        ),
        lambda new: (
            _("%(name)s has been moved to %(cohort)s and has been told.")
            % {"name": new.participant.get_full_name(), "cohort": new.cohort}
        ),
        lambda _new: redirect("leergang:office-enrolments"),
        field="to_cohort",
    )
    if moved:
        return moved
    audit.read(request, [enrolment.participant_id], obj=enrolment)
    return render(
        request,
        "leergang/office/enrolment_move.html",
        {"enrolment": enrolment, "form": form, "history": _history(enrolment)},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.BEHEERDER)
def enrolment_cancel(request, pk):
    enrolment = _get_enrolment(request, pk)
    form = OfficeCancelForm(request.POST or None)
    cancelled = attempt_once(
        request,
        form,
        lambda: services.enrolment_cancel(
            enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"].strip()
        ),
        lambda done: (
            _("The enrolment of %(name)s has been cancelled; they have been told why.")
            % {"name": done.participant.get_full_name()}
        ),
        lambda _done: redirect("leergang:office-enrolments"),
    )
    if cancelled:
        return cancelled
    audit.read(request, [enrolment.participant_id], obj=enrolment)
    return render(
        request,
        "leergang/office/enrolment_cancel.html",
        {"enrolment": enrolment, "form": form, "history": _history(enrolment)},
        status=400 if form.is_bound else 200,
    )
