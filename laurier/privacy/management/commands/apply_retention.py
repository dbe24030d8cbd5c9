from django.core.management.base import BaseCommand

from laurier.privacy.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Erase the people inactive for longer than their organisation's retention rule allows "
        "(run it from cron once a day, like recognition_daily)."
    )

    def handle(self, *args, **options):
        erased = apply_retention()
        self.stdout.write(f"{erased} person(s) erased by the retention rule.")
