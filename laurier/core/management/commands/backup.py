"""`manage.py backup [--output FILE]`: the whole site in one archive (laurier/core/backup.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from laurier.core.backup import BackupError, create_backup, default_archive_name


class Command(BaseCommand):
    help = (
        "Write every row and stored file of the site to one .tar.gz archive, read in one "
        "consistent snapshot while the site runs. The archive holds personal data and the "
        "encrypted signing keys: keep it secret (it is written with mode 0600)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="The archive to write (default: laurier-backup-<UTC time>.tar.gz)."
        )

    def handle(self, *args, output=None, **options):
        output = output or default_archive_name()
        started = time.monotonic()
        try:
            manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"{output}: {rows} rows of {len(manifest['rows'])} models, "
            f"{manifest['media_files']} files, in {time.monotonic() - started:.1f} s. "
            "It holds personal data and the encrypted signing keys: keep it secret, and keep "
            "CREDENTIAL_KEY_SECRETS (or SECRET_KEY) with it, without which the keys sign nothing."
        )
