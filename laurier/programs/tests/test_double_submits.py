"""Two requests racing past a service's checks meet a constraint and get a message, not a 500.

The races are played deterministically: the check that the other request passed is
made to pass here too, so the save meets the row the other request committed.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from laurier.programs import services
from laurier.programs.models import Cycle, Program
from laurier.testing import factories
from laurier.testing.migrations import constraint_dropped

pytestmark = pytest.mark.django_db

STARTS, ENDS = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)

RENAME_MIGRATION = importlib.import_module(
    "laurier.programs.migrations.0002_rename_repeated_cycle_names"
)


def passes_once(monkeypatch, name):
    """Make services.`name` pass on its first call (as it did for the racing request)."""
    real = getattr(services, name)
    calls = []

    def check(*args, **kwargs):
        calls.append(args)
        if len(calls) > 1:
            return real(*args, **kwargs)
        return None

    monkeypatch.setattr(services, name, check)


def test_a_program_racing_for_the_same_short_name_gets_a_message(
    monkeypatch, organisation, admin_user
):
    factories.ProgramFactory(organisation=organisation, name="Relève A", slug="releve-a")
    passes_once(monkeypatch, "_check_program_slug")

    with pytest.raises(ValidationError) as refused:
        services.create_program(
            organisation=organisation, actor=admin_user, name="Relève B", slug="releve-a"
        )

    assert refused.value.messages == [str(services.SLUG_TAKEN)]
    assert Program.objects.filter(organisation=organisation).count() == 1


def test_a_double_submitted_program_is_created_once_and_the_name_is_blamed(
    monkeypatch, organisation, admin_user
):
    services.create_program(organisation=organisation, actor=admin_user, name="Accueil")
    passes_once(monkeypatch, "_check_program_name")
    monkeypatch.setattr(services, "unique_program_slug", lambda *args: "accueil")

    with pytest.raises(ValidationError) as refused:
        services.create_program(organisation=organisation, actor=admin_user, name="Accueil")

    assert "name" in refused.value.message_dict
    assert Program.objects.filter(organisation=organisation, name="Accueil").count() == 1


def test_the_database_refuses_two_cycles_of_a_program_with_the_same_name_in_any_case(program):
    factories.CycleFactory(program=program, name="Automne 2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CycleFactory(program=program, name="AUTOMNE 2026")


def test_two_programs_may_have_cycles_of_the_same_name(organisation, program):
    factories.CycleFactory(program=program, name="Automne 2026")
    other = factories.ProgramFactory(organisation=organisation)
    factories.CycleFactory(program=other, name="Automne 2026")
    assert Cycle.objects.filter(name="Automne 2026").count() == 2


def test_a_double_submitted_cycle_is_created_once_with_a_message(monkeypatch, program, admin_user):
    services.create_cycle(
        program=program, actor=admin_user, name="Automne", starts_on=STARTS, ends_on=ENDS
    )
    passes_once(monkeypatch, "_check_cycle_name")

    with pytest.raises(ValidationError) as refused:
        services.create_cycle(
            program=program, actor=admin_user, name="automne", starts_on=STARTS, ends_on=ENDS
        )

    assert refused.value.message_dict == {"name": [str(services.CYCLE_NAME_TAKEN)]}
    assert Cycle.objects.filter(program=program).count() == 1


def test_renaming_a_cycle_to_a_name_taken_concurrently_gets_a_message(
    monkeypatch, program, admin_user
):
    factories.CycleFactory(program=program, name="Printemps")
    cycle = factories.CycleFactory(program=program, name="Automne")
    passes_once(monkeypatch, "_check_cycle_name")

    with pytest.raises(ValidationError) as refused:
        services.update_cycle(
            cycle, actor=admin_user, name="printemps", starts_on=STARTS, ends_on=ENDS
        )

    assert "name" in refused.value.message_dict
    cycle.refresh_from_db()
    assert cycle.name == "Automne"


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_repeated_cycle_names_instead_of_failing(program):
    with constraint_dropped(Cycle, "cycle_name_ci_per_program") as constraint:
        first, second, third = (
            factories.CycleFactory(program=program, name=name)
            for name in ("Automne", "automne", "Automne (2)")
        )

        with connection.schema_editor() as editor:
            # The current models will do: the migration reads only the name and program.
            RENAME_MIGRATION.rename_repeated_cycle_names(apps, editor)
            # The proof: this is what the next migration does, and a repeat would fail it.
            editor.add_constraint(Cycle, constraint)

    names = dict(Cycle.objects.values_list("pk", "name"))
    assert names == {first.pk: "Automne", second.pk: "automne (3)", third.pk: "Automne (2)"}
