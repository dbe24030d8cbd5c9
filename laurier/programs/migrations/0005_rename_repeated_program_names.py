from django.db import migrations
from django.db.models.functions import Lower

NAME_LENGTH = 200


def rename_repeated_program_names(apps, schema_editor):
    """Give the later of two programs with the same name (whatever the case) a numbered name.

    Nothing is deleted: a manager can rename it afterwards.
    """
    Program = apps.get_model("programs", "Program")
    programs = Program.objects.annotate(key=Lower("name")).order_by("organisation_id", "pk")
    taken = {}
    repeated = []
    for program in programs:
        names = taken.setdefault(program.organisation_id, set())
        if program.key in names:
            repeated.append(program)
        else:
            names.add(program.key)
    for program in repeated:
        names = taken[program.organisation_id]
        number = 2
        while True:
            suffix = f" ({number})"
            name = program.name[: NAME_LENGTH - len(suffix)] + suffix
            if name.lower() not in names:
                break
            number += 1
        names.add(name.lower())
        Program.objects.filter(pk=program.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_field_labels"),
    ]

    operations = [
        migrations.RunPython(rename_repeated_program_names, migrations.RunPython.noop),
    ]
