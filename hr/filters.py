"""The filters of HR's people list; its choices hold only HR's own organisation's data."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from leergang.models import Cohort, Enrolment, Leergang
from portal.forms import IdChoiceField
from portal.listing import DateRangeFilterForm, ListFilterSet, sort_filter
from portal.widgets import DateInput

# The department filter's choice for people HR has not given a department yet.
NO_DEPARTMENT = "-"
SEARCH_MAX_LENGTH = 100


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """An object out of the filter's queryset by its id; anything else (another
    organisation's cohort, "abc", a number past bigint) is an invalid choice."""

    field_class = IdChoiceField


class PeopleFilterForm(DateRangeFilterForm):
    date_range = ("enrolled_from", "enrolled_to")


class PeopleFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or e-mail address"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
    )
    leergang = IdChoiceFilter(
        label=_("Leergang"), field_name="cohort__leergang", queryset=Leergang.objects.none()
    )
    cohort = IdChoiceFilter(label=_("Cohort"), queryset=Cohort.objects.none())
    state = django_filters.ChoiceFilter(label=_("State"), choices=Enrolment.State.choices)
    department = django_filters.ChoiceFilter(
        label=_("Department"), method="filter_department", choices=()
    )
    enrolled_from = django_filters.DateFilter(
        label=_("Enrolled from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    enrolled_to = django_filters.DateFilter(
        label=_("Enrolled up to and including"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    sort = sort_filter(
        name=("person_name", _("Name")),
        leergang=("cohort__leergang__title", _("Leergang")),
        state=("state_rank", _("State")),
        attendance=("attendance_sort", _("Attendance")),
        modules=("modules_completed", _("Modules completed")),
        intervisie=("intervisie_attended", _("Intervisie")),
        coaching=("coaching_used", _("Coaching")),
    )

    class Meta:
        form = PeopleFilterForm

    def __init__(self, *args, user, departments: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Only what HR's own people are in: another organisation's cohort is no choice.
        # A semi-join (EXISTS), not DISTINCT over the join: each cohort is looked at once.
        own = Exists(
            Enrolment.objects.filter(
                cohort=OuterRef("pk"), participant__organisation_id=user.organisation_id
            )
        )
        cohorts = Cohort.objects.filter(own)
        # The querysets check a value sent; the options of both selects come from one
        # query of the cohorts, when the form is shown (never for an export).
        self.filters["cohort"].queryset = cohorts
        self.filters["leergang"].queryset = Leergang.objects.filter(
            Exists(cohorts.filter(leergang=OuterRef("pk")))
        )
        self._cohorts = cohorts
        self.filters["cohort"].extra["choices"] = self._cohort_choices
        self.filters["leergang"].extra["choices"] = self._leergang_choices
        self.filters["department"].extra["choices"] = [
            (NO_DEPARTMENT, _("(no department)")),
            *((name, name) for name in departments),
        ]

    @cached_property
    def _cohort_rows(self) -> list[tuple[int, str, int, str]]:
        return list(
            self._cohorts.order_by("leergang__title", "starts_on", "name").values_list(
                "pk", "name", "leergang_id", "leergang__title"
            )
        )

    def _cohort_choices(self) -> list[tuple[int, str]]:
        # The label of Cohort.__str__, "leergang: cohort", without building the objects.
        return [(pk, f"{title}: {name}") for pk, name, _leergang, title in self._cohort_rows]

    def _leergang_choices(self) -> list[tuple[int, str]]:
        # The cohorts come sorted by leergang title: each leergang once, in that order.
        return list(
            dict.fromkeys((leergang, title) for _pk, _name, leergang, title in self._cohort_rows)
        )

    def filter_queryset(self, queryset):
        # The primary key last: a stable order, so no row moves between pages.
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(participant__first_name__icontains=word)
                | Q(participant__last_name__icontains=word)
                | Q(participant__email__icontains=word)
            )
        return queryset

    def filter_department(self, queryset, name, value):
        if value == NO_DEPARTMENT:
            return queryset.filter(participant__department="")
        return queryset.filter(participant__department=value)
