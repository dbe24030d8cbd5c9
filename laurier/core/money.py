"""Money: Decimal amounts in a currency, rounded to the cent and written as the reader expects."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from django.utils import translation

CENT = Decimal("0.01")


def to_cents(amount):
    """`amount` rounded to the cent, halves away from zero (as accountants round)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _babel_locale():
    language = translation.get_language() or "fr-ca"
    return "fr_CA" if language.startswith("fr") else "en_CA"


def format_money(amount, currency):
    """'1 234,50 $' for a French reader, '$1,234.50' for an English one (Canadian usage)."""
    if amount is None:
        return ""
    return format_currency(to_cents(amount), currency, locale=_babel_locale())
