from decimal import Decimal

from django import forms
from django.utils import translation

from laurier.core.widgets import DecimalInput


class AmountForm(forms.Form):
    amount = forms.DecimalField(localize=True, widget=DecimalInput, decimal_places=2)


def test_french_readers_type_a_decimal_comma():
    with translation.override("fr-ca"):
        form = AmountForm({"amount": "12,50"})
        assert form.is_valid()
        assert form.cleaned_data["amount"] == Decimal("12.50")


def test_a_decimal_point_still_works_on_a_french_page():
    with translation.override("fr-ca"):
        form = AmountForm({"amount": "12.50"})
        assert form.is_valid()
        assert form.cleaned_data["amount"] == Decimal("12.50")


def test_english_readers_type_a_decimal_point():
    with translation.override("en"):
        form = AmountForm({"amount": "12.50"})
        assert form.is_valid()
        assert form.cleaned_data["amount"] == Decimal("12.50")


def test_the_amount_is_shown_back_with_the_reader_s_separator():
    with translation.override("fr-ca"):
        html = str(AmountForm(initial={"amount": Decimal("12.5")})["amount"])
    assert 'value="12,5' in html
    assert 'inputmode="decimal"' in html
