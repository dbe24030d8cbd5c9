"""Testing a data migration without migrating the whole project back and forth."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def constraint_dropped(model, name):
    """Drop one of `model`'s constraints, as the table was before the migration adding it.

    Dropping just it, rather than migrating the project back, keeps the test fast. It is
    always there again afterwards, so the tests that follow on this database still meet
    it: if the test left repeated rows in the way, they go first (a transactional test
    empties the tables at the end anyway).
    """
    constraint = next(each for each in model._meta.constraints if each.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(model, constraint)
    try:
        yield constraint
    finally:
        with connection.cursor() as cursor:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
        if name not in present:
            model.objects.all().delete()
            with connection.schema_editor() as editor:
                editor.add_constraint(model, constraint)
