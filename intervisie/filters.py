"""The filters of the intervisie trainer's overview (see ``portal.listing``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from leergang.filters import PERIODS, leergangen_in, period_filter
from leergang.models import Leergang
from portal.listing import ListFilterSet, search_filter


class TrainerOverviewFilter(ListFilterSet):
    q = search_filter("name", "leergang__title", label=_("Search"))
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=PERIODS, empty_label=_("All"), method=period_filter
    )
    leergang = django_filters.ModelChoiceFilter(
        label=_("Leergang"), queryset=Leergang.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["leergang"].queryset = leergangen_in(self.queryset, "leergang")
