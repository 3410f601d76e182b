from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portal.notifications import (
    MAX_ATTEMPTS,
    notification_send,
    notification_send_each,
    notification_sweep,
)
from portal.reminders import reminders_scan
from portal.services import invitation_import_run, invitation_import_sweep

# The longest pause between two tries, in seconds; the broker's visibility timeout
# (CELERY_BROKER_TRANSPORT_OPTIONS) is longer.
RETRY_BACKOFF_MAX = 600


def retrying_task(*, retry_on: tuple[type[Exception], ...], max_retries: int):
    """A task acknowledged only when it has finished (a worker that dies halfway leaves it to
    another), retried on ``retry_on`` after ever longer pauses (1, 2, 4 ... seconds, at most
    RETRY_BACKOFF_MAX, each a random part of that so retries of many tasks spread out)."""
    return shared_task(
        bind=True,
        acks_late=True,
        autoretry_for=retry_on,
        retry_backoff=True,
        retry_backoff_max=RETRY_BACKOFF_MAX,
        retry_jitter=True,
        max_retries=max_retries,
    )


# The row counts its attempts and is marked failed at MAX_ATTEMPTS; the task never stops first.
@retrying_task(retry_on=(SMTPException, OSError), max_retries=MAX_ATTEMPTS)
def notification_send_task(self, notification_id: int) -> bool:
    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def notification_send_batch_task(notification_ids: list[int]) -> int:
    return notification_send_each(notification_ids)


@shared_task
def reminders_scan_task() -> int:
    """One pass of the reminder scan; beat runs it every few minutes."""
    result = reminders_scan()
    return result.written


@shared_task
def notification_sweep_task() -> int:
    return notification_sweep()


@retrying_task(retry_on=(OperationalError, InterfaceError), max_retries=5)
def invitation_import_task(self, import_id: int) -> None:
    invitation_import_run(import_id=import_id)


@shared_task
def invitation_import_sweep_task() -> int:
    return invitation_import_sweep()


@shared_task
def audit_purge_task() -> int:
    from portal import audit

    return audit.purge()
