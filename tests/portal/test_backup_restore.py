"""Backup and restore as the README's "Backup and restore" says: the demo, dumped with
``pg_dump`` and restored with ``pg_restore`` into a fresh database, with its media files
through ``tar``, comes back whole.

The commands below are the README's, word for word (the test fails when the two drift
apart); only the database names are the test's own. Transactional, because ``pg_dump``
reads from its own connection and sees only what was committed."""

import io
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from leergang.models import Material, Module
from portal.demo import LOGINS

pytestmark = pytest.mark.django_db(transaction=True)

README = Path(__file__).resolve().parents[2] / "README.md"

DUMP = "pg_dump --format=custom --file=leerportaal.dump leerportaal"
MEDIA_BACKUP = 'tar --create --gzip --file=media.tar.gz --directory="$MEDIA_ROOT" .'
RESTORE = (
    "pg_restore --no-owner --no-privileges --single-transaction --exit-on-error "
    "--dbname=leerportaal leerportaal.dump"
)
MEDIA_RESTORE = (
    'mkdir -p "$MEDIA_ROOT" && tar --extract --gzip --file=media.tar.gz --directory="$MEDIA_ROOT"'
)

# A table's rows in one digest, in an order that does not depend on the database's collation.
DIGEST = """
SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text COLLATE "C"), ''))
FROM {table} t
"""

MATERIAL = b"%PDF-1.4\n% programma van de leergang\n"


def _client_environment() -> dict[str, str]:
    """libpq's variables for the test database's server, as the README has the operator set."""
    database = connection.settings_dict
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update(
        PGHOST=database["HOST"] or "127.0.0.1",
        PGPORT=str(database["PORT"] or 5432),
        PGUSER=database["USER"] or "postgres",
        PGPASSWORD=database["PASSWORD"] or "",
    )
    return environment


def _run(command: str, database: str, environment: dict[str, str], cwd: Path) -> None:
    """One of the README's commands, through the shell, on ``database`` instead of its name."""
    assert command in README.read_text(), f"the README no longer says: {command}"
    command = re.sub(r"\bleerportaal\b(?!\.dump)", database, command)
    result = subprocess.run(
        ["bash", "-ec", command], env=environment, cwd=cwd, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{command}\n{result.stderr}"


@pytest.fixture
def client_tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "createdb") if not shutil.which(tool)]
    if missing:
        message = f"PostgreSQL's client tools are missing: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def fresh_database(client_tools):
    """An empty database of its own (unique per process and run), dropped afterwards."""
    name = f"lp_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    environment = _client_environment()
    subprocess.run(["createdb", name], env=environment, check=True, capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", name],
            env=environment,
            check=True,
            capture_output=True,
        )


@pytest.fixture
def restored_connection(fresh_database):
    """A Django connection to the fresh database, under the alias ``restored`` for this
    thread only (the migration recorder looks its connection up by alias); closed before
    the database is dropped."""
    wrapper = type(connections["default"])(
        {**connection.settings_dict, "NAME": fresh_database}, alias="restored"
    )
    connections["restored"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections["restored"]


def _contents(database) -> dict[str, tuple[int, str]]:
    """Every table of the database, with its row count and a digest of all its rows."""
    with database.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(name for (name,) in cursor.fetchall())
        contents = {}
        for table in tables:
            quoted = database.ops.quote_name(table)
            cursor.execute(DIGEST.format(table=quoted))
            contents[table] = cursor.fetchone()
    return contents


def _sequences(database) -> dict[str, int | None]:
    with database.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def _refused(database, statement: str) -> str:
    """The error PostgreSQL answers ``statement`` with, the change rolled back."""
    database.set_autocommit(False)
    try:
        with database.cursor() as cursor:
            cursor.execute(statement)
    except Exception as error:  # noqa: BLE001 - the error is what is asserted on
        return str(error)
    finally:
        database.rollback()
        database.set_autocommit(True)
    return ""


def test_a_restored_dump_holds_the_whole_demo(tmp_path, fresh_database, restored_connection):
    call_command("demo", stdout=io.StringIO())
    module = Module.objects.order_by("pk").first()
    material = Material.objects.create(
        module=module,
        title="Programma",
        kind=Material.Kind.FILE,
        file=SimpleUploadedFile("programma.pdf", MATERIAL),
    )
    media_root = Path(settings.MEDIA_ROOT)
    assert (media_root / material.file.name).read_bytes() == MATERIAL
    environment = {**_client_environment(), "MEDIA_ROOT": str(media_root)}

    # Back up: the database, then the media files.
    _run(DUMP, connection.settings_dict["NAME"], environment, tmp_path)
    _run(MEDIA_BACKUP, "", environment, tmp_path)
    before, sequences = _contents(connection), _sequences(connection)

    # The machine is lost: restore into an empty database and an empty media folder.
    shutil.rmtree(media_root)
    _run(RESTORE, fresh_database, environment, tmp_path)
    _run(MEDIA_RESTORE, "", environment, tmp_path)

    # Every table, every row, every sequence, and no migration left to run.
    after = _contents(restored_connection)
    assert set(after) == set(before)
    assert {t: c for t, c in after.items() if c != before[t]} == {}
    assert _sequences(restored_connection) == sequences
    assert before["portal_auditevent"][0] > 0 and before["leergang_cohort"][0] > 0
    executor = MigrationExecutor(restored_connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

    # The demo logins, with their password and roles.
    with restored_connection.cursor() as cursor:
        for email, *_, roles in LOGINS:
            cursor.execute(
                "SELECT u.password, u.is_active, array_agg(r.role ORDER BY r.role) "
                "FROM portal_user u JOIN portal_userrole r ON r.user_id = u.id "
                "WHERE u.email = %s GROUP BY u.id",
                [email],
            )
            row = cursor.fetchone()
            assert row, f"{email} is missing, or has no role"
            password, active, restored_roles = row
            assert active and check_password("leergang-demo", password), email
            assert restored_roles == sorted(roles), email

        # The media file the restored row names is back, byte for byte.
        cursor.execute("SELECT file FROM leergang_material WHERE id = %s", [material.pk])
        (name,) = cursor.fetchone()
    assert (media_root / name).read_bytes() == MATERIAL

    # The audit trail is still append-only: the trigger came back with the table.
    for statement in (
        "UPDATE portal_auditevent SET detail = 'changed'",
        "DELETE FROM portal_auditevent",
    ):
        assert "the audit trail is append-only" in _refused(restored_connection, statement)
