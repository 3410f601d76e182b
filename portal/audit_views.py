"""The audit trail's pages: the programme office reads and filters every record; each person
reads their own part ("wie heeft mijn gegevens bekeken"). And the 403 page, which records
the refusal.

Neither page writes the text of a record from anything but its action, its page's URL name
and ids: there is nothing confidential in a record to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import django_filters
from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from portal import audit
from portal.access import role_required
from portal.listing import (
    MAX_SEARCH_WORDS,
    DateRangeFilterForm,
    ListFilterSet,
    WindowCountPaginator,
    list_page,
    paginate,
    search_filter,
)
from portal.models import AuditEvent, AuditSubject, Role, User, UserRole, full_name
from portal.widgets import DateInput

Action = AuditEvent.Action

# What a record's page (its URL name) is called on the pages that show it. A page not
# named here shows as "a page of the portal".
PAGE_LABELS = {
    "hr:people": gettext_lazy("Employees"),
    "hr:people-export-csv": gettext_lazy("Employees (CSV file)"),
    "hr:people-export-xlsx": gettext_lazy("Employees (Excel file)"),
    "hr:person-department": gettext_lazy("Department of an employee"),
    "hr:dashboard-export": gettext_lazy("HR dashboard (file)"),
    "leergang:approval-queue": gettext_lazy("Enrolment requests"),
    "leergang:approval-decide": gettext_lazy("Decision on an enrolment request"),
    "leergang:cohort-manage": gettext_lazy("Participants of a cohort"),
    "leergang:attendance-edit": gettext_lazy("Attendance of a bijeenkomst"),
    "leergang:certificate-download": gettext_lazy("Certificate"),
    "portal:invitation-list": gettext_lazy("Invitations"),
    "portal:invitation-import-detail": gettext_lazy("Import of invitations"),
    "portal:outbox": gettext_lazy("Outbox"),
    "portal:profile-export": gettext_lazy("Download of my data"),
    "portal:audit": gettext_lazy("Audit trail"),
    "coaching:trajectories": gettext_lazy("Coaching trajectories"),
    "evaluations:programme": gettext_lazy("Trends across cohorts"),
}

MFA_KINDS = {
    "totp": gettext_lazy("authenticator app"),
    "recovery_codes": gettext_lazy("recovery codes"),
    "webauthn": gettext_lazy("security key"),
}
MFA_CHANGES = {
    "added": gettext_lazy("%(kind)s added"),
    "removed": gettext_lazy("%(kind)s removed"),
    "reset": gettext_lazy("%(kind)s renewed"),
}
SIGN_OUT_REASONS = {
    "expired:idle": gettext_lazy("after a while without activity"),
    "expired:absolute": gettext_lazy("at the end of the longest time a session may last"),
}


def describe(event: AuditEvent) -> str:
    """What a record is about beyond its action, in words: the page, the role, the factor.
    Never the raw detail: it is a code, and the person reads Dutch."""
    detail = event.detail
    if event.action in (Action.PERSONAL_DATA_READ, Action.EXPORT, Action.PERMISSION_DENIED):
        return str(PAGE_LABELS.get(detail, _("a page of the portal")))
    if event.action == Action.ROLE_CHANGED and detail[:1] in "+-" and detail:
        role = dict(Role.choices).get(detail[1:], detail[1:])
        if detail[0] == "+":
            return _("Role %(role)s given") % {"role": role}
        return _("Role %(role)s taken away") % {"role": role}
    if event.action == Action.MFA_CHANGED and ":" in detail:
        kind, change = detail.split(":", 1)
        if change in MFA_CHANGES:
            return str(MFA_CHANGES[change]) % {"kind": MFA_KINDS.get(kind, kind)}
    if event.action == Action.SIGN_IN_FAILED and detail.startswith("mfa:"):
        return _("wrong code for the second factor")
    if event.action == Action.SIGN_OUT and detail in SIGN_OUT_REASONS:
        return str(SIGN_OUT_REASONS[detail])
    return ""


def _actor_roles(events) -> dict[int, frozenset[str]]:
    """The roles of the people who acted in ``events``, in one query."""
    roles: dict[int, set[str]] = {}
    actor_ids = {event.actor_id for event in events if event.actor_id}
    for user_id, role in UserRole.objects.filter(user_id__in=actor_ids).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, set()).add(role)
    return {pk: frozenset(values) for pk, values in roles.items()}


def _who(event: AuditEvent, roles: frozenset[str], *, viewer: User | None = None) -> str:
    """Who acted, as a person reads it: their name and what they are to the portal."""
    actor = event.actor
    if actor is None:
        if event.actor_id:  # the account is gone; the record stays
            return _("a removed account")
        return _("someone who was not signed in")
    if viewer is not None and actor.pk == viewer.pk:
        return _("you")
    name = full_name(actor.first_name, actor.last_name) or actor.email
    if Role.BEHEERDER in roles:
        return _("%(name)s, programme office") % {"name": name}
    if Role.HR in roles:
        organisation = actor.organisation.name if actor.organisation else ""
        return _("%(name)s, HR of %(organisation)s") % {"name": name, "organisation": organisation}
    labels = [str(label) for value, label in Role.choices if value in roles]
    return f"{name} ({', '.join(labels)})" if labels else name


@dataclass(frozen=True)
class Line:
    """One record on a page, its texts ready."""

    at: datetime
    who: str
    what: str
    about: str
    outcome: str
    refused: bool
    address: str
    people: int


def lines(events, *, viewer: User | None = None) -> list[Line]:
    events = list(events)
    roles = _actor_roles(events)
    return [
        Line(
            at=event.at,
            who=_who(event, roles.get(event.actor_id, frozenset()), viewer=viewer),
            what=event.get_action_display(),
            about=describe(event),
            outcome=event.get_outcome_display(),
            refused=event.outcome == AuditEvent.Outcome.REFUSED,
            address=event.ip_address or "",
            people=getattr(event, "people", 0),
        )
        for event in events
    ]


# --- the programme office's page ---------------------------------------------------------


def _concerning(queryset, _name, value):
    """Records with a person concerned whose name or e-mail address holds every word."""
    people = AuditSubject.objects.filter(event=OuterRef("pk"))
    for word in value.split()[:MAX_SEARCH_WORDS]:
        people = people.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
        )
    return queryset.filter(pk__in=people.values("event_id"))


class AuditFilterForm(DateRangeFilterForm):
    date_range = ("since", "until")


class AuditFilter(ListFilterSet):
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("What"), choices=Action.choices, empty_label=gettext_lazy("All")
    )
    outcome = django_filters.ChoiceFilter(
        label=gettext_lazy("Outcome"),
        choices=AuditEvent.Outcome.choices,
        empty_label=gettext_lazy("All"),
    )
    actor = search_filter(
        "actor__first_name",
        "actor__last_name",
        "actor__email",
        label=gettext_lazy("Who (name or e-mail address)"),
    )
    person = django_filters.CharFilter(
        label=gettext_lazy("Person concerned (name or e-mail address)"),
        method=_concerning,
        max_length=100,
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("From"), field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("Up to and including"),
        field_name="at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        form = AuditFilterForm


def audit_for_page():
    """Every record, newest first, with how many people it concerns (counted in a subquery
    per row of the page, not by joining every subject)."""
    people = (
        AuditSubject.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        AuditEvent.objects.select_related("actor__organisation")
        .annotate(people=Coalesce(Subquery(people), 0))
        .order_by("-at", "-pk")
    )


@role_required(Role.BEHEERDER)
def audit_list(request):
    """The whole trail for the programme office, filtered; reading it is recorded too, as
    it names people."""
    listing = list_page(request, AuditFilter, audit_for_page())
    rows = lines(listing.rows)
    audit.read(
        request, {event.actor_id for event in listing.rows if event.actor_id}, model=AuditEvent
    )
    context = listing.context(lines=rows, retention_days=settings.AUDIT_RETENTION_DAYS)
    return render(request, "portal/audit/list.html", context, status=listing.status)


# --- a person's own part -------------------------------------------------------------------

OWN_PER_PAGE = 25


@role_required()
def own_audit(request):
    """What the trail holds about the signed-in person: their own sign-ins and changes, and
    who looked at or exported their data. Only their own: ``audit.about``."""
    events = audit.about(request.user).select_related("actor__organisation")
    page = paginate(request, events, OWN_PER_PAGE, WindowCountPaginator)
    return render(
        request,
        "portal/audit/own.html",
        {
            "lines": lines(page.object_list, viewer=request.user),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
    )


# --- 403 -------------------------------------------------------------------------------------


def permission_denied(request, exception=None):
    """Django's 403 page, after recording who was refused which page (``handler403``: every
    ``PermissionDenied``, from the access door, a view or a middleware)."""
    audit.denied(request)
    return defaults.permission_denied(request, exception)
