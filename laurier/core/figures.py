"""Figures in words: percentages, and the plural a number takes, in both languages."""

from babel import Locale
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.translation import gettext


def percent(part, whole, *, digits=0):
    """`part` as a percentage of `whole`, rounded to `digits` decimals (a whole number
    with 0); None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, digits or None)


def percents_adding_to_100(counts):
    """Each count's share of their sum in whole percents that add up to exactly 100 (the
    largest remainders get the points rounding left over); all None when the sum is 0."""
    whole = sum(counts)
    if not whole:
        return [None for _count in counts]
    exact = [100 * count / whole for count in counts]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[: 100 - sum(shares)]:
        shares[index] += 1
    return shares


def format_percent(value, digits=0):
    """A percentage as the reader writes it: "5%" in English, "5 %" in French; "—" for None."""
    if value is None or value == "":
        return "—"
    # Translators: a percentage; French puts a space before the sign ("%(rate)s %%").
    return gettext("%(rate)s%%") % {"rate": floatformat(value, digits)}


def plural_count(value):
    """A whole number that makes ngettext pick the form `value` takes in the reader's language.

    gettext's plural rules only know whole numbers, but "1,5 heure" is singular in French and
    "1.5 hours" plural in English: the language's CLDR rule (babel) decides, then 1 stands for
    its singular and 2 for its plural.
    """
    locale = Locale.parse(translation.to_locale(translation.get_language() or "fr-ca"))
    return 1 if locale.plural_form(abs(value)) == "one" else 2
