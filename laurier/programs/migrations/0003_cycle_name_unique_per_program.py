from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):
    # Apart from the data migration before it, so that PostgreSQL builds the index
    # in a transaction of its own.
    dependencies = [
        ("programs", "0002_rename_repeated_cycle_names"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.UniqueConstraint(
                models.F("program"), Lower("name"), name="cycle_name_ci_per_program"
            ),
        ),
    ]
