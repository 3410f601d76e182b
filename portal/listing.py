"""List pages: filter, sort and paginate in one place, the choices kept in the address.

Every list page declares a ``ListFilterSet`` (django-filter) with its filters and a
``sort`` ordering, and its view calls ``list_page``. Bad values in the address (a
cohort that is not yours, ``sort=nonsense``, ``page=x``) become a Dutch message on the
filter form and a 400, never a 500; the list then shows what the valid filters select.

A view::

    listing = list_page(request, CohortFilter, selectors.cohorts_for_page(user), user=user)
    return render(request, "x.html", listing.context(), status=listing.status)

and its template::

    {% include "_list_filters.html" %}
    {% include "_list_count.html" %}            {# "Rijen 1 tot 50 van 130" #}
    <th>{% sort_header filter "name" _("Name") %}</th> ...
    {% include "_list_empty.html" with empty_text=... %}
    {% include "_pagination.html" with pagination_label=... %}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Q, Window
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.widgets import Select

DEFAULT_PER_PAGE = 50
MAX_SEARCH_WORDS = 5
MAX_OFFSET = 2**62


class SortFilter(django_filters.OrderingFilter):
    """An ``OrderingFilter`` whose order is total: the primary key breaks ties, so a row
    never shows on two pages (or on none) when many rows share a name or a date. A column
    may sort by several lookups (a name: last name, then first name)."""

    def __init__(self, *args, lookups: dict[str, tuple[str, ...]], **kwargs):
        self.lookups = lookups
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("This list cannot be sorted by “%(value)s”.")},
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in (param for param in value if param):
            descending = param.startswith("-")
            for lookup in self.lookups[param.removeprefix("-")]:
                ordering.append(f"-{lookup}" if descending else lookup)
        descending = bool(ordering) and ordering[-1].startswith("-")
        return qs.order_by(*ordering, "-pk" if descending else "pk")


class DateRangeFilterForm(forms.Form):
    """A list filter's form whose ``date_range`` fields (from, to) may not run backwards."""

    date_range: tuple[str, str]

    def clean(self):
        cleaned = super().clean()
        start, end = (cleaned.get(name) for name in self.date_range)
        if start and end and start > end:
            self.add_error(self.date_range[1], _("This date is before the from date."))
        return cleaned


class ListFilterSet(django_filters.FilterSet):
    """Base of every list page's filters.

    ``sort`` (a ``sort_filter``) is read by the sortable column headers
    (``{% sort_header %}``); ``default_sort`` names the column the page's own queryset is
    ordered by (``"name"`` or ``"-date"``) so its header says so when the address does not
    choose one. A page that searches declares a ``search_filter`` over a few text columns.
    Choices (a cohort, a coach) are built in ``__init__`` from ``self.queryset``, the rows
    the page may show, so what is not listed is no valid choice.
    """

    default_sort = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices as the portal's Select, which writes a few hundred options in Python
        # rather than through a template include each. Not the ordering: its comma
        # separated values have a widget of their own around the Select.
        for list_filter in self.filters.values():
            if (
                "widget" not in list_filter.extra
                and list_filter.field_class.widget is forms.Select
                and not isinstance(list_filter, django_filters.filters.BaseCSVFilter)
            ):
                list_filter.extra["widget"] = Select

    @property
    def sort(self) -> str:
        """The ordering the address chose, such as ``"-attendance"`` ("" when none or an
        invalid one: the page's default)."""
        if not self.is_bound or "sort" not in self.filters:
            return ""
        self.errors  # noqa: B018 (cleans the form: cleaned_data holds the valid fields)
        value = self.form.cleaned_data.get("sort")
        return value[0] if value else ""

    @property
    def current_sort(self) -> str:
        """The ordering the list is shown in: the chosen one, else the page's default."""
        return self.sort or self.default_sort

    @property
    def is_filtered(self) -> bool:
        """Whether any filter other than the ordering is given a value in the address
        (an invalid one too: the page then says no rows matched, not that there are none)."""
        if not self.is_bound:
            return False
        for name, field in self.form.fields.items():
            if name == "sort":
                continue
            value = field.widget.value_from_datadict(
                self.data, self.form.files, self.form.add_prefix(name)
            )
            values = value if isinstance(value, list | tuple) else [value]
            # An unticked checkbox reads as False: not a filter.
            if any(part not in (None, "", False) for part in values):
                return True
        return False

    @property
    def sort_errors(self):
        """Errors of the ordering: the form shows them, as the ordering has no field of its
        own there (the column headers choose it)."""
        return self.errors.get("sort", []) if self.is_bound else []


class ValuesChoiceIterator(forms.models.ModelChoiceIterator):
    """The options of a ``ValuesModelChoiceField``: ``(pk, label)`` pairs read with
    ``values_list``, no model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label = self.field.label_from_values
        for pk, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (pk, label(*values))


class ValuesModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose options are labelled from a few columns
    (``label_fields``, joined by ``label_from_values``) instead of a model instance each:
    a filter offering every coach and organisation spent a sixth of its page building
    them. A chosen value is still looked up in ``queryset``, so the rules stay the same."""

    iterator = ValuesChoiceIterator

    def __init__(self, *args, label_fields=("name",), label_from_values=str, **kwargs):
        self.label_fields = label_fields
        self.label_from_values = label_from_values
        super().__init__(*args, **kwargs)


class ValuesModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` with a ``ValuesModelChoiceField``: give it ``label_fields``
    and ``label_from_values``."""

    field_class = ValuesModelChoiceField


def sort_filter(**fields) -> SortFilter:
    """The ``sort`` filter of a list: ``name=(model lookup, label)`` per sortable column;
    the lookup may be a tuple of lookups (``("last_name", "first_name")``)."""
    lookups = {
        name: (lookup,) if isinstance(lookup, str) else tuple(lookup)
        for name, (lookup, _label) in fields.items()
    }
    return SortFilter(
        label=_("Sort by"),
        fields={name: name for name in fields},
        field_labels={name: label for name, (_lookup, label) in fields.items()},
        lookups=lookups,
    )


def search_filter(*lookups: str, label=None) -> django_filters.CharFilter:
    """A search box over a few text columns: every word must occur in one of ``lookups``
    (``"first_name"``, ``"email"``), so "sanne vries" finds Sanne de Vries."""

    def search(queryset, _name, value):
        for word in value.split()[:MAX_SEARCH_WORDS]:
            matches = Q()
            for lookup in lookups:
                matches |= Q(**{f"{lookup}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset

    return django_filters.CharFilter(label=label or _("Search"), method=search, max_length=100)


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


class WindowCountPaginator(Paginator):
    """Counts the rows in the query of the page itself, as ``COUNT(*) OVER ()``: one query
    where ``Paginator`` runs two, a ``COUNT(*)`` and then the page, both joining the same
    tables. Only for a queryset of model instances or ``values()`` dictionaries, without
    DISTINCT (the window counts the rows before it)."""

    TOTAL = "listing_total_rows"

    def page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom > MAX_OFFSET:  # past any list, and past what PostgreSQL's OFFSET takes
            raise EmptyPage(self.error_messages["no_results"])
        counted = self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            first = rows[0]
            total = first[self.TOTAL] if isinstance(first, dict) else getattr(first, self.TOTAL)
        elif number == 1 and self.allow_empty_first_page:
            total = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        self.__dict__["count"] = total  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)


# A pk no real row has, to cut a reversed URL in two around it.
_PK_MARKER = 987654321


def pk_url(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for the many rows of a list page: reversed once, around
    a marker, and the pk put in its place per row (``reverse()`` per row was a good part of
    writing fifty lines)."""
    before, after = reverse(name, args=[_PK_MARKER]).split(str(_PK_MARKER))
    return lambda pk: f"{before}{int(pk)}{after}"


def paginate(request, rows, per_page: int = DEFAULT_PER_PAGE, paginator_class=Paginator) -> Page:
    """The page of ``rows`` the request asks for: the first for anything but a number, 404
    for a number past the end or below 1 (page 1 always exists, even for an empty list)."""
    paginator = paginator_class(rows, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        raise Http404 from None


def list_page(
    request,
    filterset_class: type[ListFilterSet],
    queryset,
    *,
    per_page=DEFAULT_PER_PAGE,
    paginator_class=None,
    **kwargs,
) -> ListPage:
    """Filter ``queryset`` (already narrowed to what this user may see) by the address,
    sort and paginate it. ``kwargs`` reach the filter set (``user=`` for choices that
    depend on who asks). The rows are counted in the page's own query
    (``WindowCountPaginator``) unless the query is DISTINCT, where a window would count
    the rows before DISTINCT removes the doubles.

    The default ordering is the queryset's own (give it a total one, ending in the primary
    key). An invalid value is left out and told on the form, with status 400."""
    data = request.GET if (request.GET.keys() - {"page"}) else None
    filterset = filterset_class(data, queryset=queryset, request=request, **kwargs)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    rows = filterset.qs
    if paginator_class is None:
        paginator_class = Paginator if rows.query.distinct else WindowCountPaginator
    page = paginate(request, rows, per_page, paginator_class)
    return ListPage(filterset, page, status)
