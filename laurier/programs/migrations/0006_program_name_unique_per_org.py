from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):
    # Apart from the data migration before it, so that PostgreSQL builds the index
    # in a transaction of its own.
    dependencies = [
        ("programs", "0005_rename_repeated_program_names"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="program",
            constraint=models.UniqueConstraint(
                models.F("organisation"), Lower("name"), name="program_name_ci_per_org"
            ),
        ),
    ]
