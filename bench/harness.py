"""What `make bench` and `make loadtest` share: a database of their own, gunicorn on the
loopback, percentiles. Imported by scripts/bench.py and scripts/loadtest.py before Django
is set up, so nothing here imports Django at module level."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def log(text: str) -> None:
    print(text, flush=True)


def ensure_database(url: str) -> None:
    """Create the database of ``url`` when it does not exist (never drops one)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'create database "{name}"')
            log(f"Created database {name}.")


def percentile(values, p) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def answers(port: int, timeout: float = 2) -> bool:
    """Whether the portal on 127.0.0.1:``port`` serves its login page."""
    try:
        # A literal http:// address of our own gunicorn (B310: no file:// or other scheme).
        login = f"http://127.0.0.1:{port}/accounts/login/"
        urllib.request.urlopen(login, timeout=timeout).read()  # nosec B310 # literal http://
    except OSError:
        return False
    return True


def gunicorn_start(*, port: int, workers: int, environment: dict) -> subprocess.Popen:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:``port``, once it answers."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi:application",
            f"--workers={workers}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--worker-tmp-dir=/dev/shm",
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
    )
    for _ in range(100):
        if answers(port):
            return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}")
