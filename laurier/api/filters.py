"""Filters shared by the API's lists."""

import django_filters
from django import forms

# The largest id a database row can have (PostgreSQL's bigint, SQLite's integer).
LARGEST_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter by the id of a related row (`IdFilter(field_name="program_id")`).

    By id, never by a choice among rows: another organisation's id then simply matches nothing,
    rather than telling that it exists. Anything but a whole number in the range of ids is a
    400, never a database error.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)
