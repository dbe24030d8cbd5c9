"""`manage.py restore FILE [--replace]`: load a backup archive, all or nothing."""

import time

from django.core.management.base import BaseCommand, CommandError

from laurier.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load an archive written by `manage.py backup` into an empty, migrated database, in one "
        "transaction, and put its stored files back. --replace deletes everything in the "
        "database first, in the same transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every row of the database before loading the archive.",
        )

    def handle(self, *args, archive, replace=False, **options):
        started = time.monotonic()
        try:
            restored = restore_backup(archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for label, count in restored.rows.items():
            if count:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            f"Restored {sum(restored.rows.values())} rows and {restored.files} files "
            f"in {time.monotonic() - started:.1f} s."
        )
