from django.db import migrations
from django.db.models.functions import Lower

NAME_LENGTH = 200


def rename_repeated_cycle_names(apps, schema_editor):
    """Give the later of two cycles with the same name (whatever the case) a numbered name.

    Nothing is deleted: pairings keep their cycle, and a manager can rename it afterwards.
    """
    Cycle = apps.get_model("programs", "Cycle")
    cycles = Cycle.objects.annotate(key=Lower("name")).order_by("program_id", "pk")
    taken = {}
    repeated = []
    for cycle in cycles:
        names = taken.setdefault(cycle.program_id, set())
        if cycle.key in names:
            repeated.append(cycle)
        else:
            names.add(cycle.key)
    for cycle in repeated:
        names = taken[cycle.program_id]
        number = 2
        while True:
            suffix = f" ({number})"
            name = cycle.name[: NAME_LENGTH - len(suffix)] + suffix
            if name.lower() not in names:
                break
            number += 1
        names.add(name.lower())
        Cycle.objects.filter(pk=cycle.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rename_repeated_cycle_names, migrations.RunPython.noop),
    ]
