from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurier.demo.demo_organisation import DEMO_PASSWORD
from laurier.demo.large_organisation import (
    BIGGEST_LEDGER_LINES,
    OrganisationExists,
    TooManyResponses,
    TooManySessions,
    generate_organisation,
)


class Command(BaseCommand):
    help = "Generate a large organisation (for measurements): people, pairings and sessions."

    def add_arguments(self, parser):
        parser.add_argument("--mentors", type=int, default=10_000)
        parser.add_argument("--mentees", type=int, default=40_000)
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument("--programs", type=int, default=30)
        parser.add_argument(
            "--profiles",
            action="store_true",
            help="Give most mentors a motivation and preference profile.",
        )
        parser.add_argument(
            "--responses",
            type=int,
            default=0,
            help="Engagement-pulse responses in total, spread over pulses sent to the mentors.",
        )
        parser.add_argument(
            "--budgets",
            action="store_true",
            help="Add the recognition catalog, a culture profile, last and this fiscal year's "
            "budgets with their ledgers, and a few compensation decisions.",
        )
        parser.add_argument(
            "--ledger-lines",
            type=int,
            default=BIGGEST_LEDGER_LINES,
            help="With --budgets, ledger lines of the biggest program's budget this fiscal year "
            "(the other programs write about two per mentor and year).",
        )
        parser.add_argument(
            "--awards",
            action="store_true",
            help="Add about two recognitions per mentor and year over last and this fiscal "
            "year (given, planned, approved, cancelled), their ledger lines and some mentors' "
            "feedback; implies --budgets.",
        )
        parser.add_argument("--slug", default="big")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the organisation with this slug first, if there is one.",
        )

    def handle(self, *args, **options):
        try:
            result = generate_organisation(
                slug=options["slug"],
                mentors=options["mentors"],
                mentees=options["mentees"],
                sessions=options["sessions"],
                programs=options["programs"],
                profiles=options["profiles"],
                responses=options["responses"],
                budgets=options["budgets"],
                ledger_lines=options["ledger_lines"],
                awards=options["awards"],
                seed=options["seed"],
                replace=options["replace"],
                progress=self.stdout.write if options["verbosity"] else None,
            )
        except OrganisationExists as error:
            raise CommandError(
                _(
                    "The organisation %(slug)s already exists. "
                    "Add --replace to delete it and generate it again."
                )
                % {"slug": options["slug"]}
            ) from error
        except TooManySessions as error:
            total, capacity = error.args
            raise CommandError(
                _("%(total)d sessions do not fit in the pairings (at most %(capacity)d).")
                % {"total": total, "capacity": capacity}
            ) from error
        except TooManyResponses as error:
            total, capacity = error.args
            raise CommandError(
                _("%(total)d responses are more than the pulses sent (at most %(capacity)d).")
                % {"total": total, "capacity": capacity}
            ) from error
        except ValueError as error:
            raise CommandError(
                _("Every program needs at least one mentor and one mentee.")
            ) from error
        self.stdout.write(
            _(
                "Organisation %(slug)s generated in %(seconds).1f s. Admin: %(admin)s; manager of "
                "the biggest program (%(program)s): %(manager)s; password: %(password)s."
            )
            % {
                "slug": result.organisation.slug,
                "seconds": result.seconds,
                "admin": result.admin_email,
                "program": result.biggest_program_slug,
                "manager": result.biggest_program_manager_email,
                "password": DEMO_PASSWORD,
            }
        )
