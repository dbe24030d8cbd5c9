"""A planning scenario as plain data: what the planner reads, with no database behind it.

The pages build a `Scenario` from the models; benchmarks and `manage.py plan_scenario` read one
from JSON (`scenario_from_json`). Every class is a frozen dataclass so a scenario can be hashed,
compared and handed to several solvers without one changing what another sees.

The JSON format is the one of issue 5 (see `scenario_from_json`). Its category keys are not the
catalog's `RecognitionCategory` values; `CATEGORY_BY_KEY` is the one table between them.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.utils.translation import gettext as _

from ..categories import RecognitionCategory, Visibility
from ..culture import AXES, NEUTRAL_SCORE, culture_fit

# The planner's JSON keys → the catalog's categories.
CATEGORY_BY_KEY = {
    "formal_mention": RecognitionCategory.PUBLIC_MENTION,
    "card": RecognitionCategory.THANK_YOU_CARD,
    "certificate": RecognitionCategory.CERTIFICATE,
    "badge": RecognitionCategory.BADGE,
    "network_access": RecognitionCategory.NETWORKS_AND_EVENTS,
    "perk_material": RecognitionCategory.MATERIAL_PERK,
    "perk_symbolic": RecognitionCategory.SYMBOLIC_GIFT,
    "public_event": RecognitionCategory.PUBLIC_EVENT,
    "professional_development": RecognitionCategory.PROFESSIONAL_DEVELOPMENT,
    "training_hours_credit": RecognitionCategory.TRAINING_HOURS,
    "contest_award": RecognitionCategory.CONTEST,
    "stipend": RecognitionCategory.STIPEND,
}
KEY_BY_CATEGORY = {category: key for key, category in CATEGORY_BY_KEY.items()}
CATEGORIES = tuple(RecognitionCategory)
MAX_PREFERENCE = 5
ASK = "ask"


class ScenarioError(ValueError):
    """A scenario that cannot be planned as it is; `problems` lists every reason, translated."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Budget:
    """What the plan may spend; None means no limit."""

    money: Decimal | None = None
    staff_hours: Decimal | None = None
    material_items: int | None = None


@dataclass(frozen=True)
class Rules:
    """The manager's rules for the period.

    `no_repeat_months` is how far back `Mentor.recent` was gathered: the planner never gives an
    option a mentor received within that window (listed in `recent`), nor twice in one plan.
    """

    min_per_mentor: int = 1
    max_per_mentor: int = 3
    one_per_moment: bool = True
    no_repeat_months: int = 12


@dataclass(frozen=True)
class Moment:
    key: str
    date: datetime.date
    kind: str = ""
    # How people call it ("Relève 2026: end of the cycle"); the key when empty. Not part of the
    # moment's identity: the same moment reads differently in each language.
    label: str = field(default="", compare=False)
    # The keys of the only mentors it is a moment of (their anniversary), or None for everyone.
    mentors: frozenset | None = None


@dataclass(frozen=True)
class Option:
    """One catalog option. `moments` holds the moment keys it can be given at (None: any)."""

    key: str
    category: RecognitionCategory
    visibility: str = Visibility.PRIVATE
    cost: Decimal = Decimal(0)
    staff_hours: Decimal = Decimal(0)
    material_items: int = 0
    capacity: int | None = None
    moments: tuple | None = None
    min_hours: Decimal = Decimal(0)
    min_tenure_years: Decimal = Decimal(0)
    contest_winners_only: bool = False
    name: str = ""
    formality: str | None = None
    scope: str | None = None
    nature: str | None = None
    # How well the option suits the organisation's culture (culture.culture_fit's score), or
    # None for neutral.
    culture_fit: float | None = None
    # The option it is a copy of, when one option with a monthly or quarterly capacity is
    # given as one copy per period (each with its period's moments and capacity): a mentor
    # receives at most one of a family, and `Mentor.recent` names the family. None: its own.
    family: str | None = None

    @property
    def family_key(self):
        return self.family or self.key

    @property
    def public(self):
        return self.visibility == Visibility.PUBLIC

    @property
    def label(self):
        return self.name or self.key


@dataclass(frozen=True)
class Mentor:
    """An active mentor. `public_consent` is True, False or "ask" (asked each time)."""

    key: str
    name: str = ""
    hours: Decimal = Decimal(0)
    tenure_years: Decimal = Decimal(0)
    # How many people they mentored in the year (their pairings).
    mentees: int = 0
    public_consent: bool | str = False
    # {RecognitionCategory: 0..5}; a category left out counts as 0.
    preferences: dict = field(default_factory=dict, hash=False, compare=True)
    recent: tuple = ()
    recent_categories: tuple = ()
    preferred_moment_kinds: tuple = ()
    contest_winner: bool = False
    # The categories the mentor has not rated: their preference is a stand-in, and the reasons
    # must not quote it as the mentor's own.
    unrated: tuple = ()
    # What other approved plans already give them in the period: how many recognitions, and
    # the keys of the moments they take. They count towards the minimum and the maximum, and
    # those moments are not free.
    taken: int = 0
    taken_moments: tuple = ()

    @property
    def label(self):
        return self.name or self.key

    def preference(self, category):
        return int(self.preferences.get(category, 0) or 0)

    def consents_to_public(self, *, locked=False):
        """True when a public option may go to this mentor; "ask" only counts for a locked line,
        where the manager has asked."""
        return self.public_consent is True or (locked and self.public_consent == ASK)


@dataclass(frozen=True)
class Line:
    """One recognition in a plan: who, what, when."""

    mentor: str
    option: str
    moment: str


@dataclass(frozen=True)
class Scenario:
    currency: str
    budget: Budget
    rules: Rules
    moments: tuple
    options: tuple
    mentors: tuple
    locked: tuple = ()
    # The organisation's culture leanings ({CultureProfile axis field: -2..2}), used for the
    # options without a `culture_fit` of their own; None: no culture described.
    culture: dict | None = field(default=None, hash=False, compare=True)

    def culture_fit(self, option):
        """The option's culture fit in [0, 1]: its own, else culture.culture_fit's score on the
        axes the option states, else neutral."""
        if option.culture_fit is not None:
            return option.culture_fit
        if not self.culture:
            return NEUTRAL_SCORE
        leanings = {}
        for axis in AXES:
            known = getattr(option, axis.character) is not None
            leanings[axis.leaning] = int(self.culture.get(axis.leaning, 0) or 0) if known else 0
        return culture_fit(SimpleNamespace(**leanings), option).score

    @classmethod
    def from_json(cls, text):
        """The scenario of the issue's IN format (JSON text); raises ScenarioError."""
        return scenario_from_json(text)

    def to_json(self):
        return scenario_to_json(self)

    def validate(self):
        """Raise ScenarioError listing every problem (unknown keys, negative amounts...)."""
        problems = scenario_problems(self)
        if problems:
            raise ScenarioError(problems)
        return self


def _duplicates(keys):
    seen, duplicated = set(), []
    for key in keys:
        if key in seen and key not in duplicated:
            duplicated.append(key)
        seen.add(key)
    return duplicated


def scenario_problems(scenario):
    """Every reason the scenario cannot be planned as written, in the active language."""
    problems = []
    rules = scenario.rules
    if rules.min_per_mentor < 0 or rules.max_per_mentor < 0:
        problems.append(_("The minimum and maximum recognitions per mentor cannot be negative."))
    if rules.min_per_mentor > rules.max_per_mentor:
        problems.append(
            _("The minimum recognitions per mentor (%(min)s) is above the maximum (%(max)s).")
            % {"min": rules.min_per_mentor, "max": rules.max_per_mentor}
        )
    for resource, amount in (
        (_("money"), scenario.budget.money),
        (_("staff hours"), scenario.budget.staff_hours),
        (_("material items"), scenario.budget.material_items),
    ):
        if amount is not None and amount < 0:
            problems.append(
                _("The budget's %(resource)s cannot be negative.") % {"resource": resource}
            )
    for label, keys in (
        (_("moment"), [moment.key for moment in scenario.moments]),
        (_("option"), [option.key for option in scenario.options]),
        (_("mentor"), [mentor.key for mentor in scenario.mentors]),
    ):
        for key in _duplicates(keys):
            problems.append(
                _("The %(what)s “%(key)s” appears twice.") % {"what": label, "key": key}
            )
    moment_keys = {moment.key for moment in scenario.moments}
    option_keys = {option.key for option in scenario.options}
    mentor_keys = {mentor.key for mentor in scenario.mentors}
    for option in scenario.options:
        if option.category not in CATEGORIES:
            problems.append(
                _("The option “%(key)s” has an unknown category “%(category)s”.")
                % {"key": option.key, "category": option.category}
            )
        if option.cost < 0 or option.staff_hours < 0 or option.material_items < 0:
            problems.append(_("The option “%(key)s” has a negative cost.") % {"key": option.key})
        if option.capacity is not None and option.capacity < 0:
            problems.append(
                _("The option “%(key)s” has a negative capacity.") % {"key": option.key}
            )
        for moment in option.moments or ():
            if moment not in moment_keys:
                problems.append(
                    _("The option “%(key)s” names an unknown moment “%(moment)s”.")
                    % {"key": option.key, "moment": moment}
                )
    for mentor in scenario.mentors:
        if mentor.hours < 0 or mentor.tenure_years < 0:
            problems.append(
                _("The mentor “%(key)s” has negative hours or tenure.") % {"key": mentor.key}
            )
        for category, score in mentor.preferences.items():
            if category not in CATEGORIES:
                problems.append(
                    _("The mentor “%(key)s” rates an unknown category “%(category)s”.")
                    % {"key": mentor.key, "category": category}
                )
            elif not 0 <= score <= MAX_PREFERENCE:
                problems.append(
                    _("The mentor “%(key)s” rates “%(category)s” %(score)s; scores go from 0 to 5.")
                    % {"key": mentor.key, "category": KEY_BY_CATEGORY[category], "score": score}
                )
    for axis, leaning in (scenario.culture or {}).items():
        if axis not in {axis.leaning for axis in AXES} or leaning not in range(-2, 3):
            problems.append(
                _("The culture leaning “%(axis)s” must be one of %(axes)s, from -2 to 2.")
                % {"axis": axis, "axes": ", ".join(axis.leaning for axis in AXES)}
            )
    for line in scenario.locked:
        for what, key, known in (
            (_("mentor"), line.mentor, mentor_keys),
            (_("option"), line.option, option_keys),
            (_("moment"), line.moment, moment_keys),
        ):
            if key not in known:
                problems.append(
                    _("A locked line names an unknown %(what)s “%(key)s”.")
                    % {"what": what, "key": key}
                )
    for line in _duplicates(scenario.locked):
        problems.append(
            _("The locked line %(mentor)s / %(option)s / %(moment)s appears twice.")
            % {"mentor": line.mentor, "option": line.option, "moment": line.moment}
        )
    return problems


def _decimal(value, default=None):
    if value is None:
        return default
    return Decimal(str(value))


def _category(key):
    if key in CATEGORY_BY_KEY:
        return CATEGORY_BY_KEY[key]
    # The catalog's own values are accepted too, so a scenario built from the models reads back.
    if key in CATEGORIES:
        return RecognitionCategory(key)
    raise ScenarioError([_("Unknown category “%(key)s”.") % {"key": key}])


def _consent(value):
    if value in (True, "yes"):
        return True
    if value == ASK:
        return ASK
    return False


def scenario_from_dict(data):
    """A Scenario from the issue's IN format (already parsed). Raises ScenarioError."""
    try:
        budget = data.get("budget") or {}
        rules = data.get("rules") or {}
        scenario = Scenario(
            currency=data.get("currency", "CAD"),
            budget=Budget(
                money=_decimal(budget.get("money")),
                staff_hours=_decimal(budget.get("staff_hours")),
                material_items=None
                if budget.get("material_items") is None
                else int(budget["material_items"]),
            ),
            rules=Rules(
                min_per_mentor=int(rules.get("min_per_mentor", 1)),
                max_per_mentor=int(rules.get("max_per_mentor", 3)),
                one_per_moment=bool(rules.get("one_per_moment", True)),
                no_repeat_months=int(rules.get("no_repeat_months", 12)),
            ),
            moments=tuple(
                Moment(
                    key=str(moment["key"]),
                    date=datetime.date.fromisoformat(moment["date"]),
                    kind=moment.get("kind", ""),
                    mentors=None
                    if moment.get("mentors") is None
                    else frozenset(str(key) for key in moment["mentors"]),
                )
                for moment in data.get("moments", [])
            ),
            options=tuple(
                Option(
                    key=str(option["key"]),
                    category=_category(option["category"]),
                    visibility=option.get("visibility", Visibility.PRIVATE),
                    cost=_decimal(option.get("cost"), Decimal(0)),
                    staff_hours=_decimal(option.get("staff_hours"), Decimal(0)),
                    material_items=int(option.get("material_items", 0) or 0),
                    capacity=None if option.get("capacity") is None else int(option["capacity"]),
                    moments=None
                    if option.get("moments") is None
                    else tuple(str(key) for key in option["moments"]),
                    min_hours=_decimal(option.get("min_hours"), Decimal(0)),
                    min_tenure_years=_decimal(option.get("min_tenure_years"), Decimal(0)),
                    contest_winners_only=bool(option.get("contest_winners_only", False)),
                    name=option.get("name", ""),
                    formality=option.get("formality"),
                    scope=option.get("scope"),
                    nature=option.get("nature"),
                    culture_fit=None
                    if option.get("culture_fit") is None
                    else float(option["culture_fit"]),
                    family=None if option.get("family") is None else str(option["family"]),
                )
                for option in data.get("options", [])
            ),
            mentors=tuple(
                Mentor(
                    key=str(mentor["key"]),
                    name=mentor.get("name", ""),
                    hours=_decimal(mentor.get("hours"), Decimal(0)),
                    tenure_years=_decimal(mentor.get("tenure_years"), Decimal(0)),
                    mentees=int(mentor.get("mentees", 0) or 0),
                    public_consent=_consent(mentor.get("public_consent", False)),
                    preferences={
                        _category(key): int(score)
                        for key, score in (mentor.get("preferences") or {}).items()
                    },
                    recent=tuple(str(key) for key in mentor.get("recent", [])),
                    recent_categories=tuple(
                        _category(key) for key in mentor.get("recent_categories", [])
                    ),
                    preferred_moment_kinds=tuple(mentor.get("preferred_moment_kinds", [])),
                    contest_winner=bool(mentor.get("contest_winner", False)),
                    unrated=tuple(_category(key) for key in mentor.get("unrated", [])),
                    taken=int(mentor.get("taken", 0) or 0),
                    taken_moments=tuple(str(key) for key in mentor.get("taken_moments", [])),
                )
                for mentor in data.get("mentors", [])
            ),
            culture=data.get("culture") or None,
            locked=tuple(
                Line(
                    mentor=str(line["mentor"]),
                    option=str(line["option"]),
                    moment=str(line["moment"]),
                )
                for line in data.get("locked", [])
            ),
        )
    except ScenarioError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ScenarioError(
            [_("The scenario cannot be read: %(error)s") % {"error": error}]
        ) from error
    return scenario.validate()


def scenario_from_json(text):
    """A Scenario from the issue's IN format as JSON text. Raises ScenarioError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(
            [_("The scenario is not valid JSON: %(error)s") % {"error": error}]
        ) from error
    if not isinstance(data, dict):
        raise ScenarioError([_("The scenario must be a JSON object.")])
    return scenario_from_dict(data)


def _number(value):
    if value is None:
        return None
    return float(value)


def _moment_dict(moment):
    data = {"key": moment.key, "date": moment.date.isoformat(), "kind": moment.kind}
    if moment.mentors is not None:
        data["mentors"] = sorted(moment.mentors)
    return data


def scenario_to_dict(scenario):
    """The IN format of `scenario` (categories with the issue's keys, amounts as numbers)."""
    return {
        "currency": scenario.currency,
        "budget": {
            "money": _number(scenario.budget.money),
            "staff_hours": _number(scenario.budget.staff_hours),
            "material_items": scenario.budget.material_items,
        },
        "rules": {
            "min_per_mentor": scenario.rules.min_per_mentor,
            "max_per_mentor": scenario.rules.max_per_mentor,
            "one_per_moment": scenario.rules.one_per_moment,
            "no_repeat_months": scenario.rules.no_repeat_months,
        },
        "moments": [_moment_dict(moment) for moment in scenario.moments],
        "options": [
            {
                "key": option.key,
                "name": option.name,
                "category": KEY_BY_CATEGORY[option.category],
                "visibility": str(option.visibility),
                "formality": option.formality,
                "scope": option.scope,
                "nature": option.nature,
                "cost": _number(option.cost),
                "staff_hours": _number(option.staff_hours),
                "material_items": option.material_items,
                "capacity": option.capacity,
                "moments": None if option.moments is None else list(option.moments),
                "min_hours": _number(option.min_hours),
                "min_tenure_years": _number(option.min_tenure_years),
                "contest_winners_only": option.contest_winners_only,
                "culture_fit": option.culture_fit,
                "family": option.family,
            }
            for option in scenario.options
        ],
        "mentors": [
            {
                "key": mentor.key,
                "name": mentor.name,
                "hours": _number(mentor.hours),
                "tenure_years": _number(mentor.tenure_years),
                "mentees": mentor.mentees,
                "public_consent": mentor.public_consent,
                "preferences": {
                    KEY_BY_CATEGORY[category]: score
                    for category, score in sorted(mentor.preferences.items())
                },
                "recent": list(mentor.recent),
                "recent_categories": [KEY_BY_CATEGORY[c] for c in mentor.recent_categories],
                "preferred_moment_kinds": list(mentor.preferred_moment_kinds),
                "contest_winner": mentor.contest_winner,
                "unrated": [KEY_BY_CATEGORY[c] for c in mentor.unrated],
                "taken": mentor.taken,
                "taken_moments": list(mentor.taken_moments),
            }
            for mentor in scenario.mentors
        ],
        "culture": scenario.culture,
        "locked": [
            {"mentor": line.mentor, "option": line.option, "moment": line.moment}
            for line in scenario.locked
        ],
    }


def scenario_to_json(scenario):
    return json.dumps(scenario_to_dict(scenario), ensure_ascii=False, indent=1)
