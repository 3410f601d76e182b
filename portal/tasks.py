from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portal.notifications import notification_send, notification_send_each, notification_sweep
from portal.reminders import reminders_scan
from portal.services import invitation_import_run, invitation_import_sweep


def retrying_task(*, retry_on: tuple[type[Exception], ...], max_retries: int):
    """A task acknowledged only when it has finished (a worker that dies halfway leaves it to
    another), retried on ``retry_on`` after ever longer, jittered pauses."""
    return shared_task(
        bind=True,
        acks_late=True,
        autoretry_for=retry_on,
        retry_backoff=True,
        retry_jitter=True,
        max_retries=max_retries,
    )


@retrying_task(retry_on=(SMTPException, OSError), max_retries=6)
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
