"""Percentages: computed one way, written the reader's way."""

from django.template import Context, Template
from django.utils import translation

from laurier.core.figures import format_percent, percent, percents_adding_to_100


def render(text, **context):
    return Template("{% load figures %}" + text).render(Context(context))


def test_a_percentage_is_rounded_to_whole_numbers_unless_asked_for_decimals():
    assert (percent(1, 3), percent(1, 3, digits=1)) == (33, 33.3)


def test_a_percentage_of_nothing_is_no_figure():
    assert percent(0, 0) is None


def test_english_writes_the_percent_sign_against_the_number():
    with translation.override("en"):
        assert render("{{ share|percent }}", share=5) == "5%"


def test_french_puts_a_space_before_the_percent_sign():
    with translation.override("fr-ca"):
        assert render("{{ share|percent:1 }}", share=33.3) == "33,3 %"


def test_no_percentage_reads_as_a_dash():
    assert format_percent(None) == "—"


def test_percents_adding_to_100_give_the_rounding_to_the_largest_remainders():
    assert percents_adding_to_100([1, 1, 1]) == [34, 33, 33]
    assert percents_adding_to_100([1, 2, 7]) == [10, 20, 70]
    assert percents_adding_to_100([0, 0]) == [None, None]
    assert sum(percents_adding_to_100([3, 5, 7, 11])) == 100
