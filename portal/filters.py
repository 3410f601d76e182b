"""The filters of the portal's own list pages (see ``portal.listing``)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.listing import ListFilterSet, search_filter, sort_filter
from portal.models import Invitation, Notification, Organisation


class OutboxFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Notification.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of message"), empty_label=_("All"))
    email = search_filter("email", label=_("E-mail address"))
    sort = sort_filter(
        kind=("kind", _("Kind")),
        email=("email", _("E-mail address")),
        status=("status", _("Status")),
        created=("created_at", _("Created")),
        sent=("sent_at", _("Sent")),
        attempts=("attempts", _("Attempts")),
    )
    default_sort = "-created"

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = [(kind, kind) for kind in kinds]


def _invitation_status(queryset, _name, value):
    now = timezone.now()
    open_ = Q(accepted_at=None, revoked_at=None)
    matches = {
        Invitation.Status.ACCEPTED: ~Q(accepted_at=None),
        Invitation.Status.REVOKED: Q(accepted_at=None) & ~Q(revoked_at=None),
        Invitation.Status.EXPIRED: open_ & Q(expires_at__lte=now),
        Invitation.Status.PENDING: open_ & Q(expires_at__gt=now),
    }
    return queryset.filter(matches[value])


class InvitationFilter(ListFilterSet):
    """Status is computed from dates (``Invitation.status``), so it filters by the same
    rules written as conditions on those dates."""

    q = search_filter("first_name", "last_name", "email", label=_("Name or e-mail address"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Invitation.Status.choices,
        empty_label=_("All"),
        method=_invitation_status,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    sort = sort_filter(
        name=(("last_name", "first_name"), _("Name")),
        email=("email", _("E-mail address")),
        organisation=("organisation__name", _("Organisation")),
        sent=("created_at", _("Sent")),
    )
    default_sort = "-sent"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_beheerder:
            self.filters["organisation"].queryset = access.visible(user, Organisation).only(
                "pk", "name"
            )
        else:
            # HR sees their own organisation's invitations only: nothing to choose.
            del self.filters["organisation"]
