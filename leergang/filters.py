"""The filters of the leergang list pages (see ``portal.listing``). Every choice is built
from the rows the page itself may show, so another organisation's cohort is not a choice:
asking for it is an invalid value, told on the form."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.models import Cohort, Leergang
from portal.listing import ListFilterSet, search_filter, sort_filter


class CohortChoiceFilter(django_filters.ModelChoiceFilter):
    """A cohort out of the page's own rows, labelled "leergang: cohort" in one query."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Cohort"))
        kwargs.setdefault("empty_label", _("All"))
        kwargs.setdefault("queryset", Cohort.objects.none())
        super().__init__(*args, **kwargs)


def _cohorts_in(rows, lookup: str):
    return (
        Cohort.objects.filter(pk__in=rows.values(lookup))
        .select_related("leergang")
        .order_by("leergang__title", "starts_on", "pk")
    )


def _leergangen_in(rows, lookup: str):
    return Leergang.objects.filter(pk__in=rows.values(lookup)).only("pk", "title").order_by("title")


class ApprovalQueueFilter(ListFilterSet):
    q = search_filter("participant__first_name", "participant__last_name", label=_("Name"))
    leergang = django_filters.ModelChoiceFilter(
        field_name="cohort__leergang",
        label=_("Leergang"),
        queryset=Leergang.objects.none(),
        empty_label=_("All"),
    )
    cohort = CohortChoiceFilter()
    sort = sort_filter(
        name=(("participant__last_name", "participant__first_name"), _("Employee")),
        leergang=(("cohort__leergang__title", "cohort__name"), _("Leergang")),
        starts=("cohort__starts_on", _("Starts")),
        asked=("created_at", _("Asked on")),
    )
    default_sort = "asked"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = _leergangen_in(self.queryset, "cohort__leergang")
        self.filters["cohort"].queryset = _cohorts_in(self.queryset, "cohort")


PERIODS = [("current", _("Running and upcoming")), ("finished", _("Finished"))]


def _period(queryset, _name, value):
    today = timezone.localdate()
    return queryset.filter(Q(ends_on__gte=today) if value == "current" else Q(ends_on__lt=today))


class TrainerCohortFilter(ListFilterSet):
    q = search_filter("name", "leergang__title", label=_("Search"))
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=PERIODS, empty_label=_("All"), method=_period
    )
    leergang = django_filters.ModelChoiceFilter(
        label=_("Leergang"), queryset=Leergang.objects.none(), empty_label=_("All")
    )
    sort = sort_filter(
        cohort=(("leergang__title", "name"), _("Cohort")),
        starts=("starts_on", _("Dates")),
        participants=("seats_taken", _("Participants")),
        waitlist=("waitlist_count", _("Waiting list")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = _leergangen_in(self.queryset, "leergang")
