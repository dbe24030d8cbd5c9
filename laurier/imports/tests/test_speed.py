"""Large files in few queries: each batch looks its references and existing rows up at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laurier.hours.models import MentoringSession
from laurier.imports import importers, services
from laurier.imports.importers import matching_rows
from laurier.imports.models import ImportJob
from laurier.organisations.models import Membership
from laurier.testing import factories

from .conftest import csv_file

HEADER = ["mentor", "mentee", "date", "minutes"]


@pytest.fixture
def pairings(program):
    return [
        factories.PairingFactory(
            program=program,
            mentor__email=f"mentor{n}@example.org",
            mentee__email=f"mentee{n}@example.org",
            starts_on=datetime.date(2025, 1, 1),
        )
        for n in range(4)
    ]


def sessions_file(count):
    lines = [HEADER] + [
        [f"mentor{n % 4}@example.org", f"mentee{n % 4}@example.org",
         (datetime.date(2025, 2, 1) + datetime.timedelta(days=n // 4)).isoformat(), "60"]
        for n in range(count)
    ]  # fmt: skip
    return csv_file(lines)


def queries_to_check_and_import(program, manager_user, count):
    membership = Membership.objects.get(user=manager_user, organisation=program.organisation)
    with CaptureQueriesContext(connection) as checked:
        job = services.create_import(
            membership=membership, user=manager_user, kind="sessions", program=program,
            uploaded_file=sessions_file(count),
        )  # fmt: skip
    assert job.status == ImportJob.Status.READY, job.errors
    with CaptureQueriesContext(connection) as imported:
        job, _started = services.start_import(job, user=manager_user)
    assert job.status == ImportJob.Status.DONE, job.errors
    return len(checked), len(imported)


def test_sessions_import_queries_do_not_grow_with_the_rows(
    program, manager_user, pairings, settings, monkeypatch
):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 1000
    monkeypatch.setattr(importers, "BATCH_SIZE", 1000)
    small = queries_to_check_and_import(program, manager_user, 5)
    MentoringSession.objects.all().delete()
    # Under SQLite's limit of parameters per statement, which splits inserts of more rows.
    large = queries_to_check_and_import(program, manager_user, 60)
    assert large == small
    assert MentoringSession.objects.count() == 60


def test_existing_rows_are_fetched_by_their_exact_keys(pairings):
    pairing = pairings[0]
    for day in (1, 2, 3):
        factories.MentoringSessionFactory(
            pairing=pairing, held_on=datetime.date(2025, 3, day), duration_minutes=60
        )
    wanted = {
        (pairing.pk, datetime.date(2025, 3, 2), 60),
        (pairing.pk, datetime.date(2025, 3, 2), 90),
        (pairings[1].pk, datetime.date(2025, 3, 1), 60),
    }
    found = matching_rows(
        MentoringSession, ("pairing_id", "held_on", "duration_minutes"), wanted, ("notes",)
    )
    assert list(found) == [(pairing.pk, datetime.date(2025, 3, 2), 60)]
    assert found[(pairing.pk, datetime.date(2025, 3, 2), 60)].notes == ""
