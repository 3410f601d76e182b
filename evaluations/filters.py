"""The filters of the trainer's list of evaluated cohorts (see ``portal.listing``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from leergang.filters import PERIODS, leergangen_in, period_filter
from leergang.models import Leergang
from portal.listing import ListFilterSet, search_filter, sort_filter


class EvaluatedCohortFilter(ListFilterSet):
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
        answers=("answer_count", _("Answers")),
    )
    default_sort = "-starts"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = leergangen_in(self.queryset, "leergang")
