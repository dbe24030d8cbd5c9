from django.core.management.base import BaseCommand

from laurier.core.task_results import fail_abandoned_task_results
from laurier.credentials.services.bulk import resume_stalled_jobs
from laurier.credentials.services.rules import apply_rules
from laurier.imports.services import expire_waiting_imports, forget_ended_files
from laurier.recognition.services.awards import ask_due_feedback
from laurier.recognition.services.events import remind_due_events
from laurier.recognition.services.notes import close_due_note_campaigns


class Command(BaseCommand):
    help = (
        "The day's recognition work the task worker normally does on time: ask mentors about "
        "the recognitions whose feedback day has come, close the thank-you note campaigns whose "
        "last day has passed, remind the people coming to events soon, issue the badges people "
        "earned by a rule, mark failed the tasks a stopped worker left running, expire the imports "
        "left waiting, and delete the files finished imports still hold (run it from cron once "
        "a day)."
    )

    def handle(self, *args, **options):
        asked = ask_due_feedback()
        closed = close_due_note_campaigns()
        reminded = remind_due_events()
        resume_stalled_jobs()
        abandoned = fail_abandoned_task_results()
        expired = expire_waiting_imports()
        forgotten = forget_ended_files()
        badges = apply_rules()
        self.stdout.write(
            f"{asked} feedback request(s) sent, {closed} note campaign(s) closed, "
            f"{reminded} event reminder(s) sent, {badges} badge(s) issued, "
            f"{abandoned} task(s) left running by a stopped worker marked failed, "
            f"{expired} import(s) left waiting expired, "
            f"{forgotten} file(s) of finished imports deleted."
        )
