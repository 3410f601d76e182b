"""The programme office's report page and its XLSX download (figures: ``leergang.report``).

The charts are drawn as the HR dashboard's are (``portal.charts``), published to the
programme office only; the file is written as HR's export is (``portal.tables``), directly:
a few hundred rows take milliseconds, no task needed.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leergang import report
from leergang.models import Leergang
from portal import audit, charts, tables
from portal.access import role_required
from portal.forms import PeriodFilterMixin, period_field
from portal.models import Role
from portal.widgets import Select

AUDIENCE = "office:all"


class ReportFilterForm(PeriodFilterMixin, forms.Form):
    """The report's filters, read from the address (GET); a refused value is told on its
    field and narrows nothing."""

    leergang = forms.TypedChoiceField(
        label=gettext_lazy("Leergang"), coerce=int, required=False, widget=Select
    )
    starts_from = period_field(gettext_lazy("Cohorts starting from"))
    starts_to = period_field(gettext_lazy("Up to and including"))
    period_fields = ("starts_from", "starts_to")

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["leergang"].choices = lambda: [
            ("", _("All")),
            *((str(pk), title) for pk, title in Leergang.objects.values_list("pk", "title")),
        ]
        self.fields["leergang"].error_messages["invalid_choice"] = _(
            "Choose one of the options in the list."
        )

    def filters(self) -> report.Filters:
        data = self.valid_values()
        return report.Filters(
            leergang=data.get("leergang"),
            starts_from=data.get("starts_from"),
            starts_to=data.get("starts_to"),
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


# --- the charts ----------------------------------------------------------------------------

# A bar per cohort up to this many, beyond that a bar per leergang (as HR's dashboard).
MAX_COHORT_BARS = 20


def _percent(rate) -> str:
    return "–" if rate is None or rate.percent is None else f"{rate.percent}%"


def _listing(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def _groups(figures: report.Report):
    if len(figures.cohorts) <= MAX_COHORT_BARS:
        return [(cohort.label, cohort) for cohort in figures.cohorts], True
    return [
        (leergang.title, leergang) for leergang in figures.leergangen if leergang.cohorts
    ], False


def fill_chart(figures: report.Report):
    groups, per_cohort = _groups(figures)
    if not groups:
        return None
    groups = list(reversed(groups))  # horizontal: the first on top
    return charts.bar_chart(
        "chart-fill",
        title=_("Fill rate per cohort") if per_cohort else _("Fill rate per leergang"),
        description=_listing(
            (label, f"{group.enrolled} / {group.seats} ({_percent(group.fill)})")
            for label, group in reversed(groups)
        ),
        labels=[label for label, _group in groups],
        series=[(_("Seats taken (%)"), [group.fill.percent for _label, group in groups])],
        horizontal=True,
        percent=True,
    )


def attendance_chart(figures: report.Report):
    groups, per_cohort = _groups(figures)
    groups = [(label, group) for label, group in groups if group.attendance.whole]
    if not groups:
        return None
    return charts.bar_chart(
        "chart-attendance",
        title=(
            _("Attendance and completion per cohort")
            if per_cohort
            else _("Attendance and completion per leergang")
        ),
        description=_listing(
            (
                label,
                _("attendance %(attendance)s, completed %(completed)s")
                % {
                    "attendance": _percent(group.attendance),
                    "completed": _percent(group.completion),
                },
            )
            for label, group in groups
        ),
        labels=[label for label, _group in groups],
        series=[
            (_("Attendance (%)"), [group.attendance.percent for _label, group in groups]),
            (
                _("Completed (%)"),
                [group.completion.percent if group.completion else None for _l, group in groups],
            ),
        ],
        percent=True,
    )


def evaluation_chart(figures: report.Report):
    several = len([leergang for leergang in figures.leergangen if leergang.modules]) > 1
    lines = [
        (f"{line.name} ({leergang.title})" if several else line.name, line.figures)
        for leergang in figures.leergangen
        for line in leergang.modules
        if line.figures.enough
    ]
    if not lines:
        return None
    lines.reverse()
    return charts.bar_chart(
        "chart-evaluation",
        title=_("Average mark per module"),
        description=_listing(
            (
                label,
                _("mark %(grade)s, recommendation score %(nps)s, %(count)s responses")
                % {"grade": result.grade, "nps": result.nps, "count": result.count},
            )
            for label, result in reversed(lines)
        ),
        labels=[label for label, _result in lines],
        series=[(_("Average mark"), [result.grade for _label, result in lines])],
        horizontal=True,
    )


def report_charts(figures: report.Report) -> dict:
    return {
        name: charts.publish(chart(figures), audience=AUDIENCE)
        for name, chart in (
            ("fill", fill_chart),
            ("attendance", attendance_chart),
            ("evaluation", evaluation_chart),
        )
    }


# --- the file ------------------------------------------------------------------------------


def _cell(rate):
    return "" if rate is None or rate.percent is None else rate.percent


def _evaluation_cells(result) -> list:
    if not result.enough:
        return [result.count, _("too few responses"), "", ""]
    return [result.count, result.grade, result.recommendation, result.nps]


def sections(figures: report.Report, *, labels) -> list[tables.Section]:
    """The report as tables, a sheet per level: leergangen, cohorts, interest, modules,
    trainers."""
    evaluation_headers = [
        _("Responses"),
        _("Average mark"),
        _("Would recommend it (average, 0-10)"),
        _("Recommendation score (NPS)"),
    ]
    about = tables.Section(
        _("Export"),
        [_("What"), _("Value")],
        [[_("Exported on"), timezone.localdate()], *([label, value] for label, value in labels)],
    )
    leergangen = tables.Section(
        _("Leergangen"),
        [
            _("Leergang"),
            _("Cohorts"),
            _("Seats"),
            _("With a seat"),
            _("Fill rate (%)"),
            _("Waiting list"),
            _("Interest"),
            _("Attended"),
            _("Held"),
            _("Attendance (%)"),
            _("Completed"),
            _("Completed in ended cohorts (%)"),
            _("Make-up sessions"),
            _("Make-up sessions attended"),
        ],
        [
            [
                leergang.title,
                len(leergang.cohorts),
                leergang.seats,
                leergang.enrolled,
                _cell(leergang.fill),
                leergang.waiting,
                leergang.interest_count,
                leergang.attendance.part,
                leergang.attendance.whole,
                _cell(leergang.attendance),
                leergang.completed_count,
                _cell(leergang.completion),
                leergang.make_ups,
                leergang.make_ups_attended,
            ]
            for leergang in figures.leergangen
        ],
    )
    cohorts = tables.Section(
        _("Cohorts"),
        [
            _("Leergang"),
            _("Cohort"),
            _("Starts on"),
            _("Ends on"),
            _("Seats"),
            _("With a seat"),
            _("Fill rate (%)"),
            _("Waiting list"),
            _("Attended"),
            _("Held"),
            _("Attendance (%)"),
            _("Completed"),
            _("Completed (%)"),
            _("Make-up sessions"),
            _("Make-up sessions attended"),
            *evaluation_headers,
        ],
        [
            [
                leergang.title,
                cohort.name,
                cohort.starts_on,
                cohort.ends_on,
                cohort.seats,
                cohort.enrolled,
                _cell(cohort.fill),
                cohort.waiting,
                cohort.attendance.part,
                cohort.attendance.whole,
                _cell(cohort.attendance),
                cohort.completed_count,
                _cell(cohort.completion),
                cohort.make_ups,
                cohort.make_ups_attended,
                *_evaluation_cells(cohort.evaluation),
            ]
            for leergang in figures.leergangen
            for cohort in leergang.cohorts
        ],
    )
    interest = tables.Section(
        _("Interest"),
        [_("Leergang"), _("Preferred region"), _("People")],
        [
            [leergang.title, region, count]
            for leergang in figures.leergangen
            for region, count in leergang.interest
        ],
    )
    modules = tables.Section(
        _("Modules"),
        [_("Leergang"), _("Module"), *evaluation_headers],
        [
            [leergang.title, line.name, *_evaluation_cells(line.figures)]
            for leergang in figures.leergangen
            for line in leergang.modules
        ],
    )
    trainers = tables.Section(
        _("Trainers"),
        [_("Leergang"), _("Trainer"), *evaluation_headers],
        [
            [leergang.title, line.name, *_evaluation_cells(line.figures)]
            for leergang in figures.leergangen
            for line in leergang.trainers
        ],
    )
    return [about, leergangen, cohorts, interest, modules, trainers]


def _filter_labels(form, filters: report.Filters) -> list[tuple[str, str]]:
    labels = []
    if filters.leergang:
        choices = dict(form.fields["leergang"].choices)
        labels.append((_("Leergang"), str(choices.get(str(filters.leergang), filters.leergang))))
    if filters.starts_from or filters.starts_to:
        start = filters.starts_from.strftime("%d-%m-%Y") if filters.starts_from else "…"
        end = filters.starts_to.strftime("%d-%m-%Y") if filters.starts_to else "…"
        labels.append((_("Cohorts starting"), f"{start} – {end}"))
    return labels


# --- the views -----------------------------------------------------------------------------


def _read(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    status = 400 if form.is_bound and form.errors else 200
    return form, filters, status


def _page(request, form, filters, status):
    figures = report.report(filters)
    return render(
        request,
        "leergang/report/report.html",
        {
            "form": form,
            "filters": filters,
            "report": figures,
            "charts": report_charts(figures),
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@role_required(Role.BEHEERDER)
def programme_report(request):
    """The programme's figures per leergang and cohort, with charts and filters."""
    return _page(request, *_read(request))


@role_required(Role.BEHEERDER)
def programme_report_export(request):
    """The same figures as XLSX; a refused filter gives the page with its message (400)."""
    form, filters, status = _read(request)
    if status != 200:
        return _page(request, form, filters, status)
    figures = report.report(filters)
    # Figures of groups, no named participant: the record says who took them.
    audit.exported(request, ())
    return tables.xlsx_response(
        sections(figures, labels=_filter_labels(form, filters)),
        filename=f"programmarapportage-{timezone.localdate():%Y-%m-%d}.xlsx",
    )
