"""Real concurrent submits on PostgreSQL, where two transactions can pass the same check.

SQLite runs one writer at a time, so these only mean something on PostgreSQL.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from laurier.programs import services
from laurier.programs.figures_cache import figures_changed
from laurier.programs.models import Cycle, FiguresVersion, Program

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def at_once(action, times=2):
    """Run `action` in `times` threads released together; the outcome of each, by name."""
    start = threading.Barrier(times)
    outcomes = []

    def run():
        start.wait()
        try:
            action()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_simultaneous_program_creates_make_one_and_refuse_the_other(organisation, admin_user):
    outcomes = at_once(
        lambda: services.create_program(organisation=organisation, actor=admin_user, name="Accueil")
    )
    assert "done" in outcomes and set(outcomes) <= {"done", "refused"}
    assert Program.objects.filter(organisation=organisation, name="Accueil").count() == 1


def test_two_simultaneous_cycle_creates_make_one(program, admin_user):
    outcomes = at_once(
        lambda: services.create_cycle(
            program=program,
            actor=admin_user,
            name="Automne",
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
    )
    assert "done" in outcomes and set(outcomes) <= {"done", "refused"}
    assert Cycle.objects.filter(program=program).count() == 1


def test_two_first_changes_at_once_both_move_the_figures_version(organisation):
    def change():
        with transaction.atomic():
            figures_changed(organisation.pk)

    assert at_once(change, times=4) == ["done"] * 4
    assert FiguresVersion.objects.get(organisation=organisation).number == 4
