"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
