"""A test database that other connections and processes can open, with committed data."""

import contextlib
import sqlite3
import urllib.parse

from django.db import connection


@contextlib.contextmanager
def shared_database(directory):
    """Yield the URL of the test database as another process would open it (DATABASE_URL).

    Use it in a `transactional_db` test, so that what the test writes is committed. On
    PostgreSQL the test database is already a server's database. On SQLite it lives in this
    process's memory: it is copied (migrated, still empty) into a file in `directory` with
    SQLite's backup API, and this process's connections use that file (in WAL mode, like the
    site) until the block ends; then the in-memory database is put back.
    """
    if connection.vendor == "postgresql":
        yield postgres_url(connection.settings_dict)
        return
    path = directory / "shared.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    with contextlib.closing(sqlite3.connect(path)) as copy:
        in_memory.backup(copy)
    # Every thread's connection shares this settings dictionary: they all open the file now.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


def postgres_url(database):
    user = urllib.parse.quote(database["USER"] or "")
    password = urllib.parse.quote(database["PASSWORD"] or "")
    host = urllib.parse.quote(database["HOST"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql://{credentials}{host}:{database['PORT'] or 5432}/{database['NAME']}"
