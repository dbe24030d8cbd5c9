"""Dates as the organisation sees them."""

import zoneinfo

from django.utils import timezone


def organisation_today(organisation):
    """Today's date where the organisation is, whatever the server's time zone.

    It decides what counts as the future (a session cannot be logged before it
    happens) and which month and year a dashboard shows.
    """
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organisation.time_zone))
