"""Servers of a test's own, to stop and start mid-run: a PostgreSQL cluster (Debian's server
binaries, in a temporary directory, on a spare port) and the portal under gunicorn, as
production runs it. Never the shared PostgreSQL on 5432."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.worker import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent


def _skip_or_fail(reason: str):
    """Missing software: CI must have it (fail loudly), a laptop may lack it (skip)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def postgresql_bindir() -> Path | None:
    """The newest server binaries Debian's postgresql packages installed, or those on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A throwaway cluster: trust authentication on 127.0.0.1 only, its socket in its own
    directory. As root (CI), the server runs as the ``postgres`` user, since initdb and
    postgres refuse to run as root."""

    def __init__(self):
        bindir = postgresql_bindir()
        if bindir is None:
            _skip_or_fail("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
        self.bindir = bindir
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="leerportaal-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgresql.log"
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, cwd=self.directory
        )
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"

    def create(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.directory} -c fsync=off"
        )
        # -w: returns once the server accepts connections.
        self._run(
            str(self.bindir / "pg_ctl"),
            f"--pgdata={self.data}",
            f"--log={self.log}",
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        """A fast shutdown: every open connection is cut, as in a restart or failover."""
        self._run(str(self.bindir / "pg_ctl"), f"--pgdata={self.data}", "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def portal_environment(**settings: str) -> dict[str, str]:
    """Production's settings on the loopback (portal.settings.bench: plain HTTP, static files
    from the source folders), with ``settings`` (DATABASE_URL, REDIS_URL...) on top. Nothing
    of the test run's own configuration leaks in."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TEST_", "CELERY_", "CACHE_", "CONN_", "DATABASE_"))
        and key not in ("REDIS_URL", "PYTEST_XDIST_WORKER")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.bench",
        SECRET_KEY="outage-test-" + os.urandom(16).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    environment.update(settings)
    return environment


def manage(environment: dict[str, str], *arguments: str) -> str:
    """``manage.py`` in a process of its own, with ``environment``; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)}\n{result.stderr}"
    return result.stdout


class Gunicorn:
    """The portal under gunicorn (sync workers, as the image runs it) on a spare port."""

    def __init__(self, environment: dict[str, str], directory: Path, *, workers: int = 2):
        self.environment = environment
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.output = directory / "gunicorn.log"
        self.process = None

    def start(self) -> None:
        import requests

        with self.output.open("w") as output:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "portal.wsgi:application",
                    f"--workers={self.workers}",
                    "--worker-class=sync",
                    f"--bind=127.0.0.1:{self.port}",
                    "--worker-tmp-dir=/dev/shm",
                ],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

        def answers():
            try:
                return requests.get(f"{self.base}/accounts/login/", timeout=10).status_code == 200
            except (requests.ConnectionError, requests.Timeout):  # not listening, still booting
                return False

        if not wait_until(answers, timeout=60):
            self.stop()
            raise AssertionError(f"gunicorn did not answer:\n{self.log()}")
        # Every worker is up once it has answered: wait for the count, not the first.
        assert wait_until(lambda: len(self.worker_pids()) == self.workers, timeout=10)

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def log(self) -> str:
        return self.output.read_text()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def seconds_of(call):
    """(result of ``call()``, seconds it took)."""
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started
