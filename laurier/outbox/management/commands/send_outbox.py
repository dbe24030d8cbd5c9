from django.core.management.base import BaseCommand

from laurier.outbox.services import deliver_due_emails


class Command(BaseCommand):
    help = "Send every queued e-mail whose next attempt is due (run it from cron every minute)."

    def handle(self, *args, **options):
        sent = deliver_due_emails()
        self.stdout.write(f"{sent} e-mail(s) sent.")
