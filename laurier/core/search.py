"""Word search shared by the list pages."""

from django.db.models import Q


def matches_every_word(search, fields):
    """A condition true when every word of `search` is in at least one of `fields`.

    Words are compared without case; an empty search matches everything.
    """
    condition = Q()
    for word in search.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition
