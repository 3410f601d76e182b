"""The leergang demo's catalogue: modules, material, leergangen, cohorts and bijeenkomsten.

The programme office keeps these in the admin; no service writes them, so the demo writes
them directly, keyed on their natural keys. The texts are updated in place (an edit in
``content`` reaches an existing demo database); a cohort and its bijeenkomsten are created
once, dated relative to that day, and never moved again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from leergang.demo.content import LEERGANGEN, MODULES
from leergang.models import Bijeenkomst, Cohort, Leergang, LeergangModule, Material, Module
from portal.demo import at, workday
from portal.models import Organisation, User

MODULE_FIELDS = ("title", "summary", "description", "learning_goals", "reflection_assignment")
LEERGANG_FIELDS = ("title", "summary", "description", "target_group", "duration")


def catalogue_load() -> dict[str, Leergang]:
    """Modules with their material, and leergangen with their modules in order, by slug."""
    modules = {}
    for spec in MODULES:
        module, _ = Module.objects.update_or_create(
            slug=spec["slug"], defaults={key: spec[key] for key in MODULE_FIELDS}
        )
        for position, (title, kind, content) in enumerate(spec["materials"], start=1):
            Material.objects.update_or_create(
                module=module,
                title=title,
                defaults={
                    "kind": kind,
                    "text": content if kind == Material.Kind.TEXT else "",
                    "url": content if kind == Material.Kind.LINK else "",
                    "position": position,
                },
            )
        modules[module.slug] = module
    leergangen = {}
    for spec in LEERGANGEN:
        leergang, _ = Leergang.objects.update_or_create(
            slug=spec["slug"], defaults={key: spec[key] for key in LEERGANG_FIELDS}
        )
        for position, slug in enumerate(spec["modules"], start=1):
            LeergangModule.objects.update_or_create(
                leergang=leergang, module=modules[slug], defaults={"position": position}
            )
        leergangen[leergang.slug] = leergang
    return leergangen


@dataclass
class PlannedCohort:
    """A cohort with one bijeenkomst per module, in the leergang's order; ``created`` says
    whether this run made it (and so whether its history is still to be told)."""

    cohort: Cohort
    bijeenkomsten: list[Bijeenkomst]
    created: bool

    def day(self, days: int, hour: int, minute: int = 0) -> datetime:
        """A moment ``days`` after the cohort's start (before it when negative)."""
        return at(self.cohort.starts_on + timedelta(days=days), hour, minute)


def cohort_ensure(
    leergang: Leergang,
    name: str,
    *,
    days: list[int],
    seats: int,
    location: str,
    trainer: User,
    organisation: str | None = None,
    requires_approval: bool = False,
    online: set[int] = frozenset(),
) -> PlannedCohort:
    """The cohort ``name`` of ``leergang``, created once: its bijeenkomsten are on the
    workdays ``days`` from today (the first is the start), an afternoon each (the ``online``
    numbers online); tailored when ``organisation`` (a slug) is given."""
    modules = [link.module for link in leergang.module_links.select_related("module")]
    if len(days) != len(modules):
        raise ValueError(f"{leergang}: one bijeenkomst per module")
    today = timezone.localdate()
    dates = [workday(today + timedelta(days=ahead)) for ahead in days]
    cohort, created = Cohort.objects.get_or_create(
        leergang=leergang,
        name=name,
        defaults={
            "starts_on": dates[0],
            "ends_on": dates[-1],
            "seats": seats,
            "organisation": Organisation.objects.get(slug=organisation) if organisation else None,
            "requires_approval": requires_approval,
            "cancellation_deadline": dates[0] - timedelta(days=14),
            "location": location,
        },
    )
    if created:
        cohort.trainers.add(trainer)
    bijeenkomsten = []
    for number, (module, day) in enumerate(zip(modules, dates, strict=True), start=1):
        is_online = number in online
        bijeenkomst, _ = Bijeenkomst.objects.get_or_create(
            cohort=cohort,
            module=module,
            defaults={
                "title": f"Bijeenkomst {number}: {module.title}",
                "starts_at": at(day, 13, 30),
                "ends_at": at(day, 17, 0),
                "location": "Online" if is_online else location,
                "online_url": (
                    f"https://meet.example.org/{leergang.slug}-{number}" if is_online else ""
                ),
            },
        )
        bijeenkomsten.append(bijeenkomst)
    return PlannedCohort(cohort, bijeenkomsten, created)
