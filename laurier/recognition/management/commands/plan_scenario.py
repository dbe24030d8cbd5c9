"""`manage.py plan_scenario IN.json --out OUT.json`: plan a self-contained scenario.

The stable interface of issue 5 for benchmarks and experiments: it reads the scenario from a
file, never from the database (nor does it touch the database at all), and writes the plan
in the issue's OUT format with the planner's other figures next to it.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from laurier.recognition.planner import ScenarioError, plan, plan_greedily, scenario_from_json


class Command(BaseCommand):
    help = (
        "Plan the recognitions of a scenario (JSON, see issue 5) without the database and "
        "write the plan as JSON."
    )
    # The system checks may query the database; this command must work without one.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("scenario", metavar="IN.json", help="The scenario ('-' for stdin).")
        parser.add_argument("--out", metavar="OUT.json", help="Where to write the plan (stdout).")
        parser.add_argument(
            "--time-limit", type=float, default=60.0, help="Seconds the solver may use."
        )
        parser.add_argument(
            "--gap", type=float, default=0.01, help="Relative gap to the bound accepted."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the reasons.",
        )
        parser.add_argument(
            "--greedy", action="store_true", help="Use the greedy baseline instead."
        )

    def handle(self, *args, **options):
        source = options["scenario"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error}") from error
        if options["gap"] < 0 or options["time_limit"] <= 0:
            raise CommandError("--gap must be at least 0 and --time-limit above 0.")
        with translation.override(options["language"]):
            try:
                scenario = scenario_from_json(text)
            except ScenarioError as error:
                raise CommandError("\n".join(str(problem) for problem in error.problems)) from error
            if options["greedy"]:
                result = plan_greedily(scenario)
            else:
                result = plan(
                    scenario, time_limit=options["time_limit"], relative_gap=options["gap"]
                )
            output = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
        if options["out"]:
            Path(options["out"]).write_text(output + "\n", encoding="utf-8")
            self.stderr.write(
                f"{result.status}: {len(result.assignments)} lines, objective "
                f"{result.objective:.1f}, bound {result.upper_bound:.1f}, gap {result.gap:.2%}, "
                f"{result.seconds:.2f} s"
            )
        else:
            self.stdout.write(output)
