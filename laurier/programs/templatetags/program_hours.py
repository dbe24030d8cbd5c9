from django import template

from laurier.programs.selectors import hours_from_minutes

register = template.Library()


@register.filter
def hours(minutes):
    """Minutes summed by a selector, shown as hours with one decimal."""
    return hours_from_minutes(minutes)
