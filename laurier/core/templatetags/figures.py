from django import template

from laurier.core.figures import format_percent

register = template.Library()


@register.filter(name="percent")
def percent_filter(value, digits=0):
    """`{{ share|percent }}`, `{{ share|percent:1 }}`: "5%" in English, "5 %" in French."""
    return format_percent(value, int(digits))
