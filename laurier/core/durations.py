"""Minutes shown as hours: one rounding for every page and every export."""

from decimal import Decimal

# A tenth of an hour (six minutes) is as precise as people count their mentoring time.
HOURS_PRECISION = Decimal("0.1")


def minutes_to_hours(minutes):
    """Minutes as Decimal hours to the tenth (100 minutes = 1.7 hours; None = 0.0)."""
    return (Decimal(minutes or 0) / 60).quantize(HOURS_PRECISION)
