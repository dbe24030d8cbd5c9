import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from laurier.imports.hr_sync import DEFAULT_SETTLE_SECONDS, REJECTED, sync_folder
from laurier.organisations.models import Organisation

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Import the staff lists an HR system dropped in a folder (run it from cron or a systemd "
        "timer): each new file is a full staff list, imported all or nothing, then moved to "
        "done/, rejected/ or held/ with a report next to it. Without --folder, every "
        "organisation's subfolder of HR_SYNC_FOLDER (named by its slug)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="the organisation's slug")
        parser.add_argument("--folder", help="the folder its HR system writes to")
        parser.add_argument(
            "--settle-seconds",
            type=int,
            default=DEFAULT_SETTLE_SECONDS,
            help="leave files changed more recently than this for the next run "
            f"(they may still be being written; default {DEFAULT_SETTLE_SECONDS})",
        )

    def handle(self, *args, organisation, folder, settle_seconds, **options):
        for each_organisation, each_folder in self._folders(organisation, folder):
            try:
                synced_files = sync_folder(
                    each_organisation, each_folder, settle_seconds=settle_seconds
                )
            except Exception:
                # A folder that cannot be read must not stop the organisations after it.
                logger.exception("HR sync of %s failed", each_organisation.slug)
                self.stderr.write(f"{each_organisation.slug}: the sync failed, see the log")
                continue
            for synced in synced_files:
                line = f"{each_organisation.slug}: {synced.name} -> {synced.outcome}/"
                if synced.job is not None:
                    line += f" (import {synced.job.pk})"
                (self.stderr if synced.outcome == REJECTED else self.stdout).write(line)

    def _folders(self, slug, folder):
        """(organisation, folder) pairs to sync."""
        if folder:
            if not slug:
                raise CommandError("--folder needs --organisation.")
            if not Path(folder).is_dir():
                raise CommandError(f"{folder} is not a folder.")
            return [(self._organisation(slug), Path(folder))]
        root = getattr(settings, "HR_SYNC_FOLDER", "")
        if not root:
            raise CommandError("Give --organisation and --folder, or set HR_SYNC_FOLDER.")
        organisations = Organisation.objects.order_by("slug")
        if slug:
            organisations = [self._organisation(slug)]
        return [
            (each, Path(root) / each.slug)
            for each in organisations
            if (Path(root) / each.slug).is_dir()
        ]

    def _organisation(self, slug):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {slug!r}.")
        return organisation
