"""A real Celery worker for tests: embedded in this process, consuming a queue of its own
on the test Redis (or a broker the test starts itself)."""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state

from portal.celery import app

# A queue per test process: with pytest-xdist two processes share the test Redis.
QUEUE = f"portal-test-once-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def point_celery_at(url: str) -> None:
    """Publish to and consume from ``url`` from now on (kombu keeps a pool per address)."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_on(url: str, *, purge: bool = True):
    """Tasks go through the broker at ``url`` into the test queue, emptied first (unless
    ``purge`` is false: a broker that does not answer)."""
    from portal import queueing

    queueing.forget_broker_failure()  # a broker of its own: nothing is known about it yet
    app.conf.task_always_eager = False
    app.conf.result_backend = None
    app.conf.task_default_queue = QUEUE
    point_celery_at(url)
    if purge:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)  # nothing left over from an earlier run
    try:
        yield app
    finally:
        queueing.forget_broker_failure()
        app.conf.task_always_eager = True
        from django.conf import settings

        point_celery_at(settings.CELERY_BROKER_URL)


def waiting_messages() -> int:
    """Tasks in the test queue that no worker has taken yet (a list in Redis)."""
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(QUEUE)


@contextmanager
def workers(count: int = 1):
    """Workers consuming the test queue: ``count`` tasks run at once, each in a thread of its
    own with its own database connection, as in ``count`` worker processes. (Two embedded
    workers cannot share a process: they stop on one flag of it.)"""
    with start_worker(
        app,
        pool="solo" if count == 1 else "threads",
        concurrency=count,
        perform_ping_check=False,
        shutdown_timeout=10,
        queues=[QUEUE],
    ):
        yield


def wait_until(condition, timeout: float = 20) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds have passed (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def idle() -> bool:
    """Nothing waits in the queue and no worker holds a task (not even one counting down)."""
    return (
        waiting_messages() == 0
        and not worker_state.reserved_requests
        and not worker_state.active_requests
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A ``redis-server`` of the test's own on a spare port, to stop and start again (never
    the shared one). It keeps nothing on disk: stopping it loses what it held."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        assert wait_until(answers, timeout=10), "redis-server did not start"
        client.close()

    def freeze(self) -> None:
        """Hung, not gone: connections are still accepted (by the kernel), nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Goes on after ``freeze`` with what it held (harmless when not frozen)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
