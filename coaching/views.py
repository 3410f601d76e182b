from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coaching import selectors, services
from coaching.filters import CoacheeFilter, ManagedTrajectoryFilter
from coaching.forms import (
    BookForm,
    ExtendForm,
    GoalForm,
    GoalProgressForm,
    LeervraagForm,
    MarkForm,
    ParticipantSessionForm,
    PlanSessionForm,
    PrivateNoteForm,
    SlotForm,
    StartTrajectoryForm,
    SummaryForm,
    TransitionForm,
)
from coaching.models import AvailabilitySlot, CoachingSession, Goal, PrivateNote, Trajectory
from portal import access, audit
from portal.access import check_roles, role_required
from portal.feedback import attempt, attempt_once
from portal.listing import list_page
from portal.models import Role


@role_required(Role.DEELNEMER, Role.COACH)
def overview(request):
    """The participant's trajectory, or the coach's coachees (a list that pages and filters)."""
    user = request.user
    trajectories = selectors.participant_trajectories(user) if user.has_role(Role.DEELNEMER) else []
    for trajectory in trajectories:
        # Only its one-time token is rendered; the moments come from the selector.
        trajectory.book_form = BookForm(trajectory=trajectory)
    context, status = {"trajectories": trajectories, "is_coach": False}, 200
    if user.has_role(Role.COACH):
        listing = list_page(request, CoacheeFilter, selectors.coachees_for_page(user))
        context, status = listing.context(trajectories=trajectories, is_coach=True), listing.status
    return render(request, "coaching/overview.html", context, status=status)


@require_POST
@role_required(Role.DEELNEMER)
def book(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="book", pk=pk)
    form = BookForm(request.POST, trajectory=trajectory)
    return attempt_once(
        request,
        form,
        lambda: services.session_book(
            trajectory=trajectory, slot=form.cleaned_data["slot"], by=request.user
        ),
        _("Your session is booked; you and your coach get an invitation by e-mail."),
        lambda session: redirect("coaching:session-detail", session.pk),
        waiting_url=reverse("coaching:overview"),
        on_form=False,
    ) or redirect("coaching:overview")


SESSION_VERBS = ("cancel", "mark", "note", "prepare", "summarise")


@role_required(Role.DEELNEMER, Role.COACH)
def session_detail(request, pk):
    session = access.get_for_user(
        request.user,
        CoachingSession.objects.select_related("trajectory__participant", "trajectory__coach"),
        pk=pk,
    )
    may = {verb: access.may(request.user, verb, session) for verb in SESSION_VERBS}
    data = request.POST if request.method == "POST" else None
    forms = {
        "summary_form": (
            SummaryForm(data if data and "save_summary" in data else None, instance=session)
            if may["summarise"]
            else None
        ),
        "note_form": (
            PrivateNoteForm(data if data and "add_note" in data else None) if may["note"] else None
        ),
        "participant_form": (
            ParticipantSessionForm(data, instance=session) if may["prepare"] else None
        ),
    }
    status = 200
    if data is not None:
        response = _session_post(request, session, may, **forms)
        if response is not None:
            return response
        sent = "mark" in data or any(form is not None and form.is_bound for form in forms.values())
        if not sent:
            # None of the page's buttons sent it: say so rather than show the page as if saved.
            messages.error(request, _("Nothing was saved: reload the page and try again."))
            status = 400
    return render(
        request,
        "coaching/session_detail.html",
        {
            "session": session,
            "may": may,
            "Status": CoachingSession.Status,
            **forms,
            "notes": (
                access.visible(request.user, PrivateNote).filter(session=session)
                if may["note"]
                else []
            ),
        },
        status=status,
    )


def _session_post(request, session, may, *, summary_form, note_form, participant_form):
    """The one form a POST on the session page sent: a redirect when saved, else None (the
    page again, with the refusal on that form or, for the mark buttons, as a message)."""
    page = redirect("coaching:session-detail", session.pk)
    if may["mark"] and "mark" in request.POST:
        mark_form = MarkForm(request.POST)
        marked = attempt(
            request,
            lambda: services.session_mark(
                session=session, status=mark_form.cleaned_data["mark"], by=request.user
            ),
            _("The session has been marked."),
            mark_form,
            on_form=False,
        )
        return page if marked else None
    if summary_form is not None and summary_form.is_bound and summary_form.is_valid():
        run = partial(
            services.session_summary_set,
            session=session,
            summary=summary_form.cleaned_data["summary"],
            by=request.user,
        )
        saved = attempt(request, run, _("The shared summary has been saved."), summary_form)
        return page if saved else None
    if note_form is not None and note_form.is_bound:
        return attempt_once(
            request,
            note_form,
            lambda: services.private_note_add(
                session=session, coach=request.user, text=note_form.cleaned_data["text"]
            ),
            _("Your private note has been saved."),
            lambda _note: page,
        )
    if participant_form is not None and participant_form.is_valid():
        run = partial(
            services.session_participant_text_set,
            session=session,
            **participant_form.cleaned_data,
            by=request.user,
        )
        return page if attempt(request, run, _("Saved."), participant_form) else None
    return None


@require_POST
@role_required(Role.DEELNEMER, Role.COACH)
def session_cancel(request, pk):
    session = access.get_for_user(
        request.user,
        CoachingSession.objects.select_related("trajectory__participant", "trajectory__coach"),
        action="cancel",
        pk=pk,
    )
    attempt(
        request,
        partial(services.session_cancel, session=session, by=request.user),
        _("The session has been cancelled; the other person has been told."),
    )
    return redirect("coaching:overview")


@role_required(Role.COACH)
def availability(request):
    form = SlotForm(request.POST or None)
    offered = attempt_once(
        request,
        form,
        lambda: services.slot_publish(coach=request.user, **form.moment()),
        _("The moment is offered to your coachees."),
        lambda _slot: redirect("coaching:availability"),
    )
    return offered or render(
        request,
        "coaching/availability.html",
        {"form": form, "slots": selectors.coach_slots(request.user)},
    )


@require_POST
@role_required(Role.COACH)
def slot_withdraw(request, pk):
    slot = access.get_for_user(request.user, AvailabilitySlot, action="withdraw", pk=pk)
    attempt(
        request,
        partial(services.slot_withdraw, slot=slot, by=request.user),
        _("The moment is no longer offered."),
    )
    return redirect("coaching:availability")


# --------------------------------------------------------------------------- one trajectory


TRAJECTORY_VERBS = ("book", "extend", "plan", "transition", "write")


def _trajectory_page(request, pk, **bound_forms):
    """The trajectory page; a POST view that failed passes its bound form to show the errors."""
    trajectory = access.get_for_user(
        request.user, selectors.trajectory_page(pk, request.user), pk=pk
    )
    may = {verb: access.may(request.user, verb, trajectory) for verb in TRAJECTORY_VERBS}

    def action(name, obj_pk=trajectory.pk):
        return reverse(f"coaching:{name}", args=[obj_pk])

    goals = []
    for goal in trajectory.goals.all():
        history = list(goal.updates.all())  # prefetched
        goal.last_update = history[-1] if history else None
        form = bound_forms.get(f"progress_{goal.pk}") or GoalProgressForm(
            goal=goal, action=action("goal-progress", goal.pk)
        )
        goals.append((goal, form))
    context = {
        "trajectory": trajectory,
        "may": may,
        "goals": goals,
        "shared_reflections": selectors.shared_reflections(trajectory, request.user),
    }
    if may["book"]:
        trajectory.book_form = BookForm(trajectory=trajectory)
    if may["write"]:
        context["leervraag_form"] = bound_forms.get("leervraag_form") or LeervraagForm(
            trajectory=trajectory, action=action("leervraag")
        )
    # What changes the trajectory is offered only while it runs.
    if trajectory.is_open and may["write"]:
        context["goal_form"] = bound_forms.get("goal_form") or GoalForm(action=action("goal-add"))
    if trajectory.is_open and may["plan"]:
        context["plan_form"] = bound_forms.get("plan_form") or PlanSessionForm(
            action=action("plan")
        )
    if trajectory.is_open and may["extend"]:
        context["extend_form"] = bound_forms.get("extend_form") or ExtendForm(
            action=action("extend")
        )
    if trajectory.is_open and may["transition"]:
        context["transition_form"] = bound_forms.get("transition_form") or TransitionForm(
            trajectory=trajectory, action=action("transition")
        )
    return render(request, "coaching/trajectory.html", context)


@role_required(Role.DEELNEMER, Role.COACH)
def trajectory_detail(request, pk):
    return _trajectory_page(request, pk)


def _act(request, trajectory_pk, form, form_key, run, done, *, then=None):
    """Run a valid form through its service (``run()``), then to ``then(result)`` (default: the
    trajectory page); on errors, the trajectory page with the form and its errors."""
    page = reverse("coaching:trajectory", args=[trajectory_pk])
    acted = attempt_once(
        request,
        form,
        run,
        done,
        then or (lambda _result: redirect(page)),
        waiting_url=page,
    )
    return acted or _trajectory_page(request, trajectory_pk, **{form_key: form})


@dataclass(frozen=True)
class TrajectoryAction:
    """A form on the trajectory page: who sends it, the verb the policy is asked, the form,
    the service it runs (``run(trajectory, form, by)``) and what is said when it passed."""

    roles: tuple[str, ...]
    verb: str
    form_key: str
    form: Callable
    run: Callable
    done: str
    then: Callable | None = None


TRAJECTORY_ACTIONS = {
    "leervraag": TrajectoryAction(
        (Role.DEELNEMER,),
        "write",
        "leervraag_form",
        lambda data, trajectory: LeervraagForm(data, trajectory=trajectory),
        lambda trajectory, form, by: services.leervraag_set(
            trajectory=trajectory, text=form.cleaned_data["leervraag"], by=by
        ),
        gettext_lazy("Your learning question has been saved."),
    ),
    "goal-add": TrajectoryAction(
        (Role.DEELNEMER,),
        "write",
        "goal_form",
        lambda data, _trajectory: GoalForm(data),
        lambda trajectory, form, by: services.goal_add(
            trajectory=trajectory, description=form.cleaned_data["description"], by=by
        ),
        gettext_lazy("The goal has been added."),
    ),
    "plan": TrajectoryAction(
        (Role.COACH,),
        "plan",
        "plan_form",
        lambda data, _trajectory: PlanSessionForm(data),
        lambda trajectory, form, _by: services.session_plan(trajectory=trajectory, **form.moment()),
        gettext_lazy("The session is planned; you and the participant get an invitation."),
        then=lambda session: redirect("coaching:session-detail", session.pk),
    ),
    "extend": TrajectoryAction(
        (Role.COACH,),
        "extend",
        "extend_form",
        lambda data, _trajectory: ExtendForm(data),
        lambda trajectory, form, by: services.trajectory_extend(
            trajectory=trajectory, extra=form.cleaned_data["extra"], by=by
        ),
        gettext_lazy("The trajectory has been extended."),
    ),
    "transition": TrajectoryAction(
        (Role.COACH,),
        "transition",
        "transition_form",
        lambda data, trajectory: TransitionForm(data, trajectory=trajectory),
        lambda trajectory, form, by: services.trajectory_transition(
            trajectory=trajectory,
            to_state=form.cleaned_data["to_state"],
            by=by,
            reason=form.cleaned_data["reason"],
        ),
        gettext_lazy("The state of the trajectory has been changed."),
    ),
}


@require_POST
@role_required(Role.DEELNEMER, Role.COACH)
def trajectory_action(request, pk, action):
    """One form of the trajectory page; the URLconf names which (``TRAJECTORY_ACTIONS``)."""
    act = TRAJECTORY_ACTIONS[action]
    check_roles(request.user, act.roles)
    trajectory = access.get_for_user(request.user, Trajectory, action=act.verb, pk=pk)
    form = act.form(request.POST, trajectory)
    run = partial(act.run, trajectory, form, request.user)
    return _act(request, pk, form, act.form_key, run, act.done, then=act.then)


@require_POST
@role_required(Role.DEELNEMER, Role.COACH)
def goal_progress(request, pk):
    goal = access.get_for_user(
        request.user, Goal.objects.select_related("trajectory"), action="update", pk=pk
    )
    form = GoalProgressForm(request.POST, goal=goal)
    return _act(
        request,
        goal.trajectory_id,
        form,
        f"progress_{goal.pk}",
        lambda: services.goal_update(
            goal=goal,
            progress=form.cleaned_data["progress"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        _("The progress has been recorded."),
    )


# --------------------------------------------------------------------------- programme office, HR


@role_required(Role.BEHEERDER, Role.HR)
def trajectories(request):
    """Who is coached by whom, the state and sessions used: never the content."""
    user = request.user
    # Counted apart: a window count would make PostgreSQL count the sessions of every
    # trajectory, not of the fifty on the page (6.5 against 4 ms on the bench).
    listing = list_page(
        request,
        ManagedTrajectoryFilter,
        selectors.managed_for_page(user),
        paginator_class=Paginator,
        user=user,
    )
    rows = list(listing.rows)
    context = listing.context(lines=selectors.managed_table(rows))
    named = {row["participant_id"] for row in rows} | {row["coach_id"] for row in rows}
    audit.read(request, named, model=Trajectory)
    return render(request, "coaching/trajectories.html", context, status=listing.status)


@role_required(Role.BEHEERDER, Role.HR)
def start(request):
    form = StartTrajectoryForm(request.POST or None, user=request.user)
    # HR's form has no "paid by": what HR starts, its organisation pays for.
    paid_by_organisation = {"funded_by": Trajectory.Funding.ORGANISATION}
    started = attempt_once(
        request,
        form,
        lambda: services.trajectory_start(
            **{**paid_by_organisation, **form.cleaned_data}, by=request.user
        ),
        lambda trajectory: (
            _("The trajectory has started; %(participant)s and %(coach)s have been told.")
            % {
                "participant": trajectory.participant.get_full_name(),
                "coach": trajectory.coach.get_full_name(),
            }
        ),
        lambda _trajectory: redirect("coaching:trajectories"),
    )
    return started or render(request, "coaching/start.html", {"form": form})
