from django import template

from laurier.core.durations import minutes_to_hours

register = template.Library()


@register.filter
def as_hours(minutes):
    """Minutes shown as hours to the tenth, in the reader's number format."""
    return minutes_to_hours(minutes)
