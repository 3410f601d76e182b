import json

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal import access, audit, calendar, charts, dashboards, selectors, services, sessions
from portal.access import role_required
from portal.feedback import attempt_once, refuse
from portal.filters import InvitationFilter, OutboxFilter
from portal.forms import (
    EndSessionForm,
    InvitationAcceptForm,
    InvitationCsvForm,
    InvitationForm,
    ProfileForm,
    ReminderPreferencesForm,
    ResendForm,
)
from portal.listing import list_page
from portal.models import CalendarFeed, Invitation, InvitationImport, Notification, Role

INVITERS = (Role.HR, Role.BEHEERDER)


@role_required()
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "roles": request.user.role_labels(),
            "panels": dashboards.panels_for(request.user),
        },
    )


@role_required()
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("portal:profile")
    return _profile_page(request, form=form, reminders_form=ReminderPreferencesForm(user=user))


def _profile_page(request, *, form, reminders_form, status=200):
    context = {"form": form, "reminders_form": reminders_form}
    return render(request, "portal/profile.html", context, status=status)


@role_required()
def session_list(request):
    """The person's signed-in sessions: device, address, since, last seen; end one, or all
    the others (a lost laptop, a shared computer at the town hall)."""
    key = request.session.session_key
    form = EndSessionForm(request.POST or None, user=request.user, current_key=key)
    if request.method == "POST":
        if request.POST.get("all") == "others":
            ended = sessions.end_other_sessions(request)
            messages.success(
                request,
                ngettext(
                    "%(count)d other session has been ended.",
                    "%(count)d other sessions have been ended.",
                    ended,
                )
                % {"count": ended},
            )
            return redirect("portal:sessions")
        if form.is_valid():
            sessions.end_session(form.cleaned_data["session"])
            messages.success(request, _("The session has been ended."))
            return redirect("portal:sessions")
    lines = sessions.active_sessions(request.user, key)
    status = 400 if form.errors else 200
    return render(
        request,
        "portal/session_list.html",
        {"sessions": lines, "form": form, "others": sum(not line.current for line in lines)},
        status=status,
    )


@role_required()
@require_POST
def profile_reminders(request):
    form = ReminderPreferencesForm(request.POST, user=request.user)
    if not form.is_valid():
        profile_form = ProfileForm(instance=request.user)
        return _profile_page(request, form=profile_form, reminders_form=form, status=400)
    services.reminder_preferences_set(user=request.user, wanted=form.cleaned_data["wanted"])
    messages.success(request, _("Your reminder choices have been saved."))
    return redirect("portal:profile")


@role_required()
def profile_export(request):
    data = selectors.user_data_export(request.user)
    audit.exported(request, [request.user.pk], obj=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*INVITERS)
def invitation_list(request):
    user = request.user
    listing = list_page(request, InvitationFilter, selectors.invitations_for_page(user), user=user)
    # Invitees without an account yet are named on the page too, but have no account to
    # file the record under; the record of the page says who looked.
    accounts = [row.accepted_user_id for row in listing.rows if row.accepted_user_id]
    audit.read(request, accounts, model=Invitation)
    return render(request, "portal/invitation_list.html", listing.context(), status=listing.status)


@role_required(*INVITERS)
def invitation_create(request):
    form = InvitationForm(request.POST or None, user=request.user)
    sent = attempt_once(
        request,
        form,
        lambda: services.invitation_create(invited_by=request.user, **form.cleaned_data),
        lambda invitation: (
            _("An invitation has been sent to %(email)s.") % {"email": invitation.email}
        ),
        lambda _invitation: redirect("portal:invitation-list"),
        field="email",
    )
    return sent or render(request, "portal/invitation_form.html", {"form": form})


@role_required(Role.HR)
def invitation_import(request):
    form = InvitationCsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.invitation_import_start(
                data=form.cleaned_data["file"],
                file_name=request.FILES["file"].name,
                organisation=request.user.organisation,
                uploaded_by=request.user,
            )
        except ValidationError as error:
            refuse(request, error, form, field="file")
        else:
            return redirect("portal:invitation-import-detail", pk=job.pk)
    imports = selectors.invitation_imports_for_page(request.user)[:10]
    return render(request, "portal/invitation_import.html", {"form": form, "imports": imports})


@role_required(*INVITERS)
def invitation_import_detail(request, pk):
    job = access.get_for_user(
        request.user, InvitationImport.objects.select_related("uploaded_by").defer("content"), pk=pk
    )
    # The problem lines name people to invite (no accounts yet); the record names the import.
    audit.read(request, (), obj=job)
    return render(request, "portal/invitation_import_detail.html", {"job": job})


STATUS_FIELDS = ("organisation_id", "state", "processed_rows", "total_rows")


@role_required(*INVITERS)
def invitation_import_status(request, pk):
    """The progress as JSON, for the page's script; the page itself works without it."""
    job = access.get_for_user(request.user, InvitationImport.objects.only(*STATUS_FIELDS), pk=pk)
    response = JsonResponse(
        {
            "state": job.state,
            "finished": job.is_finished,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "percent": job.percent,
            "text": _("%(processed)s of %(total)s lines processed.")
            % {"processed": job.processed_rows, "total": job.total_rows},
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(*INVITERS)
def invitation_act(request, pk, action):
    """Withdraw ("revoke") or send again ("resend"): ``action`` comes from the URL pattern."""
    service, done = {
        "revoke": (
            services.invitation_revoke,
            _("The invitation for %(email)s has been withdrawn."),
        ),
        "resend": (services.invitation_resend, _("A new invitation has been sent to %(email)s.")),
    }[action]
    invitation = access.get_for_user(request.user, Invitation, action=action, pk=pk)
    service(invitation=invitation)
    messages.success(request, done % {"email": invitation.email})
    return redirect("portal:invitation-list")


@role_required(Role.BEHEERDER)
def outbox(request):
    """Every message the portal sends, newest first: whether it went, and why not."""
    kinds = selectors.outbox_kinds(request.user)
    listing = list_page(request, OutboxFilter, selectors.outbox_for_page(request.user), kinds=kinds)
    rows = [
        (
            notification,
            ResendForm(auto_id=False) if access.may(request.user, "resend", notification) else None,
        )
        for notification in listing.rows
    ]
    audit.read(
        request,
        [row.recipient_id for row in listing.rows if row.recipient_id],
        model=Notification,
    )
    return render(request, "portal/outbox.html", listing.context(rows=rows), status=listing.status)


@require_POST
@role_required(Role.BEHEERDER)
def outbox_resend(request, pk):
    notification = access.get_for_user(request.user, Notification, pk=pk)
    outbox_url = reverse("portal:outbox")
    return attempt_once(
        request,
        ResendForm(request.POST),
        lambda: services.notification_resend(notification=notification, by=request.user),
        _("The message to %(email)s is being sent again.") % {"email": notification.email},
        lambda _notification: redirect(outbox_url),
        waiting_url=outbox_url,
        on_form=False,
    ) or redirect(outbox_url)


def invitation_accept(request, token):
    # Public by nature: the secret token is the key. An unknown token is a 404.
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        return render(
            request,
            "portal/invitation_unusable.html",
            {
                "message": _(
                    "This invitation link is not valid. Check that you copied "
                    "the whole link from the e-mail."
                )
            },
            status=404,
        )
    try:
        services.invitation_check(invitation)
    except services.InvitationUnusable as problem:
        return render(
            request, "portal/invitation_unusable.html", {"message": problem.message}, status=410
        )
    if request.user.is_authenticated:
        return render(
            request,
            "portal/invitation_unusable.html",
            {
                "message": _(
                    "You are signed in already. Sign out first to accept "
                    "an invitation for another address."
                )
            },
            status=409,
        )
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.InvitationUnusable as problem:
            return render(
                request, "portal/invitation_unusable.html", {"message": problem.message}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("portal:home")
    return render(
        request, "portal/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@role_required()
def calendar_page(request):
    feed = services.calendar_feed_for(request.user)
    if request.method == "POST":
        services.calendar_feed_reset(feed=feed)
        messages.success(
            request,
            _(
                "You have a new calendar link. The old link no longer "
                "works: subscribe again with the new one."
            ),
        )
        return redirect("portal:calendar")
    now = timezone.now()
    events = [event for event in calendar.events_for(request.user) if event.ends_at >= now]
    feed_url = request.build_absolute_uri(reverse("portal:calendar-feed", args=[feed.token]))
    return render(request, "portal/calendar.html", {"events": events, "feed_url": feed_url})


def calendar_feed(request, token):
    # The secret token is the key: calendar programs cannot sign in.
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    ics = calendar.to_ics(calendar.events_for(feed.user), name=_("Learning portal"))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="leerportaal.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@role_required()
def chart(request, key):
    """A chart a page published for its audience (``portal.charts.publish``): 404 for
    anyone else, and for a chart the cache no longer holds (the page draws it again)."""
    svg = charts.published_svg(request.user, key)
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The address is a hash of the figures: the same address never shows other figures.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response
