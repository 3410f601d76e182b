"""HR's pages: their own organisation's figures and people, never another's."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hr import people, people_exports
from hr.filters import PeopleFilter
from portal import access, services
from portal.access import role_required
from portal.forms import DepartmentForm
from portal.listing import list_page
from portal.models import Role, User

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


def _people_page(request, listing):
    context = listing.context(without_enrolment=people.people_without_enrolment(request.user))
    return render(request, "hr/people.html", context, status=listing.status)


@role_required(Role.HR)
def people_list(request):
    enrolments = people.people_page_rows(people.people_enrolments(request.user))
    return _people_page(request, _people_list(request, enrolments))


def _people_export(request, write):
    listing = _people_list(request, people.people_enrolments(request.user))
    if listing.status != 200:
        # The page's message and 400: no file of a list other than the one asked for.
        return _people_page(request, listing)
    return write(listing.filter.qs, organisation=request.user.organisation)


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
    return render(
        request, "hr/people_department.html", {"form": form, "person": person, "back": back}
    )
