"""Inhalen pages: the participant picks a bijeenkomst elsewhere to make up a missed one
and may withdraw the request; the programme office (every request) and trainers (the
requests for the cohorts they train) list and decide them. Every write goes through
``leergang.makeup``, under the host cohort's lock."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leergang import makeup
from leergang.filters import leergangen_in
from leergang.forms import DecisionForm
from leergang.models import Attendance, Cohort, Enrolment, Leergang, MakeUpRequest
from portal import access, audit
from portal.access import role_required
from portal.feedback import attempt, attempt_once
from portal.listing import ListFilterSet, list_page, search_filter, sort_filter
from portal.models import Role
from portal.once import OnceFormMixin

REQUESTS = MakeUpRequest.objects.select_related(
    "enrolment__participant__organisation",
    "enrolment__cohort__leergang",
    "missed",
    "bijeenkomst__cohort__leergang",
    "bijeenkomst__module",
    "decided_by",
)


class MakeUpChoiceForm(OnceFormMixin, forms.Form):
    """Which of the listed bijeenkomsten; the template lays the choices out as a table."""

    bijeenkomst = forms.TypedChoiceField(
        label=gettext_lazy("Bijeenkomst to make it up at"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose one of the bijeenkomsten listed."),
            "invalid_choice": gettext_lazy(
                "That bijeenkomst is not one of those listed; choose one of them."
            ),
        },
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {b.pk: b for b in options}
        self.fields["bijeenkomst"].choices = [(b.pk, str(b)) for b in options]

    def chosen(self):
        return self.options[self.cleaned_data["bijeenkomst"]]


@role_required(Role.DEELNEMER)
def make_up_new(request, pk, missed_pk):
    """The same module's bijeenkomsten elsewhere with a seat free, and the request."""
    enrolment = access.get_for_user(
        request.user,
        Enrolment.objects.select_related("participant", "cohort__leergang"),
        action="follow",
        pk=pk,
    )
    missed = access.get_for_user(
        request.user, enrolment.cohort.bijeenkomsten.select_related("module"), pk=missed_pk
    )
    problem = makeup.missed_problem(enrolment, missed)
    options = [] if problem else makeup.make_up_options(enrolment, missed)
    form = MakeUpChoiceForm(request.POST if request.method == "POST" else None, options=options)
    if request.method == "POST" and not problem:
        done = attempt_once(
            request,
            form,
            lambda: makeup.make_up_request(
                enrolment=enrolment, missed=missed, bijeenkomst=form.chosen()
            ),
            _("Your request has been sent; you will hear when it has been decided."),
            lambda _made: redirect("leergang:enrolment-detail", enrolment.pk),
            field="bijeenkomst",
        )
        if done:
            return done
    status = missed.attendances.filter(enrolment=enrolment).first()
    return render(
        request,
        "leergang/make_up_new.html",
        {
            "enrolment": enrolment,
            "missed": missed,
            "status": status,
            "problem": problem,
            "form": form,
            "options": options,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.DEELNEMER)
@require_POST
def make_up_cancel(request, pk):
    make_up = access.get_for_user(request.user, REQUESTS, action="cancel", pk=pk)
    attempt(
        request,
        lambda: makeup.make_up_cancel(make_up=make_up, by=request.user),
        _("Your make-up request has been withdrawn."),
    )
    return redirect("leergang:enrolment-detail", make_up.enrolment_id)


def requests_for(user):
    """The requests this user decides on: the programme office all, a trainer those for
    the cohorts they train. Newest first."""
    queryset = REQUESTS
    if not user.is_beheerder:
        queryset = queryset.filter(bijeenkomst__cohort__in=Cohort.objects.filter(trainers=user))
    return queryset.order_by("-created_at", "-pk")


class MakeUpFilter(ListFilterSet):
    q = search_filter(
        "enrolment__participant__first_name",
        "enrolment__participant__last_name",
        label=gettext_lazy("Name"),
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=MakeUpRequest.State.choices,
        empty_label=gettext_lazy("All"),
    )
    leergang = django_filters.ModelChoiceFilter(
        field_name="bijeenkomst__cohort__leergang",
        label=gettext_lazy("Leergang"),
        queryset=Leergang.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    sort = sort_filter(
        name=(
            ("enrolment__participant__last_name", "enrolment__participant__first_name"),
            gettext_lazy("Participant"),
        ),
        when=("bijeenkomst__starts_at", gettext_lazy("Make-up bijeenkomst")),
        state=("state", gettext_lazy("State")),
        since=("created_at", gettext_lazy("Asked")),
    )
    default_sort = "-since"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = leergangen_in(
            self.queryset, "bijeenkomst__cohort__leergang"
        )


@role_required(Role.TRAINER, Role.BEHEERDER)
def make_up_list(request):
    listing = list_page(request, MakeUpFilter, requests_for(request.user))
    audit.read(request, [row.enrolment.participant_id for row in listing.rows], model=MakeUpRequest)
    return render(request, "leergang/make_up_list.html", listing.context(), status=listing.status)


@role_required(Role.TRAINER, Role.BEHEERDER)
def make_up_decide(request, pk):
    make_up = access.get_for_user(request.user, REQUESTS, pk=pk)
    if not access.may(request.user, "decide", make_up):
        raise PermissionDenied
    handled = make_up.state != MakeUpRequest.State.REQUESTED
    form = None if handled else DecisionForm(request.POST or None)
    if request.method == "POST" and handled:
        messages.info(request, _("This request has already been handled."))
        return redirect("leergang:make-up-list")
    name = {"name": make_up.enrolment.participant.get_full_name()}

    def decide():
        if form.cleaned_data["decision"] == "approve":
            makeup.make_up_approve(make_up=make_up, by=request.user)
            return _("Approved: %(name)s has been told.") % name
        makeup.make_up_reject(make_up=make_up, by=request.user, reason=form.cleaned_data["reason"])
        return _("Not approved: %(name)s has been told why.") % name

    if form is not None and attempt(request, decide, lambda told: told, form):
        return redirect("leergang:make-up-list")
    host = make_up.bijeenkomst
    guests = list(
        makeup.approved_guests()
        .filter(bijeenkomst=host)
        .select_related("enrolment__participant", "enrolment__cohort")
        .order_by("enrolment__participant__last_name", "pk")
    )
    missed_status = (
        Attendance.objects.filter(enrolment=make_up.enrolment_id, bijeenkomst=make_up.missed_id)
        .values_list("status", flat=True)
        .first()
    )
    audit.read(
        request,
        [make_up.enrolment.participant_id, *(g.enrolment.participant_id for g in guests)],
        obj=make_up,
    )
    return render(
        request,
        "leergang/make_up_decide.html",
        {
            "make_up": make_up,
            "form": form,
            "guests": guests,
            "guest_seats": makeup.guest_seats_free(host, host.cohort),
            "missed_status": Attendance.Status(missed_status).label if missed_status else "",
        },
        status=400 if request.method == "POST" else 200,
    )
