from decimal import Decimal

from django.utils import translation

from laurier.core.money import format_money, to_cents


def test_amounts_round_half_up_to_the_cent():
    assert to_cents(Decimal("2.345")) == Decimal("2.35")
    assert to_cents(Decimal("2.344")) == Decimal("2.34")
    assert to_cents("10") == Decimal("10.00")


def test_french_readers_see_the_symbol_after_the_amount():
    with translation.override("fr-ca"):
        assert (
            format_money(Decimal("1234.5"), "CAD") == "1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}$"
        )


def test_english_readers_see_the_symbol_first():
    with translation.override("en"):
        assert format_money(Decimal("1234.5"), "CAD") == "$1,234.50"
        assert format_money(Decimal("20"), "USD") == "US$20.00"


def test_a_missing_amount_shows_nothing():
    assert format_money(None, "CAD") == ""
