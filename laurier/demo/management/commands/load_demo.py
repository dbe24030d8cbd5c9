from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurier.demo.demo_organisation import (
    DEMO_NAME,
    DEMO_SEED,
    IncompleteDemo,
    load_demo_organisation,
)


class Command(BaseCommand):
    help = "Load the demo organisation Coopérative Boréale (does nothing if it is already there)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the demo organisation first and build it again.",
        )

    def handle(self, *args, seed, replace, **options):
        try:
            summary = load_demo_organisation(seed=seed, replace=replace)
        except IncompleteDemo as error:
            raise CommandError(
                _(
                    "The demo organisation exists but is incomplete; "
                    "run load_demo --replace to build it again."
                )
            ) from error
        if not summary.created:
            self.stdout.write(_("Demo organisation %(name)s already loaded.") % {"name": DEMO_NAME})
            return
        self.stdout.write(
            _(
                "Demo organisation %(name)s loaded: %(programs)d programs, %(mentors)d mentors, "
                "%(mentees)d mentees, %(pairings)d pairings, %(sessions)d sessions."
            )
            % {
                "name": DEMO_NAME,
                "programs": summary.programs,
                "mentors": summary.mentors,
                "mentees": summary.mentees,
                "pairings": summary.pairings,
                "sessions": summary.sessions,
            }
        )
