"""Filters shared by the API's lists."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

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
        # Described as the integer it is, with its label: drf-spectacular cannot tell an id
        # filtered through a method or a foreign key's column from any number.
        schema = {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}
        if self.label:
            schema["description"] = str(self.label)
        set_override(self, "field", schema)


class _MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, turned to UTC: PostgreSQL refuses offsets beyond ±16 hours, which
    ISO 8601 allows, and years out of the database's range would overflow on the way."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        if not 1900 <= moment.year <= 2200:
            raise forms.ValidationError(_("Give a moment between the years 1900 and 2200."))
        return moment.astimezone(datetime.UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    """A filter on a date and time, given in ISO 8601 with its offset."""

    field_class = _MomentField


class YearFilter(django_filters.NumberFilter):
    """A calendar year between 2000 and 2100; anything else a 400, never a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
