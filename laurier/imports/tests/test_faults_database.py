"""A real database error in the middle of an import commits nothing.

No mock: a trigger made by the test makes the database itself refuse the insert of the fourth
person of the file (SQLite: `RAISE(ABORT)`; PostgreSQL: a plpgsql function raising "disk full"),
after the first batches of the same import were inserted. The import ends failed, with a message
in the reader's language that says nothing was written, and no person of the file exists.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from laurier.imports import importers
from laurier.imports.models import ImportJob
from laurier.imports.problems import describe
from laurier.programs.models import Person

from .conftest import csv_file

FAILING_EMAIL = "p3@example.org"
TRIGGER = "laurier_test_refuse_person"
SQLITE_TRIGGER = f"""
    CREATE TRIGGER {TRIGGER} BEFORE INSERT ON programs_person
    WHEN NEW.email = '{FAILING_EMAIL}'
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
"""
POSTGRESQL_FUNCTION = f"""
    CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'disk_full'; END $$
"""
POSTGRESQL_TRIGGER = f"""
    CREATE TRIGGER {TRIGGER} BEFORE INSERT ON programs_person FOR EACH ROW
    WHEN (NEW.email = '{FAILING_EMAIL}') EXECUTE FUNCTION {TRIGGER}()
"""


def people_file(count=6):
    return csv_file(
        [["courriel", "prénom", "nom"]]
        + [[f"p{n}@example.org", "Prénom", f"Nom {n}"] for n in range(count)]
    )


@pytest.fixture
def refusing_database(monkeypatch):
    """The database refuses the fourth person; two rows per insert, so that two batches of the
    same import were written before."""
    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    statements = (
        [POSTGRESQL_FUNCTION, POSTGRESQL_TRIGGER]
        if connection.vendor == "postgresql"
        else [SQLITE_TRIGGER]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON programs_person")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


@pytest.fixture
def english_admin(admin_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    return client


def detail_page(client, job):
    return client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()


def assert_failed_with_nothing_written(client, job):
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert (
        not Person.objects.filter(email__endswith="@example.org")
        .exclude(email="admin@example.org")
        .exists()
    )
    page = detail_page(client, job)
    with translation.override("en"):
        message = describe(job.errors[0])
    assert "nothing was written" in message
    assert escape(message) in page


@pytest.mark.django_db
def test_a_database_error_mid_import_commits_nothing(
    english_admin, upload, commit, refusing_database
):
    job = upload(english_admin, "people", people_file()).context["job"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY

    commit(english_admin, job)

    assert_failed_with_nothing_written(english_admin, job)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_a_background_import_commits_nothing(
    english_admin, upload, commit, refusing_database, settings
):
    """Committed for real: the task's transaction is the outermost one, as in the worker."""
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 3
    job = upload(english_admin, "people", people_file()).context["job"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY

    commit(english_admin, job)

    assert_failed_with_nothing_written(english_admin, job)
