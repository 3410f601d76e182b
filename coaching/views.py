from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors, services
from coaching.forms import ParticipantSessionForm, PrivateNoteForm, SlotForm, SummaryForm
from coaching.models import AvailabilitySlot, CoachingSession, PrivateNote, Trajectory
from portal import access
from portal.access import role_required
from portal.models import Role


def _say(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


@role_required(Role.DEELNEMER, Role.COACH)
def overview(request):
    """The participant's trajectory, or the coach's coachees."""
    return render(
        request,
        "coaching/overview.html",
        {
            "trajectories": (
                selectors.participant_trajectories(request.user)
                if request.user.has_role(Role.DEELNEMER)
                else []
            ),
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
    choice = request.POST.get("slot", "")
    slot = AvailabilitySlot.objects.filter(pk=int(choice)).first() if choice.isdigit() else None
    if slot is None:
        messages.error(request, _("Choose one of the free moments."))
        return redirect("coaching:overview")
    try:
        session = services.session_book(trajectory=trajectory, slot=slot, by=request.user)
    except ValidationError as error:
        _say(request, error)
        return redirect("coaching:overview")
    messages.success(
        request, _("Your session is booked; you and your coach get an invitation by e-mail.")
    )
    return redirect("coaching:session-detail", session.pk)


@role_required(Role.DEELNEMER, Role.COACH)
def session_detail(request, pk):
    session = access.get_for_user(
        request.user,
        CoachingSession.objects.select_related("trajectory__participant", "trajectory__coach"),
        pk=pk,
    )
    is_coach = session.trajectory.coach_id == request.user.pk
    data = request.POST if request.method == "POST" else None
    participant_form = summary_form = note_form = None
    if is_coach:
        summary_form = SummaryForm(
            data if data and "save_summary" in data else None, instance=session
        )
        note_form = PrivateNoteForm(data if data and "add_note" in data else None)
    else:
        participant_form = ParticipantSessionForm(data, instance=session)
    if request.method == "POST":
        try:
            if is_coach and "mark" in request.POST:
                services.session_mark(session=session, status=request.POST["mark"])
                messages.success(request, _("The session has been marked."))
                return redirect("coaching:session-detail", session.pk)
            if is_coach and summary_form.is_bound and summary_form.is_valid():
                summary_form.save()
                messages.success(request, _("The shared summary has been saved."))
                return redirect("coaching:session-detail", session.pk)
            if is_coach and note_form.is_bound and note_form.is_valid():
                services.private_note_add(
                    session=session, coach=request.user, text=note_form.cleaned_data["text"]
                )
                messages.success(request, _("Your private note has been saved."))
                return redirect("coaching:session-detail", session.pk)
            if not is_coach and participant_form.is_valid():
                participant_form.save()
                messages.success(request, _("Saved."))
                return redirect("coaching:session-detail", session.pk)
        except ValidationError as error:
            _say(request, error)
    return render(
        request,
        "coaching/session_detail.html",
        {
            "session": session,
            "is_coach": is_coach,
            "participant_form": participant_form,
            "summary_form": summary_form,
            "note_form": note_form,
            "notes": (
                access.visible(request.user, PrivateNote).filter(session=session)
                if is_coach
                else []
            ),
        },
    )


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
        _say(request, error)
    else:
        messages.success(
            request, _("The session has been cancelled; the other person has been told.")
        )
    return redirect("coaching:overview")


@role_required(Role.COACH)
def availability(request):
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_publish(coach=request.user, **form.moment())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The moment is offered to your coachees."))
            return redirect("coaching:availability")
    return render(
        request,
        "coaching/availability.html",
        {"form": form, "slots": selectors.coach_slots(request.user)},
    )
