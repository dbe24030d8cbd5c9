"""An option with a monthly capacity is given as one copy per month: one copy per mentor,
each month within its own capacity."""

import datetime
from collections import Counter
from decimal import Decimal

from laurier.recognition.categories import RecognitionCategory as Category
from laurier.recognition.planner import Budget, Mentor, Moment, Option, Rules, Scenario, plan

MOMENTS = (
    Moment("sep", datetime.date(2026, 9, 15), "cycle_start"),
    Moment("dec", datetime.date(2026, 12, 15), "year_end"),
)
LUNCH = {"category": Category.NETWORKS_AND_EVENTS, "cost": Decimal(10), "capacity": 2}


def scenario(mentors, *, recent=()):
    return Scenario(
        currency="CAD",
        budget=Budget(),
        rules=Rules(min_per_mentor=1, max_per_mentor=2),
        moments=MOMENTS,
        options=(
            Option("lunch@sep", moments=("sep",), family="lunch", **LUNCH),
            Option("lunch@dec", moments=("dec",), family="lunch", **LUNCH),
            Option("card", Category.THANK_YOU_CARD, cost=Decimal(5)),
        ),
        mentors=tuple(
            Mentor(
                f"m{k}",
                preferences={Category.NETWORKS_AND_EVENTS: 5, Category.THANK_YOU_CARD: 1},
                recent=recent,
            )
            for k in range(mentors)
        ),
    )


def test_each_months_copy_is_given_up_to_its_capacity_and_never_twice_to_one_mentor():
    result = plan(scenario(5))
    lunches = [line for line in result.assignments if line.option.startswith("lunch")]
    assert Counter(line.option for line in lunches) == {"lunch@sep": 2, "lunch@dec": 2}
    assert len({line.mentor for line in lunches}) == 4


def test_an_option_received_lately_excludes_all_its_copies():
    result = plan(scenario(2, recent=("lunch",)))
    assert {line.option for line in result.assignments} == {"card"}
