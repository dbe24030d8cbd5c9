"""Figures of the campaign pages."""

from django import template

from ..selectors.results import percent

register = template.Library()


@register.filter
def percent_of(part, whole):
    """`answered|percent_of:recipients`: the one displayed percentage (None without a whole)."""
    return percent(part or 0, whole)
