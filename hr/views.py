"""HR's pages: their own organisation's figures and people, never another's.

The organisation is always the signed-in HR user's own (``request.user.organisation``);
nothing in the address can name another one.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hr import charts, exports, figures
from hr.forms import DashboardFilterForm
from portal.access import role_required
from portal.models import Role


def _dashboard(request):
    """The filter form, the figures it selects and the status: 400 when a filter was
    refused (its message is on the field; the figures follow the valid filters)."""
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        raise PermissionDenied  # HR of no organisation has no people to read
    choices = figures.filter_choices(organisation_id)
    form = DashboardFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    dashboard = figures.dashboard(organisation_id, filters, choices=choices)
    status = 400 if form.is_bound and form.errors else 200
    return form, filters, dashboard, status


def _filter_labels(form, filters) -> list[tuple[str, str]]:
    """The chosen filters as "label: value", for the report and the export."""
    labels = []
    for name in ("leergang", "cohort", "department"):
        value = getattr(filters, name)
        if value:
            choices = dict(form.fields[name].choices)
            labels.append((str(form.fields[name].label), str(choices.get(str(value), value))))
    if filters.period_from or filters.period_to:
        start = date_format(filters.period_from, "d-m-Y") if filters.period_from else "…"
        end = date_format(filters.period_to, "d-m-Y") if filters.period_to else "…"
        labels.append((_("Period"), f"{start} – {end}"))
    return labels


def _page(request, template, computed=None):
    form, filters, dashboard, status = computed or _dashboard(request)
    context = {
        "form": form,
        "filters": filters,
        "filter_labels": _filter_labels(form, filters),
        "dashboard": dashboard,
        "charts": charts.dashboard_charts(dashboard),
        "query": request.GET.urlencode(),
    }
    return render(request, template, context, status=status)


@role_required(Role.HR)
def dashboard(request):
    """HR's figures of its own people per leergang and cohort, with charts and filters."""
    return _page(request, "hr/dashboard.html")


@role_required(Role.HR)
def report(request):
    """The same figures as a one-page management report, made to be printed."""
    return _page(request, "hr/report.html")


@role_required(Role.HR)
def dashboard_export(request, fmt):
    """The dashboard's figures as CSV or XLSX, with the page's filters. A refused filter
    gives the dashboard with its message (400), not a file."""
    computed = _dashboard(request)
    form, filters, dashboard, status = computed
    if status != 200:
        return _page(request, "hr/dashboard.html", computed)
    organisation = request.user.organisation.name
    sections = exports.sections(
        dashboard,
        organisation=organisation,
        labels=_filter_labels(form, filters),
    )
    if fmt == "xlsx":
        return exports.xlsx_response(sections, organisation=organisation)
    return exports.csv_response(sections, organisation=organisation)
