from django.conf import settings
from django.shortcuts import redirect, render

from evaluations import selectors, services
from evaluations.filters import EvaluatedCohortFilter
from evaluations.forms import AnswerForm
from evaluations.permissions import get_cohort_results_for_user
from portal import audit
from portal.access import role_required
from portal.listing import list_page
from portal.models import Role


def _unusable(request, message: str, status: int):
    return render(request, "evaluations/unusable.html", {"message": message}, status=status)


def answer(request, token):
    """The evaluation form behind the e-mail's link: the token is the key, no login needed.
    An unknown link is a 404, a used or expired one a 410, each with a page that says why."""
    invitation = services.invitation_find(token)
    refusal = services.invitation_refusal(invitation)
    if refusal:
        return _unusable(request, refusal, 404 if invitation is None else 410)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        goals=services.invitation_goals(invitation),
    )
    if form.is_valid():
        try:
            services.answer_submit(
                token=token,
                grade=form.cleaned_data["grade"],
                recommendation=form.cleaned_data["recommendation"],
                comments=form.cleaned_data["comments"],
                goal_scores=form.goal_scores(),
            )
        except services.EvaluationUnusable as problem:
            return _unusable(request, " ".join(problem.messages), 410)
        return redirect("evaluations:thanks")
    return render(request, "evaluations/answer.html", {"form": form, "invitation": invitation})


def thanks(request):
    return render(request, "evaluations/thanks.html")


@role_required(Role.TRAINER, Role.BEHEERDER)
def cohorts(request):
    """The cohorts whose evaluations this trainer reads (the programme office: all)."""
    cohorts = selectors.trained_cohorts_for_page(request.user)
    listing = list_page(request, EvaluatedCohortFilter, cohorts)
    context = listing.context(
        modules=selectors.module_results(request.user),
        minimum=settings.EVALUATION_TRAINER_MIN,
    )
    return render(request, "evaluations/cohorts.html", context, status=listing.status)


@role_required(Role.TRAINER, Role.BEHEERDER)
def cohort(request, pk):
    cohort = get_cohort_results_for_user(request.user, pk)
    return render(
        request,
        "evaluations/cohort.html",
        {"cohort": cohort, **selectors.cohort_results(cohort)},
    )


@role_required(Role.BEHEERDER)
def programme(request):
    trends = selectors.programme_trends()
    # The averages per coach name the coaches: a look at their results.
    audit.read(request, [coach.pk for coach, _figures in trends["coaches"]])
    return render(request, "evaluations/programme.html", trends)


@role_required(Role.COACH)
def coaching(request):
    return render(
        request,
        "evaluations/coaching.html",
        {
            "figures": selectors.coach_results(request.user),
            "minimum": settings.EVALUATION_COACH_MIN,
        },
    )


@role_required(Role.HR)
def hr(request):
    return render(request, "evaluations/hr.html", selectors.hr_results(request.user))
