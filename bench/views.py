"""The two reference pages every target of `make bench` is a ratio to.

They are what a plain page of this portal costs: signed in, the same base template, the
same middleware, and the least work a list or an aggregate can do. Absolute times on a
shared machine drift; a ratio to these, measured in the same run, does not. They show
only the catalogue's own data (bijeenkomsten of cohorts, counts per cohort), and only the
bench's URLconf (``bench.urls``) serves them, never the portal's.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from leergang.models import Bijeenkomst, Cohort, Enrolment


@login_required
def reference_list(request):
    """50 rows from one query."""
    rows = Bijeenkomst.objects.select_related("cohort__leergang").order_by("starts_at", "pk")[:50]
    return render(request, "bench/reference_list.html", {"rows": rows})


@login_required
def reference_aggregate(request):
    """20 rows of counts from one grouped query, plus one query for the totals."""
    per_state = {
        state: Count("enrolments", filter=Q(enrolments__state=state))
        for state in ("enrolled", "waitlisted", "completed")
    }
    rows = (
        Cohort.objects.select_related("leergang")
        .annotate(**per_state)
        .order_by("-starts_on", "pk")[:20]
    )
    totals = Enrolment.objects.aggregate(
        enrolled=Count("pk", filter=Q(state="enrolled")),
        completed=Count("pk", filter=Q(state="completed")),
    )
    return render(request, "bench/reference_aggregate.html", {"rows": rows, "totals": totals})
