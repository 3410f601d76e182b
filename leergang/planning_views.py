"""The programme office's planning pages: cohorts and their bijeenkomsten."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leergang import interest, planning
from leergang.models import Bijeenkomst, Cohort, Enrolment
from leergang.planning_forms import (
    CancelBijeenkomstForm,
    CohortCreateForm,
    CohortForm,
    MoveForm,
    PlanningFilter,
    PreviewForm,
    SeriesForm,
)
from portal import access
from portal.access import role_required
from portal.feedback import attempt, attempt_once
from portal.listing import list_page
from portal.models import Role

COHORTS = Cohort.objects.select_related("leergang", "organisation")
BIJEENKOMSTEN = Bijeenkomst.objects.select_related("cohort__leergang", "module")


def _cohort(request, pk):
    return access.get_for_user(request.user, COHORTS.with_seats_taken(), pk=pk)


@role_required(Role.BEHEERDER)
def planning_list(request):
    """Cohorts not yet over: when, how full, how many bijeenkomsten planned."""
    listing = list_page(
        request, PlanningFilter, planning.planning_cohorts(today=timezone.localdate())
    )
    return render(request, "leergang/planning/list.html", listing.context(), status=listing.status)


@role_required(Role.BEHEERDER)
def cohort_create(request):
    form = CohortCreateForm(request.POST or None)
    created = attempt_once(
        request,
        form,
        lambda: planning.cohort_save(
            cohort=None,
            by=request.user,
            leergang=form.cleaned_data["leergang"],
            trainers=form.cleaned_data["trainers"],
            **form.service_fields(),
        ),
        lambda cohort: (
            _("%(cohort)s has been created. Now plan its bijeenkomsten.") % {"cohort": cohort}
        ),
        lambda cohort: redirect("leergang:planning-series", cohort.pk),
    )
    return created or render(
        request,
        "leergang/planning/cohort_form.html",
        {"form": form, "cohort": None, "demand": interest.demand()},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.BEHEERDER)
def cohort_edit(request, pk):
    cohort = _cohort(request, pk)
    form = CohortForm(
        request.POST or None, instance=cohort, initial={"trainers": list(cohort.trainers.all())}
    )
    saved = attempt(
        request,
        lambda: planning.cohort_save(
            cohort=cohort,
            by=request.user,
            leergang=cohort.leergang,
            trainers=form.cleaned_data["trainers"],
            **form.service_fields(),
        ),
        _("The cohort has been saved."),
        form,
    )
    if saved:
        return redirect("leergang:planning-cohort", cohort.pk)
    return render(
        request,
        "leergang/planning/cohort_form.html",
        {"form": form, "cohort": cohort},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.BEHEERDER)
def cohort_planning(request, pk):
    """One cohort's settings and its bijeenkomsten, each to move or cancel."""
    cohort = _cohort(request, pk)
    return render(
        request,
        "leergang/planning/cohort.html",
        {
            "cohort": cohort,
            "trainers": list(cohort.trainers.order_by("last_name", "first_name")),
            "bijeenkomsten": list(cohort.bijeenkomsten.select_related("module")),
            "unplanned": planning.modules_to_plan(cohort),
            "now": timezone.now(),
            "interested": interest.fitting_interests(cohort).count(),
            # Seats offered from the waiting list, with the moment each lapses.
            "offers": list(
                cohort.enrolments.filter(state=Enrolment.State.OFFERED)
                .select_related("participant")
                .order_by("offer_expires_at", "pk")
            ),
        },
    )


@role_required(Role.BEHEERDER)
def series_plan(request, pk):
    """A series in two steps: the rhythm, then its dates to adjust and save."""
    cohort = _cohort(request, pk)
    modules = planning.modules_to_plan(cohort)
    if not modules:
        messages.info(request, _("Every module of this cohort has a bijeenkomst."))
        return redirect("leergang:planning-cohort", cohort.pk)
    context = {"cohort": cohort, "modules": modules}
    if request.method == "POST":
        preview = PreviewForm(request.POST, modules=modules)
        saved = attempt_once(
            request,
            preview,
            lambda: planning.bijeenkomsten_plan(
                cohort=cohort, planned=preview.planned(), by=request.user
            ),
            lambda made: (
                ngettext(
                    "%(count)s bijeenkomst planned; everyone concerned gets it in their calendar.",
                    "%(count)s bijeenkomsten planned; everyone concerned gets them in their "
                    "calendar.",
                    len(made),
                )
                % {"count": len(made)}
            ),
            lambda _made: redirect("leergang:planning-cohort", cohort.pk),
        )
        if saved:
            return saved
        return _preview(request, context, preview, status=400)
    # The rhythm comes in the address: a preview changes nothing.
    asked = any(name.startswith("series-") for name in request.GET)
    series = SeriesForm(request.GET if asked else None, cohort=cohort)
    if series.is_valid():
        planned = planning.series(modules=modules, **series.cleaned_data)
        preview = PreviewForm(modules=modules, planned=planned)
        warnings = planning.series_refusals(cohort, planned, list(cohort.trainers.all()))
        return _preview(request, context, preview, warnings=warnings)
    return render(
        request,
        "leergang/planning/series.html",
        {**context, "form": series},
        status=400 if series.is_bound else 200,
    )


def _preview(request, context, preview, *, warnings=None, status=200):
    rows = []
    for module, fields in preview.bound_rows():
        notes = []
        for field in fields.values():
            notes.extend((warnings or {}).get(field.name, []))
        rows.append({"module": module, "fields": fields, "warnings": notes})
    return render(
        request,
        "leergang/planning/preview.html",
        {**context, "preview": preview, "rows": rows},
        status=status,
    )


@role_required(Role.BEHEERDER)
def bijeenkomst_edit(request, pk):
    """Move one bijeenkomst, or cancel it (``bijeenkomst_cancel``)."""
    bijeenkomst = access.get_for_user(request.user, BIJEENKOMSTEN, pk=pk)
    form = MoveForm(request.POST or None, bijeenkomst=bijeenkomst)
    if bijeenkomst.has_started:
        form = None
    moved = form is not None and attempt(
        request,
        lambda: planning.bijeenkomst_move(
            bijeenkomst=bijeenkomst, by=request.user, **form.moment()
        ),
        _(
            "The bijeenkomst has been changed; everyone concerned gets the new time in their "
            "calendar."
        ),
        form,
    )
    if moved:
        return redirect("leergang:planning-cohort", bijeenkomst.cohort_id)
    if form is None and request.method == "POST":
        messages.error(
            request,
            _("This bijeenkomst has already started; it can no longer be moved or cancelled."),
        )
        return redirect("leergang:planning-bijeenkomst", bijeenkomst.pk)
    return render(
        request,
        "leergang/planning/bijeenkomst.html",
        {
            "bijeenkomst": bijeenkomst,
            "cohort": bijeenkomst.cohort,
            "form": form,
            "cancel_form": CancelBijeenkomstForm(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@role_required(Role.BEHEERDER)
@require_POST
def bijeenkomst_cancel(request, pk):
    # The lookup runs inside the one-time action: a second click is answered by the
    # first one's result, not by a 404 for the bijeenkomst that is gone.
    def cancel():
        bijeenkomst = access.get_for_user(request.user, BIJEENKOMSTEN, pk=pk)
        return planning.bijeenkomst_cancel(bijeenkomst=bijeenkomst, by=request.user)

    cancelled = attempt_once(
        request,
        CancelBijeenkomstForm(request.POST),
        cancel,
        _("The bijeenkomst has been cancelled; everyone concerned has been told."),
        lambda cohort: redirect("leergang:planning-cohort", cohort.pk),
        on_form=False,
    )
    return cancelled or redirect("leergang:planning-bijeenkomst", pk)
