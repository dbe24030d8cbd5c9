from django.core.management.base import BaseCommand

from laurier.outbox.services import deliver_due_emails, deliver_due_webhooks


class Command(BaseCommand):
    help = (
        "Send every queued e-mail and team-chat post whose next attempt is due "
        "(run it from cron every minute)."
    )

    def handle(self, *args, **options):
        sent = deliver_due_emails()
        posted = deliver_due_webhooks()
        self.stdout.write(f"{sent} e-mail(s) sent, {posted} chat post(s) sent.")
