"""The migration that makes program names unique keeps every program, renaming repeats."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("programs", "0004_field_labels")]
AFTER = [("programs", "0006_program_name_unique_per_org")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_repeated_program_names_are_numbered_not_lost():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("organisations", "Organisation")
    Program = apps.get_model("programs", "Program")
    first = Organisation.objects.create(name="Hydro", slug="hydro")
    second = Organisation.objects.create(name="Autre", slug="autre")
    Program.objects.create(organisation=first, name="Accueil", slug="accueil")
    Program.objects.create(organisation=first, name="ACCUEIL", slug="accueil-2")
    Program.objects.create(organisation=first, name="Accueil (2)", slug="accueil-3")
    Program.objects.create(organisation=second, name="Accueil", slug="accueil")

    apps = migrate(AFTER)

    Program = apps.get_model("programs", "Program")
    assert sorted(
        Program.objects.filter(organisation__slug="hydro").values_list("name", flat=True)
    ) == [
        "ACCUEIL (3)",
        "Accueil",
        "Accueil (2)",
    ]
    assert list(
        Program.objects.filter(organisation__slug="autre").values_list("name", flat=True)
    ) == ["Accueil"]
