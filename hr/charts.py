"""The dashboard's charts, drawn from its figures (``hr.figures.Dashboard``).

Each chart's text alternative (its ``<desc>``) says the figures in a sentence; the page
shows them in a table as well.
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from hr.figures import STATE_FIELDS, Dashboard
from leergang.models import Enrolment
from portal import charts

# The field names are the states' values.
STATE_LABELS = {name: Enrolment.State(name).label for name in STATE_FIELDS}


def _percent(rate) -> str:
    return "–" if rate.percent is None else f"{rate.percent}%"


def _listing(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


# A bar per cohort up to this many (the dashboard's cohort table shows as many on a page);
# beyond, a bar per leergang: four hundred bars help nobody.
MAX_COHORT_BARS = 20


def _groups(dashboard: Dashboard):
    """What the bars stand for: the cohorts, or the leergangen when there are too many
    cohorts. Each has a ``label``-like name, ``states`` and ``attendance``."""
    if len(dashboard.cohorts) <= MAX_COHORT_BARS:
        return [(cohort.label, cohort) for cohort in dashboard.cohorts], True
    return [(leergang.title, leergang) for leergang in dashboard.leergangen], False


def states_chart(dashboard: Dashboard):
    groups, per_cohort = _groups(dashboard)
    if not groups:
        return None
    description = _listing(
        (
            label,
            ", ".join(
                f"{getattr(group.states, name)} {STATE_LABELS[name].lower()}"
                for name in STATE_FIELDS
                if getattr(group.states, name)
            )
            or "0",
        )
        for label, group in groups
    )
    # Horizontal, so a whole name fits; reversed, so the first is on top.
    groups = list(reversed(groups))
    return charts.bar_chart(
        "chart-states",
        title=(
            _("Enrolments per cohort, by state")
            if per_cohort
            else _("Enrolments per leergang, by state")
        ),
        description=description,
        labels=[label for label, _group in groups],
        series=[
            (STATE_LABELS[name], [getattr(group.states, name) for _label, group in groups])
            for name in STATE_FIELDS
        ],
        horizontal=True,
        stacked=True,
    )


def attendance_chart(dashboard: Dashboard):
    """Per bijeenkomst when one cohort is shown, per cohort when a few are, per leergang
    when many are (the tables beside it hold the same figures)."""
    if not any(cohort.bijeenkomsten for cohort in dashboard.cohorts):
        return None
    if dashboard.single_cohort:
        items = [
            (
                f"{b.title} ({date_format(localtime(b.starts_at), 'd-m-Y')})",
                b.attendance,
            )
            for b in dashboard.single_cohort.bijeenkomsten
        ]
        title = _("Attendance per bijeenkomst")
    else:
        groups, per_cohort = _groups(dashboard)
        items = [(label, group.attendance) for label, group in groups if group.attendance.whole]
        title = (
            _("Attendance per cohort (held bijeenkomsten)")
            if per_cohort
            else _("Attendance per leergang (held bijeenkomsten)")
        )
    return charts.bar_chart(
        "chart-attendance",
        title=title,
        description=_listing((label, _percent(rate)) for label, rate in items),
        labels=[label for label, _rate in items],
        series=[(_("Present (%)"), [rate.percent for _label, rate in items])],
        percent=True,
    )


def funnel_chart(leergang):
    if not leergang.funnel or not leergang.states.seats:
        return None
    # A horizontal bar chart draws its first label at the bottom: reversed, the first
    # module is on top, as a funnel reads.
    steps = list(reversed(leergang.funnel))
    return charts.bar_chart(
        f"chart-funnel-{leergang.pk}",
        title=_("Modules completed: %(leergang)s") % {"leergang": leergang.title},
        description=_listing(
            (step.module, f"{step.completed.part} / {step.completed.whole}")
            for step in leergang.funnel
        ),
        labels=[step.module for step in steps],
        series=[(_("Completed (%)"), [step.completed.percent for step in steps])],
        horizontal=True,
        percent=True,
    )


def trend_chart(dashboard: Dashboard):
    if not dashboard.trend:
        return None
    return charts.line_chart(
        "chart-trend",
        title=_("Enrolments and completions per quarter"),
        description=_listing(
            (
                quarter.label,
                _("%(enrolments)s enrolments, %(completions)s completed")
                % {"enrolments": quarter.enrolments, "completions": quarter.completions},
            )
            for quarter in dashboard.trend
        ),
        labels=[quarter.label for quarter in dashboard.trend],
        series=[
            (_("Enrolments"), [quarter.enrolments for quarter in dashboard.trend]),
            (_("Completed"), [quarter.completions for quarter in dashboard.trend]),
        ],
    )


def dashboard_charts(dashboard: Dashboard, *, organisation_id: int) -> dict:
    """The charts as images only the organisation's own HR can open."""
    audience = f"organisation:{organisation_id}"

    def shown(chart):
        return charts.publish(chart, audience=audience)

    return {
        "states": shown(states_chart(dashboard)),
        "attendance": shown(attendance_chart(dashboard)),
        "funnels": [(leergang, shown(funnel_chart(leergang))) for leergang in dashboard.leergangen],
        "trend": shown(trend_chart(dashboard)),
    }
