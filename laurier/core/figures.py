"""Percentages: one way to compute them and one way to show them, in both languages."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext


def percent(part, whole, *, digits=0):
    """`part` as a percentage of `whole`, rounded to `digits` decimals (a whole number
    with 0); None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, digits or None)


def format_percent(value, digits=0):
    """A percentage as the reader writes it: "5%" in English, "5 %" in French; "—" for None."""
    if value is None or value == "":
        return "—"
    # Translators: a percentage; French puts a space before the sign ("%(rate)s %%").
    return gettext("%(rate)s%%") % {"rate": floatformat(value, digits)}
