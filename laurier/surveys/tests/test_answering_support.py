"""Surveys the answering tests share: one question of every kind, and a conditional one."""

import datetime
from types import SimpleNamespace

from django.core.cache import cache
from django.utils import timezone

from laurier.surveys.models import Question
from laurier.testing import factories


def clear_rate_limits():
    # The rate limits count in the cache, which outlives one test.
    cache.clear()


def every_kind_survey(organisation, **survey_fields):
    """A survey with one question of every kind; `other` reveals `other_text`."""
    survey = factories.SurveyFactory(organisation=organisation, frozen=True, **survey_fields)
    make = factories.QuestionFactory
    single = make(survey=survey, kind=Question.Kind.SINGLE_CHOICE, required=True)
    multiple = make(survey=survey, kind=Question.Kind.MULTIPLE_CHOICE)
    other_text = make(survey=survey, kind=Question.Kind.SHORT_TEXT, required=True)
    ranking = make(survey=survey, kind=Question.Kind.RANKING)
    likert = make(survey=survey, kind=Question.Kind.LIKERT, required=True)
    rating = make(survey=survey, kind=Question.Kind.RATING)
    score = make(survey=survey, kind=Question.Kind.SCORE)
    short = make(survey=survey, kind=Question.Kind.SHORT_TEXT)
    long = make(survey=survey, kind=Question.Kind.LONG_TEXT)
    choice = factories.ChoiceFactory
    yes, no = choice(question=single, text_en="Yes"), choice(question=single, text_en="No")
    network = choice(question=multiple, text_en="Network", text_fr="Réseau")
    other = choice(question=multiple, text_en="Other", text_fr="Autre")
    first, second, third = (choice(question=ranking) for _ in range(3))
    other_text.shown_if_choice = other
    other_text.save()
    return SimpleNamespace(
        survey=survey,
        single=single,
        multiple=multiple,
        other_text=other_text,
        ranking=ranking,
        likert=likert,
        rating=rating,
        score=score,
        short=short,
        long=long,
        yes=yes,
        no=no,
        network=network,
        other=other,
        ranked=(first, second, third),
    )


def minimal_post(kinds, **extra):
    """The fewest answers the every-kind survey accepts (its required questions)."""
    data = {f"q{kinds.single.pk}": str(kinds.yes.pk), f"q{kinds.likert.pk}": "4"}
    data.update(extra)
    return data


def full_post(kinds):
    """An answer to every question of the every-kind survey."""
    first, second, third = kinds.ranked
    ranking = f"q{kinds.ranking.pk}-rank-"
    return {
        f"q{kinds.single.pk}": str(kinds.no.pk),
        f"q{kinds.multiple.pk}": [str(kinds.network.pk), str(kinds.other.pk)],
        f"q{kinds.other_text.pk}": "Giving back",
        f"{ranking}{first.pk}": "2",
        f"{ranking}{second.pk}": "3",
        f"{ranking}{third.pk}": "1",
        f"q{kinds.likert.pk}": "5",
        f"q{kinds.rating.pk}": "0",
        f"q{kinds.score.pk}": "10",
        f"q{kinds.short.pk}": "Short",
        f"q{kinds.long.pk}": "A longer answer.",
    }


def open_for(days):
    return timezone.now() + datetime.timedelta(days=days)
