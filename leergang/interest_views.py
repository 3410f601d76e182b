"""The interest list's pages: a participant's registration, their own list, HR's view of
their organisation's people, and the programme office's demand per leergang and region."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leergang import interest
from leergang.interest_forms import InterestForm, WithdrawInterestForm
from leergang.models import Cohort, Interest, Leergang
from portal import access, audit
from portal.access import role_required
from portal.feedback import attempt
from portal.models import Role

HR_PAGE_SIZE = 50


def _leergang(user, slug) -> Leergang:
    return access.get_for_user(user, Leergang.objects.filter(is_published=True), slug=slug)


def _own_interest(user, leergang) -> Interest | None:
    return access.visible(user, Interest).filter(participant=user, leergang=leergang).first()


def detail_panel(user, leergang, *, has_lines: bool) -> dict:
    """What a leergang's page shows about the interest list: the registration form (when
    no upcoming cohort is open to the person), or their registration; and until when a new
    cohort is kept for the interest list, when one is hidden from them for that reason."""
    kept = (
        Cohort.objects.open_to(user)
        .upcoming()
        .filter(leergang=leergang)
        .filter(interest.in_first_access())
        .exclude(interest.first_access_q(user))
        .aggregate(until=Min("priority_until"))["until"]
    )
    panel = {"kept_until": kept, "interest": None, "form": None}
    if not (user.is_authenticated and user.has_role(Role.DEELNEMER)):
        return panel
    mine = _own_interest(user, leergang)
    panel["interest"] = mine
    if mine is None and not has_lines:
        form = InterestForm()
        form.helper.form_action = _url(leergang)
        panel["form"] = form
    return panel


def _url(leergang) -> str:
    from django.urls import reverse

    return reverse("leergang:interest-edit", args=[leergang.slug])


@role_required(Role.DEELNEMER)
def interest_edit(request, slug):
    """Register interest in a leergang, or change the preferred region and period."""
    leergang = _leergang(request.user, slug)
    mine = _own_interest(request.user, leergang)
    form = InterestForm(request.POST or None, instance=mine)
    saved = attempt(
        request,
        lambda: interest.interest_register(
            participant=request.user, leergang=leergang, **form.service_fields()
        ),
        _("You are on the interest list: we will let you know when a cohort opens that fits.")
        if mine is None
        else _("Your interest has been saved."),
        form,
    )
    if saved:
        return redirect("leergang:my-interests")
    return render(
        request,
        "leergang/interest_form.html",
        {"leergang": leergang, "form": form, "interest": mine, "withdraw": WithdrawInterestForm()},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.DEELNEMER)
@require_POST
def interest_withdraw(request, slug):
    leergang = _leergang(request.user, slug)
    if interest.interest_withdraw(participant=request.user, leergang=leergang):
        messages.success(
            request,
            _("You are no longer on the interest list of %(leergang)s.") % {"leergang": leergang},
        )
    return redirect("leergang:my-interests")


@role_required(Role.DEELNEMER)
def my_interests(request):
    """The participant's own interest list registrations."""
    return render(
        request,
        "leergang/my_interests.html",
        {
            "interests": list(interest.own_interests(request.user)),
            "withdraw": WithdrawInterestForm(),
        },
    )


@role_required(Role.HR)
def hr_interests(request):
    """HR: who of their own organisation is on which interest list."""
    rows = access.visible(request.user, interest.organisation_interests(request.user))
    page = Paginator(rows, HR_PAGE_SIZE).get_page(request.GET.get("page"))
    audit.read(request, [row.participant_id for row in page], model=Interest)
    return render(request, "leergang/hr_interests.html", {"page_obj": page, "rows": page})


@role_required(Role.BEHEERDER)
def office_demand(request):
    """The programme office: the interest list's demand per leergang and region."""
    return render(request, "leergang/planning/demand.html", {"rows": interest.demand()})
