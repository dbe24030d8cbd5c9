"""The form with which an admin makes an API token."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from .scopes import FAMILIES, READ, WRITABLE_FAMILIES, WRITE, scope_name

NO_ACCESS = ""
DEFAULT_LIFE_DAYS = 365


def _access_choices(family):
    choices = [(NO_ACCESS, _("No access")), (READ, _("Read"))]
    if family in WRITABLE_FAMILIES:
        choices.append((WRITE, _("Read and write")))
    return choices


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, e.g. “HR system” or “Mentoring platform”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DateInput(),
        help_text=_("At most two years from today. The token works until the end of that day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=DEFAULT_LIFE_DAYS)
        for family, label, _write in FAMILIES:
            self.fields[f"access_{family}"] = forms.ChoiceField(
                label=label,
                choices=_access_choices(family),
                initial=NO_ACCESS,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def access_fields(self):
        """Each family's field with what writing allows there, for the permissions table."""
        return [(self[f"access_{family}"], write) for family, _label, write in FAMILIES]

    def scopes(self):
        return [
            scope_name(family, self.cleaned_data[f"access_{family}"])
            for family, _label, _write in FAMILIES
            if self.cleaned_data.get(f"access_{family}")
        ]

    def expires_at(self):
        """The end of the chosen day, in the organisation's time zone."""
        day = self.cleaned_data["expires_on"]
        end_of_day = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        return timezone.make_aware(end_of_day)
