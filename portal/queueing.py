"""Handing work to the Celery worker without making the broker a point of failure."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task_name: str, object_id: int) -> None:
    """Queue the task of ``portal.tasks`` named for one object. With the broker down the work
    stays waiting in the database: log it, and the task's sweep queues it again later."""
    from portal import tasks  # the tasks import the services that queue them

    try:
        getattr(tasks, task_name).delay(object_id)
    except Exception:  # broker down: the sweep queues it later
        logger.exception("Could not queue %s for %s", task_name, object_id)


def enqueue_many(task_name: str, object_ids: list[int]) -> None:
    """Like ``enqueue``, one task for the whole list (a batch of reminders)."""
    from portal import tasks

    try:
        getattr(tasks, task_name).delay(object_ids)
    except Exception:  # broker down: the sweep queues each row later
        logger.exception("Could not queue %s for %s objects", task_name, len(object_ids))
