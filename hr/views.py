"""HR's pages: their own organisation's figures and people, never another's.

The organisation is always the signed-in HR user's own (``request.user.organisation``);
nothing in the address can name another one.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from hr import exports, people, people_exports, summary
from hr.filters import PeopleFilter
from hr.forms import DashboardFilterForm
from leergang.models import Enrolment
from portal import access, audit, services
from portal.access import role_required
from portal.forms import DepartmentForm
from portal.listing import list_page, paginate
from portal.models import Role, User

# --- the dashboard, its report and exports ------------------------------------------------


def _dashboard(request):
    """The filter form, the kept figures it selects and the status: 400 when a filter was
    refused (its message is on the field; the figures follow the valid filters)."""
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        raise PermissionDenied  # HR of no organisation has no people to read
    choices = summary.filter_choices(organisation_id)
    form = DashboardFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    kept = summary.Kept(organisation_id, filters, choices)
    status = 400 if form.is_bound and form.errors else 200
    return form, filters, kept, status


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


def _people_query(filters) -> str:
    """The people list narrowed as the dashboard is (its period means something else
    there: the enrolment date, so it is not passed on)."""
    query = QueryDict(mutable=True)
    for name in ("leergang", "cohort", "department"):
        if value := getattr(filters, name):
            query[name] = value
    return query.urlencode()


# Cohorts per page of the dashboard's cohort table; the charts draw one bar per cohort up
# to this many (``hr.charts.MAX_COHORT_BARS``), so the table beside a chart shows all of it.
COHORTS_PER_PAGE = 20


FIGURES_TEMPLATES = {
    "hr/dashboard.html": "hr/dashboard_figures.html",
    "hr/report.html": "hr/report_figures.html",
}


def _page(request, template, computed=None):
    form, filters, kept, status = computed or _dashboard(request)
    context = {
        "form": form,
        "filters": filters,
        "filter_labels": _filter_labels(form, filters),
        "query": request.GET.urlencode(),
        "people_query": _people_query(filters),
        "evaluation_minimum": settings.EVALUATION_HR_MIN,
        # The templates read these in the kept page only; lazy here for whoever reads the
        # response's context (the tests), never computed for a kept visit.
        "dashboard": SimpleLazyObject(lambda: kept.figures),
        "charts": SimpleLazyObject(lambda: kept.charts),
    }

    def render_figures():
        dashboard = kept.figures
        cohorts = paginate(request, dashboard.cohorts, COHORTS_PER_PAGE)
        page_context = {
            **context,
            "dashboard": dashboard,
            "charts": kept.charts,
            "cohorts": cohorts,
            "page_obj": cohorts,
            "page_range": cohorts.paginator.get_elided_page_range(cohorts.number),
        }
        return render_to_string(FIGURES_TEMPLATES[template], page_context, request)

    # The address (filters and page) names the page.
    figures_html, _status = summary.kept_page(
        request.user.organisation_id,
        f"{template}?{request.GET.urlencode()}",
        lambda: (render_figures(), status),
    )
    return render(request, template, {**context, "figures_html": figures_html}, status=status)


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
    form, filters, kept, status = computed
    if status != 200:
        return _page(request, "hr/dashboard.html", computed)
    organisation = request.user.organisation.name
    sections = exports.sections(
        kept.figures,
        organisation=organisation,
        labels=_filter_labels(form, filters),
    )
    # Figures of groups, no named person: the record says who took them.
    audit.exported(request, ())
    if fmt == "xlsx":
        return exports.xlsx_response(sections, organisation=organisation)
    return exports.csv_response(sections, organisation=organisation)


# --- the people list, its exports and the department form -------------------------------


def _people_list(request, queryset):
    """``queryset`` (HR's own people) filtered and sorted as the address says."""
    return list_page(
        request,
        PeopleFilter,
        queryset,
        user=request.user,
        departments=people.organisation_departments(request.user),
    )


def _people_page_listing(request):
    return _people_list(request, people.people_page_rows(people.people_enrolments(request.user)))


def _people_page(request):
    """HR's people, one line per enrolment; the list kept per address until the data it
    shows changes (``hr.summary``), as the dashboard's figures are."""

    def render_list():
        listing = _people_page_listing(request)
        context = listing.context(
            rows=people.people_table(listing.rows, back=request.GET.urlencode()),
            without_enrolment=people.people_without_enrolment(request.user),
        )
        # Kept with the people it names: a kept visit is recorded like a fresh one.
        shown = sorted({row["participant_id"] for row in listing.rows})
        html = render_to_string("hr/people_list.html", context, request)
        return (html, shown), listing.status

    # "+ids": a kept page of before, HTML alone, is never read as HTML with its people.
    (list_html, shown), status = summary.kept_page(
        request.user.organisation_id, f"people+ids?{request.GET.urlencode()}", render_list
    )
    audit.read(request, shown, model=Enrolment)
    return render(request, "hr/people.html", {"list_html": list_html}, status=status)


@role_required(Role.HR)
def people_list(request):
    return _people_page(request)


def _people_export(request, write):
    listing = _people_list(request, people.people_enrolments(request.user))
    if listing.status != 200:
        # The page's message and 400: no file of a list other than the one asked for.
        return _people_page(request)
    rows = listing.filter.qs
    audit.exported(
        request,
        rows.order_by().values_list("participant_id", flat=True).distinct(),
        model=Enrolment,
    )
    return write(rows, organisation=request.user.organisation)


@role_required(Role.HR)
def people_export_csv(request):
    return _people_export(request, people_exports.people_csv)


@role_required(Role.HR)
def people_export_xlsx(request):
    return _people_export(request, people_exports.people_xlsx)


@role_required(Role.HR)
def person_department(request, pk):
    person = access.get_for_user(
        request.user, User.objects.filter(is_active=True), action="set_department", pk=pk
    )
    departments = people.organisation_departments(request.user)
    form = DepartmentForm(request.POST or None, person=person, departments=departments)
    # The list's filters and page, to return to: read as a query string, never as an address.
    back = QueryDict(request.GET.get("back", "")).urlencode()
    if request.method == "POST" and form.is_valid():
        services.user_set_department(person=person, department=form.cleaned_data["department"])
        messages.success(
            request, _("The department of %(name)s is saved.") % {"name": person.get_full_name()}
        )
        return redirect(reverse("hr:people") + (f"?{back}" if back else ""))
    audit.read(request, [person.pk], obj=person)
    return render(
        request, "hr/people_department.html", {"form": form, "person": person, "back": back}
    )
