from django import template

from laurier.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ option.cost_money|money:organisation.currency }} in the reader's format."""
    return format_money(amount, currency)
