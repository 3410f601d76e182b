"""Reads that the leergang pages need, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from leergang.interest import first_access_q
from leergang.models import (
    WAITLIST_ORDER,
    Attendance,
    AttendanceRate,
    Bijeenkomst,
    Cohort,
    Enrolment,
    Leergang,
    LeergangModule,
    MakeUpRequest,
    Material,
    Module,
    Reflection,
    subquery_count,
)
from leergang.planning import cohorts_to_plan
from leergang.retention import retention_due
from leergang.services import completion_status
from portal import access
from portal.listing import pk_url
from portal.models import full_name

State = Enrolment.State


def _live_enrolments_of(user):
    return Enrolment.objects.filter(participant=user).live().with_waitlist_position()


# What a line of ``cohort_lines`` reads: values, not models (a page of cohorts as instances
# with their enrolments prefetched was most of the catalogue's time).
COHORT_LINE_FIELDS = (
    "pk",
    "leergang_id",
    "name",
    "starts_on",
    "ends_on",
    "location",
    "seats",
    "seats_taken",
    "requires_approval",
    "organisation_id",
    "organisation__name",
)

# How many upcoming cohorts a catalogue card lists; the leergang's own page lists them all.
CARD_COHORTS = 3


def catalogue_cohorts(user):
    """The upcoming cohorts this visitor may see in the catalogue, as ``COHORT_LINE_FIELDS``
    values for ``cohort_lines``; also what the filters' month choices come from."""
    return (
        Cohort.objects.open_to(user)
        .filter(first_access_q(user))
        .upcoming()
        .filter(leergang__is_published=True)
        .with_seats_taken()
        .order_by("starts_on", "pk")
        .values(*COHORT_LINE_FIELDS)
    )


def published_leergang():
    """Published leergangen with their modules, for a leergang's own page."""
    return Leergang.objects.filter(is_published=True).prefetch_related(
        Prefetch("module_links", queryset=LeergangModule.objects.select_related("module"))
    )


def catalogue_for_page(*, cohorts):
    """Published leergangen for the catalogue's cards, by title, as values: the fields a
    card shows and ``cohort_count``, how many of ``cohorts`` (``catalogue_cohorts``, perhaps
    narrowed by a filter) are theirs. ``catalogue_cards`` adds the rest to a page of them."""
    return (
        Leergang.objects.filter(is_published=True)
        .annotate(cohort_count=subquery_count(cohorts.filter(leergang=OuterRef("pk"))))
        .order_by("title", "pk")
        .values("pk", "title", "slug", "summary", "target_group", "duration", "cohort_count")
    )


@dataclass(frozen=True)
class MyEnrolmentBadge:
    """Where the visitor stands in a cohort they asked for, as a link to their enrolment."""

    url: str
    text: str
    holds_seat: bool


@dataclass(frozen=True)
class CohortLine:
    """One upcoming cohort as the catalogue and a leergang's page list it."""

    pk: int
    name: str
    tailored_for: str  # the organisation of an op-maat cohort, else ""
    starts_on: str
    ends_on: str
    location: str
    free_seats: int
    requires_approval: bool
    mine: MyEnrolmentBadge | None
    may_enrol: bool
    enrol_url: str


def cohort_lines(rows, user) -> list[CohortLine]:
    """The lines for ``rows`` (``COHORT_LINE_FIELDS`` values), with the visitor's own live
    enrolment in each: one query for all of them."""
    rows = list(rows)
    mine = {}
    if user is not None and user.is_authenticated and rows:
        mine = {
            enrolment.cohort_id: enrolment
            for enrolment in _live_enrolments_of(user)
            .filter(cohort__in=[row["pk"] for row in rows])
            .only("pk", "cohort_id", "state", "waitlisted_at")
        }
    enrolment_url = pk_url("leergang:enrolment-detail")
    enrol_url = pk_url("leergang:cohort-enrol")
    lines = []
    for row in rows:
        enrolment = mine.get(row["pk"])
        # The rule itself stays with CohortPolicy; it reads only these two fields.
        cohort = Cohort(pk=row["pk"], organisation_id=row["organisation_id"])
        lines.append(
            CohortLine(
                pk=row["pk"],
                name=row["name"],
                tailored_for=row["organisation__name"] or "",
                starts_on=date_format(row["starts_on"], "j F Y"),
                ends_on=date_format(row["ends_on"], "j F Y"),
                location=row["location"],
                free_seats=max(row["seats"] - row["seats_taken"], 0),
                requires_approval=row["requires_approval"],
                mine=enrolment
                and MyEnrolmentBadge(
                    url=enrolment_url(enrolment.pk),
                    text=enrolment.status_for_participant,
                    holds_seat=enrolment.holds_seat,
                ),
                may_enrol=enrolment is None and access.may(user, "enrol", cohort),
                enrol_url=enrol_url(row["pk"]),
            )
        )
    return lines


@dataclass(frozen=True)
class CatalogueCard:
    pk: int
    title: str
    url: str
    summary: str
    target_group: str
    duration: str
    modules: list[str]
    cohorts: list[CohortLine]  # the first CARD_COHORTS
    cohort_count: int  # all of them


def catalogue_cards(leergangen, *, cohorts, user) -> list[CatalogueCard]:
    """The cards for a page of ``catalogue_for_page``: each with its module titles and the
    first ``CARD_COHORTS`` of ``cohorts``, in three queries for the page."""
    leergangen = list(leergangen)
    ids = [leergang["pk"] for leergang in leergangen]
    if not ids:
        return []
    modules = defaultdict(list)
    for leergang_id, title in (
        LeergangModule.objects.filter(leergang__in=ids)
        .order_by("position", "pk")
        .values_list("leergang_id", "module__title")
    ):
        modules[leergang_id].append(title)
    first = (
        cohorts.filter(leergang__in=ids)
        .alias(
            rank=Window(
                RowNumber(), partition_by=F("leergang_id"), order_by=(F("starts_on"), F("pk"))
            )
        )
        .filter(rank__lte=CARD_COHORTS)
    )
    rows = list(first)
    per_leergang = defaultdict(list)
    for row, line in zip(rows, cohort_lines(rows, user), strict=True):
        per_leergang[row["leergang_id"]].append(line)
    return [
        CatalogueCard(
            pk=leergang["pk"],
            title=leergang["title"],
            url=reverse("leergang:leergang-detail", args=[leergang["slug"]]),
            summary=leergang["summary"],
            target_group=leergang["target_group"],
            duration=leergang["duration"],
            modules=modules[leergang["pk"]],
            cohorts=per_leergang[leergang["pk"]],
            cohort_count=leergang["cohort_count"],
        )
        for leergang in leergangen
    ]


def my_live_enrolment(user, cohort: Cohort) -> Enrolment | None:
    """This person's enrolment in the cohort that is not cancelled or rejected, if any."""
    return _live_enrolments_of(user).filter(cohort=cohort).first()


@dataclass
class ModuleProgress:
    module: Module
    bijeenkomsten: list[Bijeenkomst]
    reflection: Reflection | None
    attended: bool

    @property
    def reflection_submitted(self) -> bool:
        return bool(self.reflection and self.reflection.submitted_at)

    @property
    def completed(self) -> bool:
        attended_or_none = self.attended or not self.bijeenkomsten
        return self.reflection_submitted and attended_or_none

    @property
    def reflection_open(self) -> bool:
        """A reflection is due once the module's bijeenkomst has started."""
        started = any(b.has_started for b in self.bijeenkomsten) or not self.bijeenkomsten
        return started and not self.reflection_submitted


@dataclass
class EnrolmentOverview:
    enrolment: Enrolment
    modules: list[ModuleProgress] = field(default_factory=list)
    bijeenkomsten: list[Bijeenkomst] = field(default_factory=list)
    attendance: dict[int, Attendance] = field(default_factory=dict)
    completion: dict = field(default_factory=dict)

    @property
    def next_bijeenkomst(self) -> Bijeenkomst | None:
        now = timezone.now()
        return next((b for b in self.bijeenkomsten if b.ends_at >= now), None)

    @property
    def open_reflections(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.reflection_open]

    @property
    def rows(self):
        """Bijeenkomsten with this person's attendance, whether they may still report
        absence (``Enrolment.excuse_refusal``), their live make-up request for it and
        whether they may ask one (inhalen, ``leergang.makeup``), for the schedule table."""
        from leergang.makeup import LIVE, MISSED_STATUSES

        now = timezone.now()
        requests = getattr(self.enrolment, "_prefetched_objects_cache", {}).get(
            "make_up_requests", []
        )
        live = {r.missed_id: r for r in requests if r.state in LIVE}
        rows = []
        for b in self.bijeenkomsten:
            attendance = self.attendance.get(b.pk)
            missed = bool(attendance and attendance.status in MISSED_STATUSES)
            rows.append(
                (
                    b,
                    attendance,
                    self.enrolment.excuse_refusal(b, now=now) is None,
                    live.get(b.pk),
                    missed and b.module_id and self.enrolment.is_enrolled and b.pk not in live,
                )
            )
        return rows

    @property
    def make_ups(self):
        """This enrolment's make-up requests (prefetched), newest first."""
        requests = getattr(self.enrolment, "_prefetched_objects_cache", {}).get(
            "make_up_requests", []
        )
        return sorted(requests, key=lambda r: (r.created_at, r.pk), reverse=True)


def _as_recorded(bijeenkomsten, rows: dict[int, Attendance], now) -> dict[int, Attendance]:
    """The rows a page shows: a status that could not be known yet (a 'present' entered
    before the bijeenkomst began) is shown as not recorded."""
    return {
        b.pk: rows[b.pk]
        for b in bijeenkomsten
        if b.pk in rows and rows[b.pk].status in b.attendance_statuses(now)
    }


def _attended_ids(bijeenkomsten, attendance: dict[int, Attendance], now) -> set[int]:
    """The bijeenkomsten this person attended, by the rule of ``AttendanceQuerySet.attended``,
    from rows already read."""
    return {
        b.pk
        for b in bijeenkomsten
        if b.is_held(now) and (a := attendance.get(b.pk)) and a.status == Attendance.Status.PRESENT
    }


def _module_progress(module_links, bijeenkomsten, reflections, attended) -> list[ModuleProgress]:
    by_module = defaultdict(list)
    for bijeenkomst in bijeenkomsten:
        by_module[bijeenkomst.module_id].append(bijeenkomst)
    return [
        ModuleProgress(
            module=link.module,
            bijeenkomsten=by_module.get(link.module_id, []),
            reflection=reflections.get(link.module_id),
            attended=any(b.pk in attended for b in by_module.get(link.module_id, [])),
        )
        for link in module_links
    ]


def _completion(enrolment: Enrolment, modules: list[ModuleProgress]) -> dict:
    return completion_status(
        enrolment,
        module_ids=[m.module.pk for m in modules],
        reflected_module_ids={m.module.pk for m in modules if m.reflection_submitted},
    )


def _overview(enrolment: Enrolment, now) -> EnrolmentOverview:
    """Build from prefetched relations only (see ``participant_enrolments``)."""
    cohort = enrolment.cohort
    bijeenkomsten = list(cohort.bijeenkomsten.all())
    attendance = _as_recorded(
        bijeenkomsten, {a.bijeenkomst_id: a for a in enrolment.attendances.all()}, now
    )
    reflections = {r.module_id: r for r in enrolment.reflections.all()}
    # A module attended in another cohort (made up there, or taken along by a move) counts
    # as attended here, as ``with_attendance`` counts it.
    elsewhere = {
        a.bijeenkomst.module_id
        for a in enrolment.attendances.all()
        if a.bijeenkomst.cohort_id != cohort.pk
        and a.status == Attendance.Status.PRESENT
        and a.bijeenkomst.is_held(now)
    }
    attended = _attended_ids(bijeenkomsten, attendance, now) | {
        b.pk for b in bijeenkomsten if b.module_id and b.module_id in elsewhere
    }
    modules = _module_progress(
        cohort.leergang.module_links.all(), bijeenkomsten, reflections, attended
    )
    completion = _completion(enrolment, modules)
    return EnrolmentOverview(enrolment, modules, bijeenkomsten, attendance, completion)


def participant_enrolments(user, *, pk=None):
    """A participant's enrolments with everything the dashboard shows, newest run first."""
    now = timezone.now()
    queryset = (
        Enrolment.objects.filter(participant=user)
        .with_attendance(now=now)
        .with_waitlist_position()
        .select_related(
            "cohort__leergang", "cohort__organisation", "moved_to__cohort", "moved_from__cohort"
        )
        .prefetch_related(
            Prefetch(
                "cohort__leergang__module_links",
                queryset=LeergangModule.objects.select_related("module"),
            ),
            "cohort__bijeenkomsten",
            Prefetch("attendances", queryset=Attendance.objects.select_related("bijeenkomst")),
            "reflections",
            "transitions",
            Prefetch(
                "make_up_requests",
                queryset=MakeUpRequest.objects.select_related("bijeenkomst__cohort", "missed"),
            ),
        )
        .order_by("-cohort__starts_on", "-pk")
    )
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    return [_overview(enrolment, now) for enrolment in queryset]


def participant_panel(user) -> dict:
    """The home panel: current enrolments with their next bijeenkomst, approved make-up
    sessions still to come and open reflections, and how many are completed. Five queries:
    the home shows no attendance, history or completion check, so it reads none
    (``my_leergang`` does, for its own page)."""
    enrolments = (
        _live_enrolments_of(user)
        .select_related("cohort__leergang")
        .prefetch_related(
            Prefetch(
                "cohort__leergang__module_links",
                queryset=LeergangModule.objects.select_related("module"),
            ),
            "cohort__bijeenkomsten",
            Prefetch("reflections", queryset=Reflection.objects.defer("text")),
            Prefetch(
                "make_up_requests",
                queryset=MakeUpRequest.objects.filter(
                    state=MakeUpRequest.State.APPROVED, bijeenkomst__starts_at__gt=timezone.now()
                )
                .select_related("bijeenkomst__cohort")
                .order_by("bijeenkomst__starts_at"),
                to_attr="upcoming_make_ups",
            ),
        )
        .order_by("-cohort__starts_on", "-pk")
    )
    current, completed_count = [], 0
    for enrolment in enrolments:
        if enrolment.is_completed:
            completed_count += 1
            continue
        bijeenkomsten = list(enrolment.cohort.bijeenkomsten.all())
        modules = _module_progress(
            enrolment.cohort.leergang.module_links.all(),
            bijeenkomsten,
            {r.module_id: r for r in enrolment.reflections.all()},
            attended=set(),  # whether a module is completed is not shown here
        )
        current.append(EnrolmentOverview(enrolment, modules, bijeenkomsten))
    return {"current": current, "completed_count": completed_count}


def my_leergang(user) -> dict:
    """A participant's enrolments, sorted the way their pages show them."""
    overviews = participant_enrolments(user)
    live = [o for o in overviews if o.enrolment.is_live]
    return {
        "current": [o for o in live if not o.enrolment.is_completed],
        "completed": [o for o in live if o.enrolment.is_completed],
        "ended": [o for o in overviews if not o.enrolment.is_live],
    }


def trainer_cohorts(user):
    cohorts = (
        Cohort.objects.select_related("leergang", "organisation")
        .with_seats_taken()
        .with_waitlist_count()
    )
    if not user.is_beheerder:
        cohorts = cohorts.filter(trainers=user)
    today = timezone.localdate()
    cohorts = list(cohorts.order_by("starts_on", "pk"))
    return {
        "current": [c for c in cohorts if c.ends_on >= today],
        "finished": [c for c in reversed(cohorts) if c.ends_on < today],
    }


def trainer_cohorts_for_page(user):
    """The cohorts this trainer trains (every cohort for the programme office) for the
    paginated list: running and upcoming first, by start, then the finished ones, the last
    to finish first."""
    cohorts = (
        Cohort.objects.select_related("leergang", "organisation")
        .with_seats_taken()
        .with_waitlist_count()
    )
    if not user.is_beheerder:
        cohorts = cohorts.filter(trainers=user)
    finished = Q(ends_on__lt=timezone.localdate())
    return cohorts.annotate(
        is_finished=Case(When(finished, then=Value(True)), default=Value(False))
    ).order_by(
        "is_finished",
        Case(When(finished, then=F("ends_on"))).desc(nulls_last=True),
        "starts_on",
        "pk",
    )


@dataclass
class MatrixRow:
    """One participant's row of the trainer's matrix, as plain values: the matrix has a cell
    per participant per bijeenkomst and per module, and model instances per row and per
    cell made a large share of the page's time.

    ``attendance`` holds, per bijeenkomst, ``(status, reason)`` as recorded (see
    ``_as_recorded``) or ``None``; ``reflections``, per module, ``(pk, submitted,
    shared_with_trainer)`` or ``None`` when there is no reflection at all.
    """

    name: str
    organisation: str | None
    state: str
    rate: AttendanceRate
    attendance: list[tuple[str, str] | None]
    reflections: list[tuple[int, bool, bool] | None]


@dataclass
class WaitingPerson:
    name: str
    organisation: str | None


def cohort_matrix(cohort: Cohort) -> dict:
    """Participants × bijeenkomsten (attendance) and × modules (reflections), for the trainer.

    Reflection *text* is not read here: the trainer sees whether one was
    submitted, and a link only where the participant shared it.
    """
    now = timezone.now()
    bijeenkomsten = list(cohort.bijeenkomsten.all())
    modules = list(
        Module.objects.filter(leergang_links__leergang=cohort.leergang_id)
        .order_by("leergang_links__position", "leergang_links__id")
        .only("title")
    )
    person = (
        "participant__first_name",
        "participant__last_name",
        "participant__organisation__name",
    )
    enrolments = (
        cohort.enrolments.holding_seat()
        .order_by("participant__last_name", "participant__first_name")
        .values_list("pk", "state", *person)
    )
    # What a page may show per bijeenkomst (``_as_recorded``): before its start only an
    # afmelding.
    shown = {b.pk: frozenset(b.attendance_statuses(now)) for b in bijeenkomsten}
    attendance = defaultdict(dict)
    for enrolment_id, bijeenkomst_id, status, reason in Attendance.objects.filter(
        bijeenkomst__cohort=cohort
    ).values_list("enrolment_id", "bijeenkomst_id", "status", "reason"):
        if status in shown.get(bijeenkomst_id, ()):
            attendance[enrolment_id][bijeenkomst_id] = (status, reason)
    reflections = defaultdict(dict)
    # Whether submitted as a boolean from the database: reading each moment as an aware
    # datetime cost more than the rest of the query.
    submitted = ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField())
    for enrolment_id, module_id, pk, is_submitted, shared in Reflection.objects.filter(
        enrolment__cohort=cohort
    ).values_list("enrolment_id", "module_id", "pk", submitted, "shared_with_trainer"):
        reflections[enrolment_id][module_id] = (pk, is_submitted, shared)
    # Attended of held by the rule of ``Enrolment.objects.with_attendance()``, counted from
    # the rows read above (``_attended_ids``): its three subqueries per participant cost
    # more than the rest of the reads together.
    # Modules attended in another cohort (taken along when moved here, or made up there:
    # inhalen) count here as held and attended, as ``with_attendance`` counts them.
    credited = defaultdict(set)
    for enrolment_id, module_id in (
        Attendance.objects.attended(now=now)
        .filter(enrolment__cohort=cohort, bijeenkomst__module__isnull=False)
        .exclude(bijeenkomst__cohort=cohort)
        .values_list("enrolment_id", "bijeenkomst__module_id")
    ):
        credited[enrolment_id].add(module_id)
    states = dict(State.choices)
    rows = []
    for pk, state, first_name, last_name, organisation in enrolments:
        recorded, reflected, made_up = attendance[pk], reflections[pk], credited[pk]
        held = [b for b in bijeenkomsten if b.is_held(now) or b.module_id in made_up]
        attended = sum(
            1
            for b in held
            if b.module_id in made_up
            or ((a := recorded.get(b.pk)) and a[0] == Attendance.Status.PRESENT)
        )
        rows.append(
            MatrixRow(
                name=full_name(first_name, last_name),
                organisation=organisation,
                state=states.get(state, state),
                rate=AttendanceRate(attended=attended, held=len(held), planned=len(bijeenkomsten)),
                attendance=[recorded.get(b.pk) for b in bijeenkomsten],
                reflections=[reflected.get(m.pk) for m in modules],
            )
        )
    waitlist = [
        WaitingPerson(full_name(first_name, last_name), organisation)
        for first_name, last_name, organisation in cohort.enrolments.filter(state=State.WAITLISTED)
        .order_by(*WAITLIST_ORDER)
        .values_list(*person)
    ]
    # Guests of other cohorts making up a bijeenkomst here (inhalen), per bijeenkomst.
    from leergang.makeup import approved_guests

    guests = defaultdict(list)
    for bijeenkomst_id, first_name, last_name, own in (
        approved_guests()
        .filter(bijeenkomst__cohort=cohort)
        .order_by("enrolment__participant__last_name", "pk")
        .values_list(
            "bijeenkomst_id",
            "enrolment__participant__first_name",
            "enrolment__participant__last_name",
            "enrolment__cohort__name",
        )
    ):
        guests[bijeenkomst_id].append((full_name(first_name, last_name), own))
    for bijeenkomst in bijeenkomsten:
        bijeenkomst.guests = guests.get(bijeenkomst.pk, [])
    return {"bijeenkomsten": bijeenkomsten, "modules": modules, "rows": rows, "waitlist": waitlist}


def attendance_sheet(bijeenkomst: Bijeenkomst):
    """The cohort's participants with what is recorded for this bijeenkomst."""
    enrolments = list(
        bijeenkomst.cohort.enrolments.holding_seat()
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")
    )
    from leergang.makeup import guest_enrolments

    # Guests making up a bijeenkomst of their own cohort here (inhalen), after the cohort.
    guests = list(
        guest_enrolments(bijeenkomst)
        .select_related("participant", "cohort")
        .order_by("participant__last_name", "participant__first_name")
    )
    for guest in guests:
        guest.guest_from = guest.cohort.name
    recorded = {a.enrolment_id: a for a in bijeenkomst.attendances.all()}
    return [(enrolment, recorded.get(enrolment.pk)) for enrolment in enrolments + guests]


def approval_queue(user):
    """Requests waiting for this HR user's decision (their organisation only)."""
    queryset = access.visible(user, Enrolment).filter(state=State.REQUESTED)
    if not user.is_beheerder:
        queryset = queryset.filter(participant__organisation=user.organisation_id)
    return queryset.select_related("participant", "cohort__leergang").order_by("created_at", "pk")


@dataclass(frozen=True)
class ApprovalLine:
    """One request on the approval queue's page, its texts ready."""

    name: str
    job_title: str
    leergang: str
    cohort: str
    starts: str
    asked: str
    decide_url: str


def approval_lines(enrolments) -> list[ApprovalLine]:
    """The lines of a page of ``approval_queue``, written once per page rather than by a
    template tag per cell (a full page of fifty took the template ~5 ms)."""
    decide = pk_url("leergang:approval-decide")
    return [
        ApprovalLine(
            name=enrolment.participant.get_full_name(),
            job_title=enrolment.participant.job_title,
            leergang=enrolment.cohort.leergang.title,
            cohort=enrolment.cohort.name,
            starts=date_format(enrolment.cohort.starts_on, "j F Y"),
            asked=date_format(timezone.localtime(enrolment.created_at), "j F Y"),
            decide_url=decide(enrolment.pk),
        )
        for enrolment in enrolments
    ]


def module_materials(user, module: Module):
    return access.visible(user, Material).filter(module=module).order_by("position", "pk")


def office_panel(*, today) -> dict:
    """The programme office's home panel: what waits, counted in a fixed number of queries."""
    return {
        "to_plan": cohorts_to_plan(today=today).count(),
        "make_up_waiting": MakeUpRequest.objects.filter(
            state=MakeUpRequest.State.REQUESTED
        ).count(),
        "offers_running": Enrolment.objects.filter(state=Enrolment.State.OFFERED).count(),
        "retention_due": retention_due(timezone.now() + timedelta(days=30)).count(),
    }
