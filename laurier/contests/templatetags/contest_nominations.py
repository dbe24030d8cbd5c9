"""The member's space shows "Nominate a mentor" while a contest they may nominate in is open,
without its view having to know about contests."""

from django import template

from ..services.nominations import has_open_edition

register = template.Library()


@register.simple_tag
def can_nominate(membership, person):
    """Whether `membership` (with its Person, or None) may nominate in an open edition now.
    One query."""
    if membership is None:
        return False
    return has_open_edition(membership, person)
