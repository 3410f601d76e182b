"""The filters of the leergang list pages (see ``portal.listing``). Every choice is built
from the rows the page itself may show, so another organisation's cohort is not a choice:
asking for it is an invalid value, told on the form."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from leergang import selectors
from leergang.models import Cohort, Leergang, LeergangModule, Module
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


def leergangen_in(rows, lookup: str):
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
        self.filters["leergang"].queryset = leergangen_in(self.queryset, "cohort__leergang")
        self.filters["cohort"].queryset = _cohorts_in(self.queryset, "cohort")


PERIODS = [("current", _("Running and upcoming")), ("finished", _("Finished"))]


def period_filter(queryset, _name, value):
    today = timezone.localdate()
    return queryset.filter(Q(ends_on__gte=today) if value == "current" else Q(ends_on__lt=today))


class TrainerCohortFilter(ListFilterSet):
    q = search_filter("name", "leergang__title", label=_("Search"))
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=PERIODS, empty_label=_("All"), method=period_filter
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
        self.filters["leergang"].queryset = leergangen_in(self.queryset, "leergang")


def _month_choices(cohorts):
    return [
        (month.strftime("%Y-%m"), date_format(month, "F Y"))
        for month in cohorts.order_by().dates("starts_on", "month")
    ]


class CohortStartFilter(ListFilterSet):
    """Which upcoming cohorts a visitor looks for: a month to start in, a seat still free.
    The month choices are the months the visitor's own upcoming ``cohorts`` start in."""

    starts = django_filters.ChoiceFilter(
        label=_("Starts in"), empty_label=_("Any month"), method="filter_cohorts"
    )
    free = django_filters.BooleanFilter(
        label=_("With a seat free"), widget=forms.CheckboxInput, method="filter_cohorts"
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = cohorts
        self.filters["starts"].extra["choices"] = _month_choices(cohorts)

    def filter_cohorts(self, queryset, name, value):
        if name == "starts":
            year, month = value.split("-")
            return queryset.filter(starts_on__year=year, starts_on__month=month)
        return queryset.filter(seats__gt=F("seats_taken")) if value else queryset


class CatalogueFilter(CohortStartFilter):
    """The catalogue's cards: a leergang shows when it matches the search and the module
    and has an upcoming cohort that matches the start filters; its card lists those."""

    q = search_filter("title", "summary", "target_group", label=_("Search"))
    module = django_filters.ModelChoiceFilter(
        field_name="modules",
        label=_("With the module"),
        queryset=Module.objects.none(),
        empty_label=_("Any module"),
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, cohorts=cohorts, **kwargs)
        # Titles only, and EXISTS: DISTINCT over whole modules sorted their long texts.
        published = LeergangModule.objects.filter(
            module=OuterRef("pk"), leergang__is_published=True
        )
        self.filters["module"].queryset = (
            Module.objects.filter(Exists(published)).only("title").order_by("title")
        )

    def filter_cohorts(self, queryset, name, value):
        return queryset  # the cards' cohorts, narrowed in ``filter_queryset``

    @cached_property
    def card_cohorts(self):
        """``cohorts`` narrowed by the start filters: what the cards list and count."""
        cohorts = self.cohorts
        if not self.is_bound or not self.form.is_valid():
            return cohorts
        for name in ("starts", "free"):
            value = self.form.cleaned_data.get(name)
            if value:
                cohorts = CohortStartFilter.filter_cohorts(self, cohorts, name, value)
        return cohorts

    def filter_queryset(self, queryset):
        leergangen = super().filter_queryset(queryset)
        cohorts = self.card_cohorts
        if cohorts is self.cohorts:
            return leergangen
        return (
            selectors.catalogue_for_page(cohorts=cohorts)
            .filter(pk__in=leergangen.values("pk"))
            .filter(Exists(cohorts.filter(leergang=OuterRef("pk"))))
        )
