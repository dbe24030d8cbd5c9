from django.core.management.base import BaseCommand, CommandError

from laurier.organisations.models import Organisation
from laurier.surveys.standard import refresh_standard_surveys


class Command(BaseCommand):
    help = (
        "Re-render the ready-made surveys' texts that no manager edited, in French and English, "
        "from the current catalogue (run it after a translation update)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation's surveys."
        )

    def handle(self, *args, **options):
        organisations = None
        if slug := options["organisation"]:
            organisations = Organisation.objects.filter(slug=slug)
            if not organisations.exists():
                raise CommandError(f"No organisation with the slug {slug!r}.")
        changed = refresh_standard_surveys(organisations)
        self.stdout.write(f"{changed} survey(s), question(s) and choice(s) refreshed.")
