"""Dates as the organisation sees them."""

import zoneinfo

from django.utils import dateformat, timezone, translation


def organisation_today(organisation):
    """Today's date where the organisation is, whatever the server's time zone.

    It decides what counts as the future (a session cannot be logged before it
    happens) and which month and year a dashboard shows.
    """
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organisation.time_zone))


class QuebecDateFormat(dateformat.DateFormat):
    """Django's date formatting, with the first of the month written "1er" in French.

    French writes the first day as an ordinal ("1er octobre 2026") and the others as cardinals
    ("2 octobre 2026"). No format letter can say that, so the day letter `j` does it, and every
    date written with a format (the `date` filter, `date_format`, e-mails, exports in words)
    follows without each template having to remember.
    """

    def j(self):
        day = super().j()
        if day == 1 and (translation.get_language() or "").startswith("fr"):
            return "1er"
        return day


def write_first_days_as_ordinals_in_french():
    """Make Django's date formatting use QuebecDateFormat (once, when Laurier starts)."""
    dateformat.DateFormat = QuebecDateFormat
