"""The dashboard's figures and charts, kept once computed until the data they come from
changes.

Computing them for a municipality of 2,000 people in 400 cohorts takes some fifteen grouped
queries over its enrolments, attendance, reflections, intervisie and coaching (about 100 ms
of SQL at the bench's scale) and four charts drawn by pygal; reading them back is one cache
read. So the dashboard, its report and its exports read them through here:

- the figures of one organisation and one set of filters are stored in the cache under the
  current *generation*, a token every change of the data they are made of replaces (the
  signals below, sent by every save and delete of those models, whichever path made it);
- the key also holds a ten-minute slot of the clock, and the entry lives as long: a
  bijeenkomst counts as held once it has started, without anyone saving anything, and the
  quarter of the trend moves with the date;
- the generation is replaced at once and again when the transaction commits, so a page
  computed between the two from the old rows is not kept.

A change anywhere (one attendance in another municipality) replaces the generation for all:
figures are computed again on the next visit, once. Bulk writes that send no signal
(``bulk_create`` of intervisie memberships) come with a save of their group, which does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from hr import charts, figures

GENERATION_KEY = "hr:figures:generation"
SECONDS = 10 * 60


def _models():
    from coaching.models import CoachingSession, Trajectory
    from evaluations.models import Answer
    from intervisie.models import Group, Membership, Session, SessionAttendance
    from leergang.models import (
        Attendance,
        Bijeenkomst,
        Cohort,
        Enrolment,
        Leergang,
        LeergangModule,
        Module,
        Reflection,
    )
    from portal.models import UserRole

    return [
        Leergang,
        Module,
        LeergangModule,
        Cohort,
        Bijeenkomst,
        Enrolment,
        Attendance,
        Reflection,
        Group,
        Membership,
        Session,
        SessionAttendance,
        Trajectory,
        CoachingSession,
        Answer,
        UserRole,  # who counts as a participant
    ]


def _replace_generation():
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def data_changed(**kwargs):
    """A row the figures are made of was saved or deleted."""
    _replace_generation()
    # Outside a transaction the row is already committed: replacing it once is enough.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace_generation)


# What of a person the figures read. A sign-in saves ``last_login`` alone, and changes none.
USER_FIELDS = {"department", "organisation", "is_active"}


def user_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or USER_FIELDS & set(update_fields):
        data_changed()


def connect_signals():
    from portal.models import User

    for model in _models():
        uid = f"hr.summary.{model._meta.label}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}.delete")
    post_save.connect(user_changed, sender=User, dispatch_uid="hr.summary.user.save")
    post_delete.connect(data_changed, sender=User, dispatch_uid="hr.summary.user.delete")


def _key(kind: str, organisation_id: int, *parts) -> str:
    generation = cache.get(GENERATION_KEY) or "-"
    slot = int(timezone.now().timestamp() // SECONDS)
    text = "\n".join(str(part) for part in (translation.get_language(), *parts))
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    return f"hr:{kind}:{organisation_id}:{generation}:{slot}:{digest}"


def filter_choices(organisation_id: int) -> figures.Choices:
    key = _key("choices", organisation_id)
    choices = cache.get(key)
    if choices is None:
        choices = figures.filter_choices(organisation_id)
        # Kept without the rows per cohort and department (thousands for a big
        # municipality): only computing the figures reads them, and it reads them again.
        cache.set(key, dataclasses.replace(choices, rows=[]), SECONDS)
    return choices


class Kept:
    """The dashboard of one organisation and set of filters: its figures and charts, read
    from the cache (or computed and stored) only when something asks for them.

    Reading the figures back means unpickling some ten thousand small objects for a
    municipality in 400 cohorts (about 16 ms); a page rendered from them is one string.
    So the pages rendered from them are kept as well (``kept_page``), and a visit that
    finds its page reads neither the figures nor the charts.
    """

    def __init__(self, organisation_id: int, filters: figures.Filters, choices: figures.Choices):
        self.organisation_id = organisation_id
        self.filters = filters
        self.choices = choices
        self.key = _key("dashboard", organisation_id, filters)

    def _compute(self) -> tuple[figures.Dashboard, dict]:
        computed = figures.dashboard(self.organisation_id, self.filters, choices=self.choices)
        return computed, charts.dashboard_charts(computed, organisation_id=self.organisation_id)

    @cached_property
    def _found(self) -> tuple[figures.Dashboard, dict]:
        return cache.get_or_set(self.key, self._compute, SECONDS)

    @property
    def figures(self) -> figures.Dashboard:
        return self._found[0]

    @property
    def charts(self) -> dict:
        return self._found[1]


def kept_page(
    organisation_id: int, name: str, render: Callable[[], tuple[Any, int]]
) -> tuple[Any, int]:
    """A page of the organisation's figures (the dashboard's, the report's, the people
    list's), named by ``name`` (its template and address): ``render()`` gives its HTML (or
    the HTML with what else a kept visit needs, such as the people it shows for the audit
    trail) and status; only a 200 is kept, so a refused filter is answered again each time
    with its message."""
    key = _key("page", organisation_id, name)
    html = cache.get(key)
    if html is not None:
        return html, 200
    html, status = render()
    if status == 200:
        cache.set(key, html, SECONDS)
    return html, status
