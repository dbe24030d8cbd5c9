"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DecimalInput(forms.TextInput):
    """A decimal amount typed as people write it: "12,50" in French, "12.50" in English.

    A number input would read the comma by the browser's locale, not the page's, and can turn
    "12,50" into 1250 without a word. Use it with a localised field (`localize=True`, or the
    ModelForm's `localized_fields`), which parses the page language's separators.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
