"""Figures of the campaign pages."""

from django import template

from laurier.core.figures import percent
from laurier.core.templatetags.figures import percent_filter

from ..selectors.results import RESULT_DIGITS

register = template.Library()
# `{{ rate|percent }}`: "5%" in English, "5 %" in French, as everywhere else.
register.filter("percent", percent_filter)


@register.filter
def percent_of(part, whole):
    """`answered|percent_of:recipients`: the one displayed percentage (None without a whole)."""
    return percent(part or 0, whole, digits=RESULT_DIGITS)
