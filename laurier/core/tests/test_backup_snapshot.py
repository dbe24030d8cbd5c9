"""A backup reads one snapshot of the database while the site goes on writing: a person added by
another connection during the backup is in neither half of it, and is not kept waiting.

The other connection is a thread's (Django opens one per thread), on a database that both see
with committed data (laurier/testing/databases.py: the test database on PostgreSQL, a file
copy in WAL mode on SQLite).
"""

import threading

import pytest
from django.db import connection

from laurier.core.backup import snapshot
from laurier.programs.models import Person
from laurier.testing import factories
from laurier.testing.databases import shared_database


@pytest.fixture
def shared(transactional_db, tmp_path):
    with shared_database(tmp_path):
        yield factories.OrganisationFactory(slug="hydro")


def add_person_from_another_connection(organisation):
    """What a page does meanwhile: a write committed by its own connection."""
    errors = []

    def write():
        try:
            factories.PersonFactory(organisation_id=organisation.pk)
        except Exception as error:  # noqa: BLE001 — reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and not errors, errors


def test_a_write_during_the_backup_is_not_in_its_snapshot(shared):
    factories.PersonFactory(organisation=shared)

    with snapshot(connection):
        assert Person.objects.count() == 1
        add_person_from_another_connection(shared)
        assert Person.objects.count() == 1

    assert Person.objects.count() == 2
