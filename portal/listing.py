"""List pages: filter, sort and paginate in one place, the choices kept in the address.

Every list page declares a ``ListFilterSet`` (django-filter) with its filters and a
``sort`` ordering, and its view calls ``list_page``. Bad values in the address (a
cohort that is not yours, ``sort=nonsense``, ``page=x``) become a Dutch message on the
filter form and a 400, never a 500; the list then shows what the valid filters select.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _

DEFAULT_PER_PAGE = 50


class ListFilterSet(django_filters.FilterSet):
    """Base of every list page's filters.

    ``sort`` (an ``OrderingFilter``) is read by the sortable column headers
    (``{% sort_header %}``); ``search_fields`` is not used: a page that searches
    declares a ``CharFilter`` with the lookup it can serve from an index.
    """

    @property
    def sort(self) -> str:
        """The current ordering, such as ``"-attendance"`` ("" when the page's default)."""
        if not self.is_bound or "sort" not in self.filters:
            return ""
        value = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return value[0] if value else ""

    @property
    def is_filtered(self) -> bool:
        """Whether any filter other than the ordering narrows the list."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) not in (None, "") for name in self.filters if name != "sort")


def sort_filter(**fields) -> django_filters.OrderingFilter:
    """The ``sort`` filter of a list: ``name=(model lookup, label)`` per sortable column."""
    return django_filters.OrderingFilter(
        label=_("Sort by"),
        fields={lookup: name for name, (lookup, _label) in fields.items()},
        field_labels={lookup: label for _name, (lookup, label) in fields.items()},
    )


@dataclass
class ListPage:
    filter: ListFilterSet
    page: Page
    status: int

    @property
    def rows(self):
        return self.page.object_list

    def context(self, **extra) -> dict:
        return {
            "filter": self.filter,
            "page_obj": self.page,
            "page_range": self.page.paginator.get_elided_page_range(self.page.number),
            "rows": self.rows,
            **extra,
        }


def paginate(request, rows, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """The page of ``rows`` the request asks for: the first for anything but a number, 404
    for a number past the end (page 1 always exists, even for an empty list)."""
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        raise Http404 from None


def list_page(
    request, filterset_class: type[ListFilterSet], queryset, *, per_page=DEFAULT_PER_PAGE, **kwargs
) -> ListPage:
    """Filter ``queryset`` (already narrowed to what this user may see) by the address,
    sort and paginate it. ``kwargs`` reach the filter set (``user=`` for choices that
    depend on who asks)."""
    data = request.GET if (request.GET.keys() - {"page"}) else None
    filterset = filterset_class(data, queryset=queryset, request=request, **kwargs)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return ListPage(filterset, paginate(request, filterset.qs, per_page), status)
