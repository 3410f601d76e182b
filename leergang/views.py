import logging
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from leergang import interest_views, retention, selectors, services
from leergang.filters import (
    ApprovalQueueFilter,
    CatalogueFilter,
    CohortStartFilter,
    TrainerCohortFilter,
)
from leergang.forms import (
    AttendanceForm,
    CancelForm,
    DecisionForm,
    ExcuseForm,
    InsightsProfileForm,
    ReflectionForm,
    RetentionPostponeForm,
)
from leergang.models import (
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    InsightsProfile,
    Material,
    Reflection,
)
from leergang.offer_views import OfferAnswerForm
from portal import access, audit
from portal.access import role_required
from portal.feedback import attempt, attempt_once, refuse
from portal.listing import list_page
from portal.models import Role

logger = logging.getLogger(__name__)


def _enrolled_text(enrolment) -> str:
    """What the person is told after enrolling: enrolled, on the waiting list or asked HR."""
    if enrolment.is_pending:
        return _("Your request has been sent to your employer for approval.")
    if enrolment.is_waitlisted:
        return _(
            "The cohort is full: you are on the waiting list (position %(position)s). "
            "We will let you know when a seat frees."
        ) % {"position": services.waitlist_position(enrolment)}
    return _("You are enrolled. Welcome!")


# What the pages fetch by id, with what they show of it (the door decides who may see it).
COHORTS = Cohort.objects.select_related("leergang", "organisation")
ENROLMENTS = Enrolment.objects.select_related("participant", "cohort__leergang")
BIJEENKOMSTEN = Bijeenkomst.objects.select_related("cohort__leergang")
REFLECTIONS = Reflection.objects.select_related(
    "enrolment__participant", "enrolment__cohort", "module"
)

# The catalogue is public: anybody may look; op-maat cohorts only show to their own people.


CATALOGUE_CARDS = 12
CATALOGUE_COHORTS = 20


def catalogue(request):
    cohorts = selectors.catalogue_cohorts(request.user)
    listing = list_page(
        request,
        CatalogueFilter,
        selectors.catalogue_for_page(cohorts=cohorts),
        per_page=CATALOGUE_CARDS,
        cohorts=cohorts,
    )
    cards = selectors.catalogue_cards(
        listing.rows, cohorts=listing.filter.card_cohorts, user=request.user
    )
    return render(
        request, "leergang/catalogue.html", listing.context(cards=cards), status=listing.status
    )


def leergang_detail(request, slug):
    leergang = get_object_or_404(selectors.published_leergang(), slug=slug)
    cohorts = selectors.catalogue_cohorts(request.user).filter(leergang=leergang)
    listing = list_page(
        request, CohortStartFilter, cohorts, per_page=CATALOGUE_COHORTS, cohorts=cohorts
    )
    lines = selectors.cohort_lines(listing.rows, request.user)
    interest_panel = interest_views.detail_panel(
        request.user, leergang, has_lines=bool(lines) or listing.filter.is_filtered
    )
    return render(
        request,
        "leergang/leergang_detail.html",
        listing.context(leergang=leergang, lines=lines, interest_panel=interest_panel),
        status=listing.status,
    )


@role_required(Role.DEELNEMER)
def cohort_enrol(request, pk):
    cohort = access.get_for_user(request.user, COHORTS, action="enrol", pk=pk)
    # Why this person cannot enrol, said before they try; a refused POST answers 400.
    problem = services.cohort_enrolment_problem(cohort, request.user)
    refused = request.method == "POST" and bool(problem)
    if request.method == "POST" and not problem:
        try:
            enrolment = services.enrolment_create(cohort=cohort, participant=request.user)
        except ValidationError as error:
            refuse(request, error)
            refused = True
        else:
            messages.success(request, _enrolled_text(enrolment))
            return redirect("leergang:enrolment-detail", enrolment.pk)
    return render(
        request,
        "leergang/cohort_enrol.html",
        {
            "cohort": cohort,
            "mine": selectors.my_live_enrolment(request.user, cohort),
            "problem": problem,
            "free_seats": cohort.free_seats(),
        },
        status=400 if refused else 200,
    )


@role_required(Role.DEELNEMER)
def my_leergang(request):
    return render(request, "leergang/my_leergang.html", selectors.my_leergang(request.user))


def _own_enrolment(request, pk, action="follow"):
    return access.get_for_user(request.user, Enrolment, action=action, pk=pk)


@role_required()
def enrolment_detail(request, pk):
    _own_enrolment(request, pk)
    overviews = selectors.participant_enrolments(request.user, pk=pk)
    if not overviews:
        raise Http404
    # A seat offered from the waiting list: Confirm and Decline right here.
    offered = overviews[0].enrolment.is_offered
    return render(
        request,
        "leergang/enrolment_detail.html",
        {"overview": overviews[0], "offer_form": OfferAnswerForm() if offered else None},
    )


@role_required()
def enrolment_cancel(request, pk):
    enrolment = access.get_for_user(request.user, ENROLMENTS, pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    problem, refused = None, False
    if not access.may(request.user, "cancel", enrolment):
        if not access.may(request.user, "follow", enrolment):
            raise PermissionDenied
        # Their own enrolment, past the deadline or already ended: say why, offer nothing.
        problem = enrolment.cancel_refusal(by=request.user)
        form = None
        refused = request.method == "POST"
    elif request.method == "POST" and form.is_valid():
        cancelled = attempt(
            request,
            lambda: services.enrolment_cancel(
                enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("Your enrolment has been cancelled."),
            form,
        )
        if cancelled:
            return redirect("leergang:my-leergang")
        refused = True
    # A refused POST answers 400, whether the page said why before or the service did now.
    return render(
        request,
        "leergang/enrolment_cancel.html",
        {"enrolment": enrolment, "form": form, "problem": problem},
        status=400 if refused else 200,
    )


@role_required()
def reflection_edit(request, pk, module_slug):
    enrolment = _own_enrolment(request, pk)
    link = get_object_or_404(
        enrolment.cohort.leergang.module_links.select_related("module"),
        module__slug=module_slug,
    )
    module = link.module
    reflection = Reflection.objects.filter(enrolment=enrolment, module=module).first()
    form = ReflectionForm(
        request.POST or None,
        instance=reflection,
        submitted=bool(reflection and reflection.submitted_at),
    )
    submit = "submit_reflection" in request.POST
    saved = attempt(
        request,
        lambda: services.reflection_save(
            enrolment=enrolment,
            module=module,
            text=form.cleaned_data["text"],
            submit=submit,
            shared_with_trainer=form.cleaned_data["shared_with_trainer"],
            shared_with_coach=form.cleaned_data["shared_with_coach"],
        ),
        lambda kept: (
            _("Your reflection has been submitted.")
            if submit and kept.submitted_at
            else _("Your reflection has been saved.")
        ),
        form,
    )
    if saved:
        return redirect("leergang:reflection-edit", enrolment.pk, module.slug)
    return render(
        request,
        "leergang/reflection_edit.html",
        {
            "enrolment": enrolment,
            "module": module,
            "form": form,
            "reflection": reflection,
            "materials": selectors.module_materials(request.user, module),
        },
    )


@role_required()
def reflection_detail(request, pk):
    """A shared leerlog entry, as the trainer or the coach reads it."""
    reflection = access.get_for_user(request.user, REFLECTIONS, pk=pk)
    return render(request, "leergang/reflection_detail.html", {"reflection": reflection})


@role_required()
def bijeenkomst_excuse(request, pk):
    bijeenkomst = access.get_for_user(request.user, BIJEENKOMSTEN, pk=pk)
    enrolment = (
        bijeenkomst.cohort.enrolments.holding_seat().filter(participant=request.user).first()
    )
    if enrolment is None:
        raise PermissionDenied
    excuse = bijeenkomst.attendances.filter(
        enrolment=enrolment, status=Attendance.Status.EXCUSED
    ).first()
    form = ExcuseForm(request.POST or None, initial={"reason": excuse.reason if excuse else ""})
    refused = False
    if request.method == "POST":
        if "withdraw" in request.POST:
            done = attempt(
                request,
                partial(
                    services.attendance_withdraw_excuse,
                    bijeenkomst=bijeenkomst,
                    enrolment=enrolment,
                ),
                _("Good to have you back: your absence is withdrawn."),
            )
        else:
            done = attempt(
                request,
                lambda: services.attendance_excuse(
                    bijeenkomst=bijeenkomst, enrolment=enrolment, reason=form.cleaned_data["reason"]
                ),
                _("Your absence has been reported to the trainer."),
                form,
            )
        if done:
            return redirect("leergang:enrolment-detail", enrolment.pk)
        # The service refused (an incomplete form is no refusal): the page answers 400.
        refused = "withdraw" in request.POST or form.is_valid()
    return render(
        request,
        "leergang/bijeenkomst_excuse.html",
        {
            "bijeenkomst": bijeenkomst,
            "enrolment": enrolment,
            "form": form,
            "excuse": excuse,
        },
        status=400 if refused else 200,
    )


@role_required()
def certificate_download(request, pk):
    from leergang.certificates import render_certificate_pdf

    enrolment = access.get_for_user(request.user, ENROLMENTS, action="certificate", pk=pk)
    response = HttpResponse(render_certificate_pdf(enrolment), content_type="application/pdf")
    audit.exported(request, [enrolment.participant_id], obj=enrolment)
    response["Content-Disposition"] = (
        f'attachment; filename="certificaat-{enrolment.cohort.leergang.slug}.pdf"'
    )
    return response


def certificate_verify(request, code):
    enrolment = (
        Enrolment.objects.filter(certificate_code=code, state=Enrolment.State.COMPLETED)
        .select_related("participant", "cohort__leergang")
        .first()
    )
    return render(
        request,
        "leergang/certificate_verify.html",
        {"enrolment": enrolment},
        status=200 if enrolment else 404,
    )


@role_required()
def material_download(request, pk):
    material = access.get_for_user(request.user, Material, pk=pk)
    if material.kind != Material.Kind.FILE or not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a restore, a cleaned disk): the office must re-upload.
        logger.error("Material %s has no file at %s", material.pk, material.file.name)
        return render(request, "leergang/material_missing.html", {"material": material}, status=404)
    # Always a download, never shown inline: an uploaded file cannot run in our origin.
    response = FileResponse(handle, as_attachment=True, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.TRAINER, Role.BEHEERDER)
def trainer_cohorts(request):
    cohorts = selectors.trainer_cohorts_for_page(request.user)
    listing = list_page(request, TrainerCohortFilter, cohorts)
    return render(
        request, "leergang/trainer_cohorts.html", listing.context(), status=listing.status
    )


@role_required(Role.TRAINER, Role.BEHEERDER)
def cohort_manage(request, pk):
    cohort = access.get_for_user(request.user, COHORTS, action="manage", pk=pk)
    if audit.reads_personal_data(request.user):
        # The programme office's look at the people the matrix and waiting list name (a
        # trainer's own cohort is not recorded, so the trainer's page reads no more).
        shown = cohort.enrolments.holding_seat() | cohort.enrolments.filter(
            state=Enrolment.State.WAITLISTED
        )
        audit.read(request, shown.values_list("participant_id", flat=True), obj=cohort)
    return render(
        request,
        "leergang/cohort_manage.html",
        {"cohort": cohort, **selectors.cohort_matrix(cohort)},
    )


@role_required(Role.TRAINER, Role.BEHEERDER)
def attendance_edit(request, pk):
    bijeenkomst = access.get_for_user(
        request.user, BIJEENKOMSTEN.select_related("module"), action="record_attendance", pk=pk
    )
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        sheet=selectors.attendance_sheet(bijeenkomst),
        statuses=bijeenkomst.attendance_statuses(),
    )
    recorded = attempt(
        request,
        lambda: services.attendance_record(
            bijeenkomst=bijeenkomst, by=request.user, entries=form.entries()
        ),
        _("The attendance has been saved."),
        form,
    )
    if recorded:
        return redirect("leergang:cohort-manage", bijeenkomst.cohort_id)
    audit.read(
        request, [enrolment.participant_id for enrolment, _recorded in form.sheet], obj=bijeenkomst
    )
    return render(
        request, "leergang/attendance_edit.html", {"bijeenkomst": bijeenkomst, "form": form}
    )


@role_required(Role.HR, Role.BEHEERDER)
def approval_queue(request):
    listing = list_page(request, ApprovalQueueFilter, selectors.approval_queue(request.user))
    context = listing.context(lines=selectors.approval_lines(listing.rows))
    audit.read(request, [row.participant_id for row in listing.rows], model=Enrolment)
    return render(request, "leergang/approval_queue.html", context, status=listing.status)


@role_required(Role.HR, Role.BEHEERDER)
def approval_decide(request, pk):
    enrolment = access.get_for_user(request.user, ENROLMENTS, pk=pk)
    if not access.may(request.user, "decide", enrolment):
        if not enrolment.is_pending:
            messages.info(request, _("This request has already been handled."))
            return redirect("leergang:approval-queue")
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    name = {"name": enrolment.participant.get_full_name()}

    def decide():
        if form.cleaned_data["decision"] == "approve":
            services.enrolment_approve(enrolment=enrolment, by=request.user)
            return _("Approved: %(name)s has been told.") % name
        services.enrolment_reject(
            enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"]
        )
        return _("Not approved: %(name)s has been told why.") % name

    # ``decide`` answers what the person is told.
    if attempt(request, decide, lambda told: told, form):
        return redirect("leergang:approval-queue")
    audit.read(request, [enrolment.participant_id], obj=enrolment)
    return render(request, "leergang/approval_decide.html", {"enrolment": enrolment, "form": form})


@role_required(Role.DEELNEMER)
def insights_profile(request):
    """The participant's colour energies from the Insights module (optional)."""
    profile = InsightsProfile.objects.filter(participant=request.user).first()
    form = InsightsProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and "delete" in request.POST:
        services.insights_profile_delete(participant=request.user)
        messages.success(request, _("Your Insights profile has been removed."))
        return redirect("leergang:my-leergang")
    if request.method == "POST" and form.is_valid():
        services.insights_profile_save(participant=request.user, **form.cleaned_data)
        messages.success(request, _("Your Insights profile has been saved."))
        return redirect("leergang:my-leergang")
    return render(request, "leergang/insights_profile.html", {"form": form, "profile": profile})


@role_required(Role.BEHEERDER)
def retention_list(request):
    """Bewaartermijnen: what retention removes in the coming month, per cohort."""
    today = timezone.localdate()
    return render(
        request,
        "leergang/retention_list.html",
        {
            "rows": retention.retention_forecast(today=today),
            "postponed": retention.retention_postponed_beyond(today=today),
            "today": today,
            "months": settings.RETENTION_MONTHS,
        },
    )


@role_required(Role.BEHEERDER)
def retention_postpone(request, pk):
    # A cohort whose data is gone has nothing left to postpone: not found.
    cohort = access.get_for_user(request.user, COHORTS.filter(personal_data_removed_at=None), pk=pk)
    today = timezone.localdate()
    form = RetentionPostponeForm(request.POST or None, cohort=cohort, today=today)
    postponed = attempt_once(
        request,
        form,
        lambda: retention.retention_postpone(
            cohort=cohort,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        lambda postponement: (
            _("The personal data of %(cohort)s is kept until %(date)s.")
            % {"cohort": cohort, "date": postponement.until.strftime("%d-%m-%Y")}
        ),
        lambda _postponement: redirect("leergang:retention"),
    )
    return postponed or render(
        request,
        "leergang/retention_postpone.html",
        {"cohort": cohort, "form": form, "due_on": retention.due_on(cohort)},
        status=400 if form.is_bound else 200,
    )
