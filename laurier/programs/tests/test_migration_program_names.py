"""The migration that makes program names unique keeps every program, renaming repeats."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from laurier.programs.models import Program
from laurier.testing import factories
from laurier.testing.migrations import constraint_dropped

pytestmark = pytest.mark.django_db(transaction=True)

RENAME_MIGRATION = importlib.import_module(
    "laurier.programs.migrations.0005_rename_repeated_program_names"
)


def test_repeated_program_names_are_numbered_not_lost():
    first = factories.OrganisationFactory(name="Hydro", slug="hydro")
    second = factories.OrganisationFactory(name="Autre", slug="autre")
    with constraint_dropped(Program, "program_name_ci_per_org") as constraint:
        factories.ProgramFactory(organisation=first, name="Accueil", slug="accueil")
        factories.ProgramFactory(organisation=first, name="ACCUEIL", slug="accueil-2")
        factories.ProgramFactory(organisation=first, name="Accueil (2)", slug="accueil-3")
        factories.ProgramFactory(organisation=second, name="Accueil", slug="accueil")

        with connection.schema_editor() as editor:
            # The current models will do: the migration reads only the name and organisation.
            RENAME_MIGRATION.rename_repeated_program_names(apps, editor)
            # The proof: this is what the next migration does, and a repeat would fail it.
            editor.add_constraint(Program, constraint)

    assert sorted(Program.objects.filter(organisation=first).values_list("name", flat=True)) == [
        "ACCUEIL (3)",
        "Accueil",
        "Accueil (2)",
    ]
    assert list(Program.objects.filter(organisation=second).values_list("name", flat=True)) == [
        "Accueil"
    ]
