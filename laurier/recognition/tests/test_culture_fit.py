"""culture_fit: a score in [0, 1], with the clashes and mismatches that lower it."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from laurier.recognition.categories import Formality, Nature, Scope, Visibility
from laurier.recognition.culture import NEUTRAL_SCORE, culture_fit, rank_by_fit


def culture(public=0, formal=0, individual=0, symbolic=0):
    return SimpleNamespace(
        public_or_private=public,
        formal_or_informal=formal,
        individual_or_collective=individual,
        symbolic_or_material=symbolic,
    )


def option(
    visibility=Visibility.PUBLIC,
    formality=Formality.FORMAL,
    scope=Scope.INDIVIDUAL,
    nature=Nature.SYMBOLIC,
):
    return SimpleNamespace(visibility=visibility, formality=formality, scope=scope, nature=nature)


def test_without_a_profile_every_option_is_neutral():
    fit = culture_fit(None, option())

    assert fit.score == NEUTRAL_SCORE == 0.5
    assert fit.clashes == [] and fit.mismatches == []
    assert fit.level == "neutral"


def test_a_profile_without_leanings_is_neutral():
    assert culture_fit(culture(), option()).score == 0.5


def test_an_option_where_the_culture_leans_on_every_axis_fits_perfectly():
    fit = culture_fit(culture(public=2, formal=1, individual=2, symbolic=1), option())

    assert fit.score == 1
    assert fit.level == "fit"


def test_an_option_at_every_opposite_pole_scores_zero():
    opposite = option(Visibility.PRIVATE, Formality.INFORMAL, Scope.COLLECTIVE, Nature.MATERIAL)

    fit = culture_fit(culture(public=2, formal=2, individual=1, symbolic=1), opposite)

    assert fit.score == 0
    assert len(fit.clashes) == 2
    assert len(fit.mismatches) == 2


def test_a_strong_leaning_against_the_option_is_a_clash_with_its_reason():
    with translation.override("en"):
        fit = culture_fit(culture(public=-2), option(visibility=Visibility.PUBLIC))

    assert fit.score == 0
    assert fit.level == "clash"
    assert [c.axis for c in fit.clashes] == ["public_or_private"]
    assert fit.clashes[0].reason == "Public, while your culture prefers private recognition"


def test_a_mild_leaning_against_the_option_is_a_mismatch_not_a_clash():
    with translation.override("en"):
        fit = culture_fit(culture(formal=1), option(formality=Formality.INFORMAL))

    assert fit.clashes == []
    assert fit.level == "mismatch"
    assert fit.reasons == ["Informal, while your culture leans towards formal recognition"]


def test_agreements_and_disagreements_are_weighed_by_how_strongly_the_culture_leans():
    # Agrees on public (+2), disagrees on formal (-1): 0.5 + 1 / (2 * 3).
    fit = culture_fit(culture(public=2, formal=1), option(formality=Formality.INFORMAL))

    assert fit.score == pytest.approx(0.5 + 1 / 6)
    # Partly at odds (a mild mismatch): the score out of 100 stays in that verdict's band.
    assert fit.percent == 55


def test_axes_without_a_leaning_do_not_count():
    fit = culture_fit(
        culture(symbolic=-2), option(visibility=Visibility.PRIVATE, nature=Nature.MATERIAL)
    )

    assert fit.score == 1


def test_reasons_are_translated_in_the_reader_language():
    with translation.override("fr-ca"):
        french = culture_fit(culture(public=-2), option()).reasons
    with translation.override("en"):
        english = culture_fit(culture(public=-2), option()).reasons

    assert english == ["Public, while your culture prefers private recognition"]
    assert len(french) == 1


def test_ranking_puts_the_best_fit_first_and_clashes_last():
    profile = culture(public=-2, formal=1, symbolic=1)
    clash_but_formal = option(visibility=Visibility.PUBLIC)
    perfect = option(visibility=Visibility.PRIVATE)
    mismatch = option(visibility=Visibility.PRIVATE, formality=Formality.INFORMAL)

    ranked = [o for o, _fit in rank_by_fit(profile, [clash_but_formal, mismatch, perfect])]

    assert ranked == [perfect, mismatch, clash_but_formal]


def test_ranking_keeps_the_given_order_between_equal_fits():
    first, second = option(), option()

    ranked = [o for o, _fit in rank_by_fit(None, [first, second])]

    assert ranked[0] is first and ranked[1] is second
