from django.core.management.base import BaseCommand
from django.utils.translation import gettext, ngettext

from laurier.privacy.services.retention import apply_retention, due_by_organisation


class Command(BaseCommand):
    help = (
        "Erase the people inactive for longer than their organisation's retention rule allows "
        "(run it from cron once a day, like recognition_daily). With --dry-run, list them and "
        "erase nobody."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List, organisation by organisation, who would be erased; erase nobody.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self._list_due()
            return
        result = apply_retention()
        self.stdout.write(
            ngettext(
                "%(count)d person erased by the retention rule.",
                "%(count)d people erased by the retention rule.",
                result.erased,
            )
            % {"count": result.erased}
        )
        for organisation, error in result.failures:
            self.stderr.write(
                gettext("%(organisation)s: not erased: %(error)s")
                % {"organisation": organisation.slug, "error": error}
            )

    def _list_due(self):
        total = 0
        for organisation, people in due_by_organisation():
            total += len(people)
            for person in people:
                self.stdout.write(f"{organisation.slug}\t{person.pk}\t{person.full_name}")
        self.stdout.write(
            ngettext(
                "Dry run: %(count)d person would be erased; nobody was.",
                "Dry run: %(count)d people would be erased; nobody was.",
                total,
            )
            % {"count": total}
        )
