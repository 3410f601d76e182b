import json

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from intervisie import selectors, services
from intervisie.filters import TrainerOverviewFilter
from intervisie.forms import (
    MethodForm,
    MoveForm,
    PickForm,
    PollForm,
    PrepareForm,
    RecordForm,
    SlotFormSet,
    SplitForm,
    SuggestForm,
    VolunteerForm,
    VoteForm,
)
from intervisie.models import MIN_POLL_SLOTS, Group, Membership, Method, Poll, Session
from intervisie.permissions import led_groups
from intervisie.selectors import group_members
from leergang.forms import ExcuseForm
from leergang.models import Cohort
from portal import access
from portal.access import role_required
from portal.feedback import attempt, attempt_once, refuse
from portal.listing import list_page
from portal.models import Role

# --- members -----------------------------------------------------------------------------


@role_required(Role.DEELNEMER)
def my_groups(request):
    return render(
        request, "intervisie/my_groups.html", {"overviews": selectors.member_groups(request.user)}
    )


@role_required()
def poll_vote(request, pk):
    poll = access.get_for_user(
        request.user, Poll.objects.select_related("group"), action="vote", pk=pk
    )
    slots = list(poll.slots.all())
    form = VoteForm(
        request.POST or None, slots=slots, answers=selectors.my_answers(poll, request.user)
    )
    voted = attempt(
        request,
        lambda: services.vote_cast(poll=poll, voter=request.user, answers=form.answers()),
        _("Thank you, your answers have been saved. You can change them until the poll closes."),
        form,
    )
    if voted:
        return redirect("intervisie:my-groups")
    return render(request, "intervisie/poll_vote.html", {"poll": poll, "form": form})


@role_required()
def session_detail(request, pk):
    session = access.get_for_user(
        request.user,
        Session.objects.select_related(
            "group__cohort__leergang", "group__begeleider", "method", "case_bringer"
        ),
        pk=pk,
    )
    attendance = selectors.session_attendance(session)
    return render(
        request,
        "intervisie/session_detail.html",
        {
            "session": session,
            "member_rows": [(m, attendance.get(m.pk)) for m in group_members(session.group)],
            "may": {
                verb: access.may(request.user, verb, session)
                for verb in ("excuse", "lead", "volunteer")
            },
        },
    )


def _session_form(
    request, session, form, save, done, *, title, template="intervisie/session_form.html", **context
):
    """A form about one session: a valid POST runs ``save()`` and goes back to the session
    saying ``done``; otherwise the form again, with the service's refusal on it."""
    if attempt(request, save, done, form):
        return redirect("intervisie:session-detail", session.pk)
    return render(request, template, {"session": session, "form": form, "title": title, **context})


@role_required()
def session_excuse(request, pk):
    session = access.get_for_user(
        request.user, Session.objects.select_related("group"), action="excuse", pk=pk
    )
    form = ExcuseForm(request.POST or None)
    return _session_form(
        request,
        session,
        form,
        lambda: services.session_excuse(
            session=session, member=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Your absence has been passed on to the begeleider."),
        title=_("Report absence"),
    )


@role_required()
def session_volunteer(request, pk):
    session = access.get_for_user(
        request.user, Session.objects.select_related("group"), action="volunteer", pk=pk
    )
    own_case = session.case_bringer_id == request.user.pk
    form = VolunteerForm(
        request.POST or None,
        initial={"case_title": session.case_title, "case_text": session.case_text}
        if own_case
        else None,
    )
    return _session_form(
        request,
        session,
        form,
        lambda: services.session_volunteer(
            session=session, member=request.user, **form.cleaned_data
        ),
        _("Thank you: you bring the case for this session."),
        title=_("Bring a case"),
    )


# --- the trainer (begeleider) ----------------------------------------------------------------


# What each trainer page fetches by id: 404 when unseen, 403 when not this trainer's to run.
TRAINED_COHORTS = Cohort.objects.select_related("leergang")
LED_GROUPS = Group.objects.select_related("cohort__leergang")
LED_POLLS = Poll.objects.select_related("group__cohort")
LED_SESSIONS = Session.objects.select_related("group__cohort", "method", "case_bringer")


# Each cohort is a section with its groups: fewer per page than a table's rows.
COHORTS_PER_PAGE = 10


@role_required(Role.TRAINER)
def trainer_overview(request):
    cohorts = selectors.trainer_cohorts_for_page(request.user)
    listing = list_page(request, TrainerOverviewFilter, cohorts, per_page=COHORTS_PER_PAGE)
    return render(
        request, "intervisie/trainer_overview.html", listing.context(), status=listing.status
    )


@role_required(Role.TRAINER)
def cohort_groups(request, pk):
    cohort = access.get_for_user(request.user, TRAINED_COHORTS, action="manage", pk=pk)
    suggest_form = SuggestForm(request.GET if "size" in request.GET else None)
    proposal = None
    if suggest_form.is_bound and suggest_form.is_valid():
        try:
            proposal = services.groups_suggest(
                cohort=cohort, size=suggest_form.cleaned_data["size"]
            )
        except ValidationError as error:
            refuse(request, error, suggest_form)
    data = selectors.cohort_groups(cohort)
    return render(
        request,
        "intervisie/cohort_groups.html",
        {
            "cohort": cohort,
            "suggest_form": suggest_form,
            "proposal": proposal,
            "proposal_json": json.dumps([[e.pk for e in group] for group in proposal or []]),
            # Another trainer's groups of the cohort are listed, but only one's own are run here.
            "led_ids": {g.pk for g in data["groups"] if access.may(request.user, "lead", g)},
            **data,
        },
    )


@require_POST
@role_required(Role.TRAINER)
def groups_accept(request, pk):
    cohort = access.get_for_user(request.user, TRAINED_COHORTS, action="manage", pk=pk)
    form = SplitForm(request.POST)
    attempt(
        request,
        lambda: services.groups_create(
            cohort=cohort, begeleider=request.user, split=form.cleaned_data["split"]
        ),
        lambda groups: (
            ngettext(
                "%(count)s group has been made. You can still move members.",
                "%(count)s groups have been made. You can still move members.",
                len(groups),
            )
            % {"count": len(groups)}
        ),
        form,
        on_form=False,
    )
    return redirect("intervisie:cohort-groups", cohort.pk)


@require_POST
@role_required(Role.TRAINER)
def member_move(request, pk):
    membership = access.get_for_user(
        request.user, Membership.objects.select_related("group"), action="move", pk=pk
    )
    # Only to another group this begeleider leads in the same cohort.
    form = MoveForm(
        request.POST,
        groups=led_groups(request.user).filter(cohort_id=membership.group.cohort_id),
    )
    attempt(
        request,
        lambda: services.membership_move(
            membership=membership, to_group=form.cleaned_data["group"]
        ),
        _("The member has been moved."),
        form,
        on_form=False,
    )
    return redirect("intervisie:cohort-groups", membership.group.cohort_id)


@role_required(Role.TRAINER)
def group_manage(request, pk):
    group = access.get_for_user(request.user, LED_GROUPS, action="lead", pk=pk)
    data = selectors.cohort_groups(group.cohort)
    group = next(g for g in data["groups"] if g.pk == group.pk)
    return render(
        request,
        "intervisie/group_manage.html",
        {
            "group": group,
            "turns": selectors.case_turns(group),
        },
    )


@role_required(Role.TRAINER)
def poll_create(request, pk):
    group = access.get_for_user(request.user, LED_GROUPS, action="lead", pk=pk)
    form = PollForm(request.POST or None)
    slots = SlotFormSet(request.POST or None, prefix="slots")
    opened = slots.is_valid() and attempt_once(
        request,
        form,
        lambda: services.poll_create(
            group=group,
            by=request.user,
            title=form.cleaned_data["title"],
            closes_at=form.cleaned_data["closes_at"],
            slots=[f.moment() for f in slots.filled()],
        ),
        _("The poll is open; the members have been asked."),
        lambda poll: redirect("intervisie:poll-manage", poll.pk),
    )
    return opened or render(
        request,
        "intervisie/poll_create.html",
        {"group": group, "form": form, "slots": slots, "slots_min": MIN_POLL_SLOTS},
    )


@role_required(Role.TRAINER)
def poll_manage(request, pk):
    poll = access.get_for_user(request.user, LED_POLLS, action="lead", pk=pk)
    return render(
        request,
        "intervisie/poll_manage.html",
        {"poll": poll, "matrix": selectors.poll_matrix(poll), "pick_form": PickForm(poll=poll)},
    )


@require_POST
@role_required(Role.TRAINER)
def poll_pick(request, pk):
    poll = access.get_for_user(request.user, LED_POLLS, action="lead", pk=pk)
    form = PickForm(request.POST, poll=poll)
    page = reverse("intervisie:poll-manage", args=[poll.pk])
    return attempt_once(
        request,
        form,
        lambda: services.poll_pick(poll=poll, slot=form.cleaned_data["slot"], by=request.user),
        _("The session is planned and every member has been invited."),
        lambda session: redirect("intervisie:session-detail", session.pk),
        waiting_url=page,
        on_form=False,
    ) or redirect(page)


@require_POST
@role_required(Role.TRAINER)
def poll_close(request, pk):
    poll = access.get_for_user(request.user, LED_POLLS, action="lead", pk=pk)
    attempt(
        request,
        lambda: services.poll_close(poll=poll),
        _("The poll has been closed without a date."),
    )
    return redirect("intervisie:poll-manage", poll.pk)


@role_required(Role.TRAINER)
def session_prepare(request, pk):
    session = access.get_for_user(request.user, LED_SESSIONS, action="lead", pk=pk)
    form = PrepareForm(
        request.POST or None,
        members=group_members(session.group),
        initial={
            "method": session.method_id,
            "case_bringer": session.case_bringer_id,
            "case_title": session.case_title,
            "case_text": session.case_text,
        },
    )
    return _session_form(
        request,
        session,
        form,
        lambda: services.session_prepare(session=session, **form.cleaned_data),
        _("The session has been prepared."),
        title=_("Prepare the session"),
        turns=selectors.case_turns(session.group),
    )


@role_required(Role.TRAINER)
def session_record(request, pk):
    session = access.get_for_user(request.user, LED_SESSIONS, action="lead", pk=pk)
    form = RecordForm(
        request.POST or None,
        members=list(group_members(session.group)),
        recorded=selectors.session_attendance(session),
        initial={"notes": session.notes, "agreements": session.agreements},
    )
    return _session_form(
        request,
        session,
        form,
        lambda: services.session_record(
            session=session,
            attendance=form.attendance(),
            notes=form.cleaned_data["notes"],
            agreements=form.cleaned_data["agreements"],
        ),
        _("Attendance, notes and agreements have been saved."),
        title=_("Attendance, notes and agreements"),
        template="intervisie/session_record.html",
    )


@role_required(Role.TRAINER)
def method_create(request):
    form = MethodForm(request.POST or None)
    created = attempt_once(
        request,
        form,
        lambda: services.method_create(**form.cleaned_data, by=request.user),
        lambda method: _("The method %(name)s can now be chosen.") % {"name": method.name},
        lambda _method: redirect("intervisie:trainer-overview"),
    )
    return created or render(
        request, "intervisie/method_form.html", {"form": form, "methods": Method.objects.all()}
    )
