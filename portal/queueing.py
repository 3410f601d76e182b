"""Handing work to the Celery worker without making the broker a point of failure.

Everything queued here is already written in the database (an outbox row, an import's
cursor) and a sweep queues it again when its task got lost. So a broker that does not take a
task is no reason to keep anybody waiting:

- a broker that refuses (Redis stopped) fails at once; the error is logged;
- a broker that takes the connection and never answers (Redis hung, a network that drops
  packets) would hold the request for every retry's socket timeout: seconds. The task is
  handed over in a thread of its own and the request waits at most ``HAND_OVER_SECONDS``;
- after either, this process leaves the broker alone for ``BROKER_RETRY_AFTER`` seconds:
  what is written meanwhile waits for the sweep, so an outage costs one wait per process
  per window rather than one per request (and a sweep of 500 rows is not 500 waits).

When tasks run in-process (no broker: ``make run``, the tests) they run inline, as before.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)

# A healthy Redis takes a task in about a millisecond; a pooled connection it closed on a
# restart is replaced by the retry policy within that too.
HAND_OVER_SECONDS = 0.5
BROKER_RETRY_AFTER = 30

# Per process: since when (wall clock) the broker is left alone, or None. Wall clock rather
# than monotonic so a test's travel in time passes the window as real time would.
_broker_down_since: float | None = None
_lock = threading.Lock()


def _broker_left_alone() -> bool:
    since = _broker_down_since
    return since is not None and 0 <= time.time() - since < BROKER_RETRY_AFTER


def _remember_broker_failure() -> None:
    global _broker_down_since
    with _lock:
        _broker_down_since = time.time()


def forget_broker_failure() -> None:
    global _broker_down_since
    with _lock:
        _broker_down_since = None


def _hand_over(task_name: str, argument, what: str) -> None:
    from portal import tasks  # the tasks import the services that queue them

    task = getattr(tasks, task_name)
    if task.app.conf.task_always_eager:
        try:
            task.delay(argument)
        except Exception:
            logger.exception("Could not run %s for %s", task_name, what)
        return
    if _broker_left_alone():
        logger.warning(
            "Could not queue %s for %s: the broker failed less than %d s ago; the sweep "
            "queues it later.",
            task_name,
            what,
            BROKER_RETRY_AFTER,
        )
        return

    def publish():
        try:
            task.delay(argument)
        except Exception:  # broker down: the sweep queues it later
            _remember_broker_failure()
            logger.exception("Could not queue %s for %s", task_name, what)
        else:
            forget_broker_failure()  # a slow hand-over that went through after all

    worker = threading.Thread(target=publish, name=f"queue-{task_name}", daemon=True)
    worker.start()
    worker.join(HAND_OVER_SECONDS)
    if worker.is_alive():
        _remember_broker_failure()
        logger.error(
            "Could not queue %s for %s within %.1f s (the broker does not answer); the sweep "
            "queues it later.",
            task_name,
            what,
            HAND_OVER_SECONDS,
        )


def enqueue(task_name: str, object_id: int) -> None:
    """Queue the task of ``portal.tasks`` named for one object. With the broker down the work
    stays waiting in the database: log it, and the task's sweep queues it again later."""
    _hand_over(task_name, object_id, str(object_id))


def enqueue_many(task_name: str, object_ids: list[int]) -> None:
    """Like ``enqueue``, one task for the whole list (a batch of reminders)."""
    _hand_over(task_name, object_ids, f"{len(object_ids)} objects")
