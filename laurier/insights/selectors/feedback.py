"""The recognition-feedback survey as insights read it (see `surveys.standard`): its question
keys, and mentors' answers about the recognitions given in the period, with what those cost.

Feedback answers are not anonymous (each belongs to its award), so they are read from the
awards: one grouped query over the awards in scope (their index on program and status), each
joined to its own answers, after a first small query for the feedback questions' ids.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from laurier.core.figures import percents_adding_to_100
from laurier.core.money import to_cents
from laurier.recognition.categories import RecognitionCategory
from laurier.surveys.models import Question, Survey

SATISFACTION = "satisfaction"
RELEVANCE = "relevance"
EXPECTATIONS = "expectations"
# The answers to EXPECTATIONS, in the order pages show them.
EXPECTATION_CHOICES = ("yes", "partly", "no")

# The figures summed when recognitions are added together (an option into its category).
_SUMMED = (
    "given",
    "asked",
    "total_cost",
    "answers",
    "satisfaction_points",
    "relevance_answers",
    "relevance_points",
    "rated_cost",
)


def _average(total, count):
    return round(total / count, 1) if count else None


@dataclass
class Feedback:
    """What mentors answered about a group of recognitions (an option, a category, all of
    them), with how many were given, how many asked for feedback, and what they cost."""

    key: str
    label: str
    given: int = 0
    # Recognitions whose mentor was sent the feedback survey.
    asked: int = 0
    total_cost: Decimal = Decimal(0)
    # Satisfaction answers (1–5) and the sum of their points.
    answers: int = 0
    satisfaction_points: int = 0
    relevance_answers: int = 0
    relevance_points: int = 0
    # The cost of the recognitions that have a satisfaction answer.
    rated_cost: Decimal = Decimal(0)
    # Answers to "did it meet your expectations?" by choice key (EXPECTATION_CHOICES).
    expectations: dict = field(default_factory=lambda: dict.fromkeys(EXPECTATION_CHOICES, 0))
    category: str = ""
    category_label: str = ""

    @property
    def satisfaction(self):
        """Average satisfaction (1–5) to one decimal; None without answers."""
        return _average(self.satisfaction_points, self.answers)

    @property
    def relevance(self):
        return _average(self.relevance_points, self.relevance_answers)

    @property
    def expectation_answers(self):
        return sum(self.expectations.values())

    @property
    def expectation_shares(self):
        """{choice key: whole percent} adding up to 100; every share None without answers."""
        counts = [self.expectations[key] for key in EXPECTATION_CHOICES]
        return dict(zip(EXPECTATION_CHOICES, percents_adding_to_100(counts), strict=True))

    @property
    def average_cost(self):
        return to_cents(self.total_cost / self.given) if self.given else None

    @property
    def cost_per_point(self):
        """Total cost of the rated recognitions ÷ the sum of their satisfaction points."""
        if not self.satisfaction_points:
            return None
        return to_cents(self.rated_cost / self.satisfaction_points)

    def add(self, other):
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key in EXPECTATION_CHOICES:
            self.expectations[key] += other.expectations[key]


def _feedback_questions(scope):
    """The ids of the feedback questions of the programs' feedback campaigns (each campaign
    sends its own copy of the survey: a few a year): {key: [question ids]}, and the
    expectation choices' ids by choice key ({"yes": [ids], ...}). One query."""
    questions = {SATISFACTION: [], RELEVANCE: [], EXPECTATIONS: []}
    choices = {key: [] for key in EXPECTATION_CHOICES}
    rows = (
        Question.objects.filter(
            key__in=questions,
            survey__purpose=Survey.Purpose.FEEDBACK,
            survey__campaigns__program_id__in=scope.program_ids,
        )
        .values_list("pk", "key", "choices__pk", "choices__key")
        .distinct()
    )
    for pk, key, choice_pk, choice_key in rows:
        if pk not in questions[key]:
            questions[key].append(pk)
        if key == EXPECTATIONS and choice_key in choices:
            choices[choice_key].append(choice_pk)
    return questions, choices


def _answer_to(questions):
    """Each award's answer to one of `questions`: a filtered join, at most one row (these
    questions take one answer per response), so awards are never multiplied, and the database
    reaches answers from the awards rather than reading every survey answer."""
    answers = "feedback_request__response__answers"
    return FilteredRelation(answers, condition=Q(**{f"{answers}__question__in": questions}))


def _option_name(row):
    french_first = (translation.get_language() or "fr").startswith("fr")
    names = (row["option__name_fr"], row["option__name_en"])
    first, second = names if french_first else reversed(names)
    return first or second


def _figures_by_option(scope, questions, choices):
    awards = scope.given_in_period().order_by()
    figures = {
        "given": Count("pk"),
        "asked": Count("feedback_request"),
        "total_cost": Sum("spending__money"),
    }
    # Without such a question (no feedback survey sent yet) there is no answer to join.
    if questions[SATISFACTION]:
        awards = awards.annotate(satisfaction_answer=_answer_to(questions[SATISFACTION]))
        figures |= {
            "answers": Count("satisfaction_answer__number"),
            "satisfaction_points": Sum("satisfaction_answer__number"),
            "rated_cost": Sum(
                "spending__money", filter=Q(satisfaction_answer__number__isnull=False)
            ),
        }
    if questions[RELEVANCE]:
        awards = awards.annotate(relevance_answer=_answer_to(questions[RELEVANCE]))
        figures |= {
            "relevance_answers": Count("relevance_answer__number"),
            "relevance_points": Sum("relevance_answer__number"),
        }
    if questions[EXPECTATIONS]:
        awards = awards.annotate(expectation_answer=_answer_to(questions[EXPECTATIONS]))
        figures |= {
            f"expected_{key}": Count("pk", filter=Q(expectation_answer__choice__in=ids))
            for key, ids in choices.items()
            if ids
        }
    grouped = awards.values("option", "option__name_fr", "option__name_en", "option__category")
    return grouped.annotate(**figures)


def feedback_by_option(scope):
    """What mentors answered about the recognitions given in the period (`scope`'s filters,
    given_on in the period), one `Feedback` per recognition option given, in no particular
    order: given, asked, cost, satisfaction, relevance and expectations answers. Two queries."""
    questions, choices = _feedback_questions(scope)
    categories = dict(RecognitionCategory.choices)
    return [
        Feedback(
            key=str(row["option"]),
            label=_option_name(row),
            given=row["given"],
            asked=row["asked"],
            total_cost=row["total_cost"] or Decimal(0),
            answers=row.get("answers", 0),
            satisfaction_points=row.get("satisfaction_points") or 0,
            relevance_answers=row.get("relevance_answers", 0),
            relevance_points=row.get("relevance_points") or 0,
            rated_cost=row.get("rated_cost") or Decimal(0),
            expectations={key: row.get(f"expected_{key}", 0) for key in EXPECTATION_CHOICES},
            category=row["option__category"],
            category_label=str(categories.get(row["option__category"], row["option__category"])),
        )
        for row in _figures_by_option(scope, questions, choices)
    ]


def total_feedback(options):
    """The `Feedback` of every recognition in `options` added together."""
    total = Feedback(key="total", label=_("All recognitions"))
    for option in options:
        total.add(option)
    return total


def feedback(scope):
    """What mentors answered about every recognition given in the period, as one `Feedback`:
    `given`, `asked`, `answers` and `satisfaction` (average 1–5), `relevance_answers` and
    `relevance`, `expectations` ({"yes"|"partly"|"no": count}) and `expectation_shares`
    (percents adding up to 100), `total_cost`, `cost_per_point`. Two queries."""
    return total_feedback(feedback_by_option(scope))
