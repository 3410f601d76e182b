from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors, services
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
from portal import access
from portal.access import role_required
from portal.feedback import refuse
from portal.models import Role
from portal.once import submit_once


@role_required(Role.DEELNEMER, Role.COACH)
def overview(request):
    """The participant's trajectory, or the coach's coachees."""
    trajectories = (
        selectors.participant_trajectories(request.user)
        if request.user.has_role(Role.DEELNEMER)
        else []
    )
    for trajectory in trajectories:
        # Only its one-time token is rendered; the moments come from the selector.
        trajectory.book_form = BookForm(trajectory=trajectory)
    return render(
        request,
        "coaching/overview.html",
        {
            "trajectories": trajectories,
            "coachees": (
                selectors.coach_trajectories(request.user)
                if request.user.has_role(Role.COACH)
                else []
            ),
        },
    )


@require_POST
@role_required(Role.DEELNEMER)
def book(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="book", pk=pk)
    form = BookForm(request.POST, trajectory=trajectory)
    if not form.is_valid():
        refuse(request, ValidationError(form.errors))
        return redirect("coaching:overview")

    def booked(session):
        messages.success(
            request, _("Your session is booked; you and your coach get an invitation by e-mail.")
        )
        return redirect("coaching:session-detail", session.pk)

    try:
        return submit_once(
            request,
            form,
            lambda: services.session_book(
                trajectory=trajectory, slot=form.cleaned_data["slot"], by=request.user
            ),
            booked,
            waiting_url=reverse("coaching:overview"),
        )
    except ValidationError as error:
        refuse(request, error)
        return redirect("coaching:overview")


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
    if data is not None:
        response = _session_post(request, session, may, **forms)
        if response is not None:
            return response
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
    )


def _session_post(request, session, may, *, summary_form, note_form, participant_form):
    """The one form a POST on the session page sent: a redirect when saved, else None (the
    page again, with the refusal on that form or, for the mark buttons, as a message)."""

    def saved(message):
        messages.success(request, message)
        return redirect("coaching:session-detail", session.pk)

    if may["mark"] and "mark" in request.POST:
        mark_form = MarkForm(request.POST)
        try:
            if not mark_form.is_valid():
                raise ValidationError(mark_form.errors["mark"])
            services.session_mark(
                session=session, status=mark_form.cleaned_data["mark"], by=request.user
            )
        except ValidationError as error:
            refuse(request, error)
            return None
        return saved(_("The session has been marked."))
    if summary_form is not None and summary_form.is_bound and summary_form.is_valid():
        try:
            services.session_summary_set(
                session=session, summary=summary_form.cleaned_data["summary"], by=request.user
            )
        except ValidationError as error:
            refuse(request, error, summary_form)
            return None
        return saved(_("The shared summary has been saved."))
    if note_form is not None and note_form.is_bound and note_form.is_valid():
        try:
            return submit_once(
                request,
                note_form,
                lambda: services.private_note_add(
                    session=session, coach=request.user, text=note_form.cleaned_data["text"]
                ),
                lambda _note: saved(_("Your private note has been saved.")),
            )
        except ValidationError as error:
            refuse(request, error, note_form)
            return None
    if participant_form is not None and participant_form.is_valid():
        try:
            services.session_participant_text_set(
                session=session, **participant_form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            refuse(request, error, participant_form)
            return None
        return saved(_("Saved."))
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
    try:
        services.session_cancel(session=session, by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("The session has been cancelled; the other person has been told.")
        )
    return redirect("coaching:overview")


@role_required(Role.COACH)
def availability(request):
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def offered(_slot):
            messages.success(request, _("The moment is offered to your coachees."))
            return redirect("coaching:availability")

        try:
            return submit_once(
                request,
                form,
                lambda: services.slot_publish(coach=request.user, **form.moment()),
                offered,
            )
        except ValidationError as error:
            refuse(request, error, form)
    return render(
        request,
        "coaching/availability.html",
        {"form": form, "slots": selectors.coach_slots(request.user)},
    )


@require_POST
@role_required(Role.COACH)
def slot_withdraw(request, pk):
    slot = access.get_for_user(request.user, AvailabilitySlot, action="withdraw", pk=pk)
    try:
        services.slot_withdraw(slot=slot, by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The moment is no longer offered."))
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


def _act(request, trajectory_pk, form, form_key, run, done_message, *, then=None):
    """Run a valid form through its service, then to ``then(result)`` (default: the
    trajectory page); on errors, the trajectory page with the form and its errors."""
    if form.is_valid():

        def done(result):
            messages.success(request, done_message)
            if then is not None:
                return then(result)
            return redirect("coaching:trajectory", trajectory_pk)

        try:
            return submit_once(
                request,
                form,
                lambda: run(form.cleaned_data),
                done,
                waiting_url=reverse("coaching:trajectory", args=[trajectory_pk]),
            )
        except ValidationError as error:
            refuse(request, error, form)
    return _trajectory_page(request, trajectory_pk, **{form_key: form})


@require_POST
@role_required(Role.DEELNEMER)
def leervraag(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="write", pk=pk)
    return _act(
        request,
        pk,
        LeervraagForm(request.POST, trajectory=trajectory),
        "leervraag_form",
        lambda data: services.leervraag_set(
            trajectory=trajectory, text=data["leervraag"], by=request.user
        ),
        _("Your learning question has been saved."),
    )


@require_POST
@role_required(Role.DEELNEMER)
def goal_add(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="write", pk=pk)
    return _act(
        request,
        pk,
        GoalForm(request.POST),
        "goal_form",
        lambda data: services.goal_add(
            trajectory=trajectory, description=data["description"], by=request.user
        ),
        _("The goal has been added."),
    )


@require_POST
@role_required(Role.DEELNEMER, Role.COACH)
def goal_progress(request, pk):
    goal = access.get_for_user(
        request.user, Goal.objects.select_related("trajectory"), action="update", pk=pk
    )
    return _act(
        request,
        goal.trajectory_id,
        GoalProgressForm(request.POST, goal=goal),
        f"progress_{goal.pk}",
        lambda data: services.goal_update(
            goal=goal, progress=data["progress"], note=data["note"], by=request.user
        ),
        _("The progress has been recorded."),
    )


@require_POST
@role_required(Role.COACH)
def plan(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="plan", pk=pk)
    form = PlanSessionForm(request.POST)
    return _act(
        request,
        pk,
        form,
        "plan_form",
        lambda data: services.session_plan(trajectory=trajectory, **form.moment()),
        _("The session is planned; you and the participant get an invitation."),
        then=lambda session: redirect("coaching:session-detail", session.pk),
    )


@require_POST
@role_required(Role.COACH)
def extend(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="extend", pk=pk)
    return _act(
        request,
        pk,
        ExtendForm(request.POST),
        "extend_form",
        lambda data: services.trajectory_extend(
            trajectory=trajectory, extra=data["extra"], by=request.user
        ),
        _("The trajectory has been extended."),
    )


@require_POST
@role_required(Role.COACH)
def transition(request, pk):
    trajectory = access.get_for_user(request.user, Trajectory, action="transition", pk=pk)
    return _act(
        request,
        pk,
        TransitionForm(request.POST, trajectory=trajectory),
        "transition_form",
        lambda data: services.trajectory_transition(
            trajectory=trajectory, to_state=data["to_state"], by=request.user, reason=data["reason"]
        ),
        _("The state of the trajectory has been changed."),
    )


# --------------------------------------------------------------------------- programme office, HR


@role_required(Role.BEHEERDER, Role.HR)
def trajectories(request):
    """Who is coached by whom, the state and sessions used: never the content."""
    return render(
        request,
        "coaching/trajectories.html",
        {"trajectories": selectors.managed_list(request.user)},
    )


@role_required(Role.BEHEERDER, Role.HR)
def start(request):
    form = StartTrajectoryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def started(trajectory):
            messages.success(
                request,
                _("The trajectory has started; %(participant)s and %(coach)s have been told.")
                % {
                    "participant": trajectory.participant.get_full_name(),
                    "coach": trajectory.coach.get_full_name(),
                },
            )
            return redirect("coaching:trajectories")

        try:
            return submit_once(
                request,
                form,
                lambda: services.trajectory_start(
                    participant=data["participant"],
                    coach=data["coach"],
                    agreed_sessions=data["agreed_sessions"],
                    enrolment=data["enrolment"],
                    funded_by=data.get("funded_by", Trajectory.Funding.ORGANISATION),
                    by=request.user,
                ),
                started,
            )
        except ValidationError as error:
            refuse(request, error, form)
    return render(request, "coaching/start.html", {"form": form})
