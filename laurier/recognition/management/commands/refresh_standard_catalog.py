from django.core.management.base import BaseCommand, CommandError

from laurier.organisations.models import Organisation
from laurier.recognition.catalog import refresh_standard_catalog


class Command(BaseCommand):
    help = (
        "Re-render the names and descriptions of the ready-made recognition options that no "
        "manager edited, in French and English, from the current catalogue (run it after a "
        "translation update)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation's options."
        )

    def handle(self, *args, **options):
        organisations = None
        if slug := options["organisation"]:
            organisations = Organisation.objects.filter(slug=slug)
            if not organisations.exists():
                raise CommandError(f"No organisation with the slug {slug!r}.")
        changed = refresh_standard_catalog(organisations)
        self.stdout.write(f"{changed} recognition option(s) refreshed.")
