"""The recognition planner against the greedy baseline, on seeded generated scenarios.

    .venv/bin/python bench/planner.py                  # 1,000 and 10,000 mentors, two budgets
    .venv/bin/python bench/planner.py --sizes 1000 --seed 3

Each scenario has 40 options over the 12 categories (realistic costs, staff hours, capacities,
eligibility and moments) and 12 moments; mentors have correlated preferences, public consent
(yes, no, ask), hours, tenure and recent recognitions. Two budgets: "tight" covers 70 % of the
demand (every mentor's favourite option), "ample" covers every mentor's favourites up to the
maximum. No database is used. Prints a table and writes bench/results/planner.json. See
bench/README.md ("Planner") for the targets.
"""

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "planner.json"
TIME_TARGET_SECONDS = 10.0
GAP_TARGET = 0.01
TARGET_SIZE = 10_000

# (category key, cost range, staff hours, visibility, capacity per 1,000 mentors or None,
#  min hours, min tenure years, contest winners only)
OPTION_KINDS = (
    ("formal_mention", (0, 0), 0.25, "public", None, 0, 0, False),
    ("card", (3, 8), 0.25, "private", None, 0, 0, False),
    ("certificate", (5, 15), 0.5, "private", None, 10, 0, False),
    ("badge", (2, 6), 0.1, "public", None, 5, 0, False),
    ("network_access", (40, 120), 1.0, "private", 150, 20, 1, False),
    ("perk_material", (25, 80), 0.5, "private", None, 0, 0, False),
    ("perk_symbolic", (15, 40), 0.5, "private", None, 0, 0, False),
    ("public_event", (80, 150), 0.5, "public", 120, 10, 0, False),
    ("professional_development", (150, 600), 1.0, "private", 100, 20, 1, False),
    ("training_hours_credit", (0, 0), 1.5, "private", None, 15, 0, False),
    ("contest_award", (300, 500), 2.0, "public", 2, 30, 2, True),
    ("stipend", (250, 750), 0.5, "private", None, 40, 1, False),
)
MOMENT_KINDS = (
    "cycle_start",
    "international_mentoring_day",
    "mid_cycle",
    "mentoring_anniversary",
    "cycle_end",
    "year_end",
)
# Mentors come in a few kinds, each with its own taste; noise makes every one different.
PERSONAS = (
    {
        "professional_development": 5,
        "network_access": 4,
        "certificate": 3,
        "training_hours_credit": 4,
    },
    {"card": 5, "perk_symbolic": 4, "formal_mention": 2, "badge": 3},
    {"public_event": 5, "formal_mention": 4, "contest_award": 4, "badge": 3},
    {"stipend": 5, "perk_material": 4, "training_hours_credit": 3},
    {"certificate": 4, "card": 4, "professional_development": 3, "perk_symbolic": 3},
)


def generate_scenario(mentors, *, seed=1, options=40, moments=12, budget_share=0.7):
    """A scenario dict in the planner's IN format; budget_share None means every favourite."""
    rng = random.Random(seed)
    start = datetime.date(2027, 1, 17)
    moment_list = [
        {
            "key": f"t{k}",
            "date": (start + datetime.timedelta(days=30 * k)).isoformat(),
            "kind": MOMENT_KINDS[k % len(MOMENT_KINDS)],
        }
        for k in range(moments)
    ]
    option_list = []
    for k in range(options):
        kind = OPTION_KINDS[k % len(OPTION_KINDS)]
        key, (low, high), hours, visibility, capacity, min_hours, min_tenure, winners = kind
        allowed = None
        if rng.random() < 0.5:
            allowed = sorted(
                rng.sample([m["key"] for m in moment_list], rng.randint(2, moments // 2))
            )
        option_list.append(
            {
                "key": f"o{k}",
                "name": f"{key.replace('_', ' ')} {k // len(OPTION_KINDS) + 1}",
                "category": key,
                "visibility": visibility,
                "cost": float(round(rng.uniform(low, high))),
                "staff_hours": hours,
                "capacity": None if capacity is None else max(1, capacity * mentors // 1000),
                "moments": allowed,
                "min_hours": min_hours,
                "min_tenure_years": min_tenure,
                "contest_winners_only": winners,
                "culture_fit": round(rng.uniform(0.2, 0.9), 2),
            }
        )
    mentor_list = []
    for k in range(mentors):
        persona = PERSONAS[rng.randrange(len(PERSONAS))]
        preferences = {}
        for kind in OPTION_KINDS:
            base = persona.get(kind[0], 1)
            preferences[kind[0]] = max(
                0, min(5, base + rng.choice((-1, 0, 0, 1)) - (base == 1) * rng.randint(0, 1))
            )
        mentor_list.append(
            {
                "key": f"m{k}",
                "name": f"Mentor {k}",
                "hours": round(rng.lognormvariate(3.2, 0.8), 1),
                "tenure_years": round(rng.expovariate(1 / 3), 1),
                "public_consent": rng.choices([True, False, "ask"], weights=(6, 2, 2))[0],
                "preferences": preferences,
                "recent": rng.sample([o["key"] for o in option_list], rng.randint(0, 2)),
                "preferred_moment_kinds": rng.sample(MOMENT_KINDS, rng.randint(0, 2)),
                "contest_winner": rng.random() < 0.01,
            }
        )
    scenario = {
        "currency": "CAD",
        "budget": {"money": None, "staff_hours": None},
        "rules": {"min_per_mentor": 1, "max_per_mentor": 3, "one_per_moment": True},
        "moments": moment_list,
        "options": option_list,
        "mentors": mentor_list,
        "locked": [],
    }
    # Demand: what the greedy baseline spends with no limit, in its first round (each mentor's
    # favourite) or in all rounds.
    from laurier.recognition.planner import plan_greedily, scenario_from_dict

    unlimited = plan_greedily(scenario_from_dict(scenario), reasons=False)
    if budget_share is None:
        money, hours = unlimited.money, unlimited.staff_hours
    else:
        favourite = {}
        for line in unlimited.assignments:
            favourite.setdefault(line.mentor, line.option)
        costs = {o["key"]: (o["cost"], o["staff_hours"]) for o in option_list}
        money = sum(costs[key][0] for key in favourite.values()) * budget_share
        hours = sum(costs[key][1] for key in favourite.values()) * budget_share
    scenario["budget"] = {"money": round(money, 2), "staff_hours": round(hours, 1)}
    return scenario


def total_preference(scenario, result):
    preferences = {m["key"]: m["preferences"] for m in scenario["mentors"]}
    categories = {o["key"]: o["category"] for o in scenario["options"]}
    return sum(preferences[a.mentor].get(categories[a.option], 0) for a in result.assignments)


def measure(scenario_dict, *, label, time_limit):
    from laurier.recognition.planner import plan, plan_greedily, scenario_from_dict

    scenario = scenario_from_dict(scenario_dict)
    rows = []
    for solver_name, run in (
        ("planner", lambda: plan(scenario, time_limit=time_limit, relative_gap=GAP_TARGET)),
        ("greedy", lambda: plan_greedily(scenario)),
    ):
        started = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - started
        rows.append(
            {
                "scenario": label,
                "mentors": len(scenario.mentors),
                "solver": solver_name,
                "status": result.status,
                "covered": result.covered_mentors,
                "coverage": result.covered_mentors / max(1, len(scenario.mentors)),
                "lines": len(result.assignments),
                "preference": total_preference(scenario_dict, result),
                "fit": round(result.fit, 1),
                "objective": round(result.objective, 1),
                "upper_bound": round(result.upper_bound, 1),
                "gap": float(result.gap),
                "money": round(result.money, 2),
                "budget_money": scenario_dict["budget"]["money"],
                "staff_hours": round(result.staff_hours, 1),
                "budget_staff_hours": scenario_dict["budget"]["staff_hours"],
                "seconds": round(seconds, 2),
                "details": result.details,
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurier.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")
    rows = []
    for size in [int(size) for size in arguments.sizes.split(",")]:
        for budget_name, share in (("tight", 0.7), ("ample", None)):
            scenario = generate_scenario(size, seed=arguments.seed, budget_share=share)
            rows.extend(measure(scenario, label=budget_name, time_limit=arguments.time_limit))
    header = (
        f"{'mentors':>7} {'budget':6} {'solver':7} {'status':9} {'coverage':>8} {'lines':>6} "
        f"{'preference':>10} {'objective':>12} {'bound':>12} {'gap':>7} {'money':>11} "
        f"{'budget':>11} {'seconds':>7}  targets"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = ""
        if row["solver"] == "planner":
            greedy = next(
                other
                for other in rows
                if other["solver"] == "greedy"
                and other["mentors"] == row["mentors"]
                and other["scenario"] == row["scenario"]
            )
            row["targets"] = {
                "time": bool(row["mentors"] < TARGET_SIZE or row["seconds"] < TIME_TARGET_SECONDS),
                "gap": bool(row["gap"] <= GAP_TARGET),
                "coverage": bool(row["covered"] >= greedy["covered"]),
                "preference": bool(row["preference"] >= greedy["preference"]),
            }
            verdict = " ".join(
                f"{name}:{'ok' if met else 'MISSED'}" for name, met in row["targets"].items()
            )
        print(
            f"{row['mentors']:>7} {row['scenario']:6} {row['solver']:7} {row['status']:9} "
            f"{row['coverage']:>8.1%} {row['lines']:>6} {row['preference']:>10} "
            f"{row['objective']:>12,.0f} {row['upper_bound']:>12,.0f} {row['gap']:>7.2%} "
            f"{row['money']:>11,.0f} {row['budget_money']:>11,.0f} "
            f"{row['seconds']:>7.2f}  {verdict}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                },
                "seed": arguments.seed,
                "rows": rows,
            },
            indent=1,
        )
    )
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
