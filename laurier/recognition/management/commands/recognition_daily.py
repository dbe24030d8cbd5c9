from django.core.management.base import BaseCommand

from laurier.recognition.services.awards import ask_due_feedback


class Command(BaseCommand):
    help = (
        "Ask mentors for their feedback on every recognition whose feedback day has come "
        "(run it from cron once a day; the task worker normally does it on the day)."
    )

    def handle(self, *args, **options):
        asked = ask_due_feedback()
        self.stdout.write(f"{asked} feedback request(s) sent.")
