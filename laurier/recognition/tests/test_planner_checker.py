"""An independent checker of the planner's hard rules, and proof that it catches breaches.

`hard_rule_breaches` reads only the scenario's plain data (never the planner's arrays), so the
property tests of the planner and of the greedy baseline measure them against the rules as
the issue states them. No database: these tests run with database access blocked.
"""

import datetime
from dataclasses import replace
from decimal import Decimal

from laurier.recognition.categories import RecognitionCategory, Visibility
from laurier.recognition.planner import Budget, Line, Mentor, Moment, Option, Rules, Scenario

TOLERANCE = Decimal("0.000001")


def hard_rule_breaches(scenario, lines):
    """Every hard rule that `lines` (objects with mentor, option, moment keys) break."""
    breaches = []
    mentors = {mentor.key: mentor for mentor in scenario.mentors}
    options = {option.key: option for option in scenario.options}
    moments = {moment.key: moment for moment in scenario.moments}
    locked = {(line.mentor, line.option, line.moment) for line in scenario.locked}
    planned = [(line.mentor, line.option, line.moment) for line in lines]
    money = sum((options[o].cost for _m, o, _t in planned), Decimal(0))
    hours = sum((options[o].staff_hours for _m, o, _t in planned), Decimal(0))
    if scenario.budget.money is not None and money > scenario.budget.money + TOLERANCE:
        breaches.append(f"money {money} > {scenario.budget.money}")
    if scenario.budget.staff_hours is not None and hours > scenario.budget.staff_hours + TOLERANCE:
        breaches.append(f"staff hours {hours} > {scenario.budget.staff_hours}")
    items = sum(options[o].material_items for _m, o, _t in planned)
    if scenario.budget.material_items is not None and items > scenario.budget.material_items:
        breaches.append(f"material items {items} > {scenario.budget.material_items}")
    for key, option in options.items():
        given = sum(1 for _m, o, _t in planned if o == key)
        if option.capacity is not None and given > option.capacity:
            breaches.append(f"{key} given {given} times, capacity {option.capacity}")
    for mentor_key, option_key, moment_key in planned:
        mentor, option = mentors[mentor_key], options[option_key]
        where = f"{mentor_key}/{option_key}/{moment_key}"
        if moment_key not in moments:
            breaches.append(f"{where}: unknown moment")
        elif (
            moments[moment_key].mentors is not None
            and mentor_key not in moments[moment_key].mentors
        ):
            breaches.append(f"{where}: another mentor's moment")
        if option.moments is not None and moment_key not in option.moments:
            breaches.append(f"{where}: not offered at that moment")
        if mentor.hours < option.min_hours or mentor.tenure_years < option.min_tenure_years:
            breaches.append(f"{where}: not eligible")
        if option.contest_winners_only and not mentor.contest_winner:
            breaches.append(f"{where}: contest winners only")
        if option.visibility == Visibility.PUBLIC:
            consent = mentor.public_consent is True or (
                mentor.public_consent == "ask" and (mentor_key, option_key, moment_key) in locked
            )
            if not consent:
                breaches.append(f"{where}: public without consent")
        if option.family_key in mentor.recent:
            breaches.append(f"{where}: received recently")
    for mentor_key in mentors:
        own = [(o, t) for m, o, t in planned if m == mentor_key]
        if len(own) > scenario.rules.max_per_mentor:
            breaches.append(f"{mentor_key}: {len(own)} > max {scenario.rules.max_per_mentor}")
        if len({options[o].family_key for o, _t in own}) < len(own):
            breaches.append(f"{mentor_key}: the same option twice")
        if scenario.rules.one_per_moment and len({t for _o, t in own}) < len(own):
            breaches.append(f"{mentor_key}: two at one moment")
    missing = locked - set(planned)
    if missing:
        breaches.append(f"locked lines missing: {sorted(missing)}")
    return breaches


def tiny_scenario(**changes):
    moments = (
        Moment("t0", datetime.date(2027, 1, 17), "international_mentoring_day"),
        Moment("t1", datetime.date(2027, 6, 1), "cycle_end"),
    )
    options = (
        Option("pd", RecognitionCategory.PROFESSIONAL_DEVELOPMENT, cost=Decimal(100), capacity=1),
        Option("gala", RecognitionCategory.PUBLIC_EVENT, visibility=Visibility.PUBLIC),
        Option("card", RecognitionCategory.THANK_YOU_CARD, moments=("t1",), min_hours=Decimal(5)),
    )
    mentors = (
        Mentor("ana", hours=Decimal(10), public_consent="ask", recent=("gala",)),
        Mentor("bo", hours=Decimal(2), public_consent=True),
    )
    fields = {
        "currency": "CAD",
        "budget": Budget(money=Decimal(150)),
        "rules": Rules(min_per_mentor=1, max_per_mentor=2),
        "moments": moments,
        "options": options,
        "mentors": mentors,
    }
    fields.update(changes)
    return Scenario(**fields)


def test_a_plan_within_every_rule_has_no_breach():
    lines = [Line("ana", "pd", "t0"), Line("ana", "card", "t1"), Line("bo", "gala", "t0")]
    assert hard_rule_breaches(tiny_scenario(), lines) == []


def test_the_checker_catches_a_budget_overrun_and_a_capacity_overrun():
    lines = [Line("ana", "pd", "t0"), Line("bo", "pd", "t0")]
    breaches = hard_rule_breaches(tiny_scenario(), lines)
    assert any("money" in breach for breach in breaches)
    assert any("capacity" in breach for breach in breaches)


def test_the_checker_catches_more_material_items_than_the_budget_has():
    scenario = tiny_scenario(budget=Budget(material_items=1))
    scenario = tiny_scenario(
        budget=Budget(material_items=1),
        options=tuple(replace(option, material_items=1) for option in scenario.options),
    )
    lines = [Line("ana", "pd", "t0"), Line("bo", "gala", "t1")]
    assert any("material items" in breach for breach in hard_rule_breaches(scenario, lines))


def test_the_checker_catches_ineligibility_a_moment_not_offered_and_a_recent_option():
    lines = [Line("bo", "card", "t0"), Line("ana", "gala", "t1")]
    breaches = " ".join(hard_rule_breaches(tiny_scenario(), lines))
    assert "not eligible" in breaches
    assert "not offered" in breaches
    assert "received recently" in breaches


def test_the_checker_accepts_ask_consent_only_on_a_locked_line():
    scenario = tiny_scenario(
        mentors=(Mentor("ana", hours=Decimal(10), public_consent="ask"), Mentor("bo")),
    )
    assert "public without consent" in " ".join(
        hard_rule_breaches(scenario, [Line("ana", "gala", "t0")])
    )
    locked = tiny_scenario(mentors=scenario.mentors, locked=(Line("ana", "gala", "t0"),))
    assert hard_rule_breaches(locked, [Line("ana", "gala", "t0")]) == []


def test_the_checker_catches_a_line_at_another_mentors_own_moment():
    own = Moment("own", datetime.date(2027, 2, 14), "mentoring_anniversary", mentors={"bo"})
    scenario = tiny_scenario()
    scenario = tiny_scenario(moments=(*scenario.moments, own))
    assert hard_rule_breaches(scenario, [Line("bo", "pd", "own")]) == []
    assert hard_rule_breaches(scenario, [Line("ana", "pd", "own")])


def test_the_checker_catches_two_at_one_moment_and_too_many_and_a_missing_locked_line():
    scenario = tiny_scenario(
        rules=Rules(min_per_mentor=0, max_per_mentor=1), locked=(Line("bo", "gala", "t1"),)
    )
    lines = [Line("ana", "pd", "t0"), Line("ana", "card", "t0")]
    breaches = " ".join(hard_rule_breaches(scenario, lines))
    assert "two at one moment" in breaches
    assert "> max" in breaches
    assert "locked lines missing" in breaches
