"""Stop at once, with a hint, when PostgreSQL or Redis does not answer."""

import os
import socket
import sys
from urllib.parse import urlparse

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leerportaal")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def check_postgres() -> str | None:
    import psycopg

    url = urlparse(DATABASE_URL)
    try:
        psycopg.connect(
            host=url.hostname,
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        return (
            f"PostgreSQL does not answer at {url.hostname}:{url.port or 5432} ({error}).\n"
            "  Start it, e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main "
            "start`,\n  or `docker-compose up -d postgres`, or set TEST_DATABASE_URL."
        )
    return None


def check_redis() -> str | None:
    url = urlparse(REDIS_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError as error:
        reply, problem = b"", str(error)
    else:
        problem = f"unexpected reply {reply!r}"
    if not reply.startswith(b"+PONG"):
        return (
            f"Redis does not answer at {host}:{port} ({problem}).\n"
            "  Start it, e.g. `redis-server --daemonize yes --bind 127.0.0.1 --port 6379`,\n"
            "  or `docker-compose up -d redis`, or set TEST_REDIS_URL."
        )
    return None


def main() -> int:
    problems = [problem for problem in (check_postgres(), check_redis()) if problem]
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if not problems:
        print("PostgreSQL and Redis answer.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
