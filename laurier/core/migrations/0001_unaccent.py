from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent, so that searching "helene" finds "Hélène" (skipped on SQLite)."""

    operations = [UnaccentExtension()]
