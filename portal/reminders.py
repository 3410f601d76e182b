"""Reminders: a periodic scan writes the outbox rows of every reminder that has come due.

Apps declare their kinds of reminder here (portal imports no app): what is due at a
moment, for whom and about what. The scan (Celery beat every few minutes, or
``manage.py reminders_scan``) asks each kind and writes one outbox row per recipient,
kind, object and occasion; the row's unique ``dedupe_key`` makes a second scan, or two
scans at once, write nothing twice. Nothing is scheduled as a Celery countdown: a long
ETA on Redis is delivered again after the visibility timeout and lost on a flush, while
a scan finds what is due from the data, however long the workers were away.

No reminder goes out while it is quiet (``REMINDER_QUIET_HOURS``, Europe/Amsterdam): the
scan writes none and the sender leaves queued ones for the morning. A reminder that is
no longer true when its turn comes (``still_due``: the appointment moved or was
cancelled, the reflection was submitted) is dropped instead of sent.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock_time

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from portal.models import Notification, ReminderOptOut
from portal.queueing import enqueue_many

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder due for one person, as plain values so a scan of thousands stays cheap."""

    recipient_id: int
    email: str
    language: str
    about_type_id: int  # ContentType id of what it is about
    about_id: int
    # Tells repeated reminders of one kind about one thing apart ("48h-202703091330", "2").
    occasion: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderKind:
    name: str  # also the e-mail template's name
    label: str  # what a person turns off on their profile
    find: Callable[[datetime], Iterable[Due]]  # everything due at this moment
    # At send time: is this reminder still true? None: always.
    still_due: Callable[[Notification], bool] | None = None
    # Essential kinds go to everyone; the others can be turned off on the profile.
    essential: bool = False
    order: int = 50


_kinds: dict[str, ReminderKind] = {}


def register_reminder(
    name: str,
    *,
    label,
    still_due: Callable[[Notification], bool] | None = None,
    essential: bool = False,
    order: int = 50,
):
    """Declare a kind of reminder; the decorated function yields what is due at ``now``."""

    def decorator(find):
        _kinds[name] = ReminderKind(name, label, find, still_due, essential, order)
        return find

    return decorator


def kinds() -> list[ReminderKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.name))


def kind_names() -> list[str]:
    return list(_kinds)


def optional_kinds() -> list[ReminderKind]:
    """The kinds a person may turn off."""
    return [kind for kind in kinds() if not kind.essential]


def is_reminder(kind: str) -> bool:
    return kind in _kinds


def still_due(notification: Notification) -> bool:
    kind = _kinds.get(notification.kind)
    return kind is None or kind.still_due is None or kind.still_due(notification)


def is_quiet(moment: datetime) -> bool:
    """Between REMINDER_QUIET_HOURS (22:00 to 07:00 in Europe/Amsterdam) no reminder goes."""
    start, end = settings.REMINDER_QUIET_HOURS
    local = timezone.localtime(moment).time()
    starts, ends = clock_time(start), clock_time(end)
    if starts <= ends:
        return starts <= local < ends
    return local >= starts or local < ends


def dedupe_key(kind: str, due: Due) -> str:
    return f"reminder:{kind}:{due.recipient_id}:{due.about_type_id}:{due.about_id}:{due.occasion}"


@dataclass
class ScanResult:
    written: int = 0  # new outbox rows
    found: int = 0  # due reminders, including those written by an earlier scan
    quiet: bool = False
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Due reminders handled per second."""
        return self.found / self.seconds if self.seconds else 0.0


def reminders_scan(*, now: datetime | None = None, batch_size: int = 1000) -> ScanResult:
    """Write the outbox rows of every reminder due at ``now``; queue them on commit.

    Each batch of ``batch_size`` costs three queries (the opt-outs are read once per
    kind), however many rows it holds.
    """
    now = now or timezone.now()
    result = ScanResult()
    if is_quiet(now):
        result.quiet = True
        return result
    started = time.monotonic()
    for kind in kinds():
        opted_out = set()
        if not kind.essential:
            opted_out = set(
                ReminderOptOut.objects.filter(kind=kind.name).values_list("user_id", flat=True)
            )
        written = 0
        for batch in _batched(kind.find(now), batch_size):
            result.found += len(batch)
            written += _write(kind, [due for due in batch if due.recipient_id not in opted_out])
        result.per_kind[kind.name] = written
        result.written += written
    result.seconds = time.monotonic() - started
    return result


def _batched(items: Iterable[Due], size: int) -> Iterable[list[Due]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _write(kind: ReminderKind, batch: list[Due]) -> int:
    """The batch's outbox rows, each at most once ever; the new ones are queued on commit."""
    if not batch:
        return 0
    created_at = timezone.now()
    rows = [
        Notification(
            recipient_id=due.recipient_id,
            email=due.email,
            language=due.language,
            kind=kind.name,
            about_type_id=due.about_type_id,
            about_id=due.about_id,
            context=due.context,
            dedupe_key=dedupe_key(kind.name, due),
            created_at=created_at,
        )
        for due in batch
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        # The rows this scan wrote (a row an earlier scan wrote keeps its own created_at).
        new_ids = list(
            Notification.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in rows], created_at=created_at
            ).values_list("pk", flat=True)
        )
        if new_ids:
            transaction.on_commit(lambda: enqueue_many("notification_send_batch_task", new_ids))
    return len(new_ids)


def about(notification: Notification) -> Model | None:
    """What a reminder is about, or None when it is gone."""
    try:
        return notification.about
    except AttributeError:
        return None
