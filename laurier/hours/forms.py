from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from .models import (
    LONGEST_SESSION_MINUTES,
    SHORTEST_SESSION_MINUTES,
    SessionFormat,
    SessionSetting,
)


def pairing_label(pairing):
    return _("%(mentor)s → %(mentee)s (since %(date)s)") % {
        "mentor": pairing.mentor.full_name,
        "mentee": pairing.mentee.full_name,
        "date": pairing.starts_on.isoformat(),
    }


class PairingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return pairing_label(obj)


class SessionFactsForm(forms.Form):
    """What is said about a session, whoever logs it."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=SHORTEST_SESSION_MINUTES,
        max_value=LONGEST_SESSION_MINUTES,
        initial=60,
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=SessionFormat.choices, initial=SessionFormat.ONE_TO_ONE
    )
    setting = forms.ChoiceField(
        label=_("Where"), choices=SessionSetting.choices, initial=SessionSetting.IN_PERSON
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(SessionFactsForm):
    """A session logged on one pairing chosen among `pairings`."""

    field_order = ["pairing"]

    def __init__(self, *args, pairings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"] = PairingChoiceField(label=_("Pairing"), queryset=pairings)
        self.order_fields(["pairing", *self.field_order])


class SessionFilterForm(forms.Form):
    """The filters of a program's session list (all optional, read from the query string)."""

    CONFIRMED_CHOICES = [("", _("All")), ("yes", _("Confirmed")), ("no", _("Not confirmed"))]

    q = forms.CharField(label=_("Mentor or mentee"), required=False)
    held_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    held_until = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("All")), *SessionFormat.choices]
    )
    setting = forms.ChoiceField(
        label=_("Where"), required=False, choices=[("", _("All")), *SessionSetting.choices]
    )
    confirmed = forms.ChoiceField(label=_("Confirmed"), required=False, choices=CONFIRMED_CHOICES)

    # A program can hold thousands of pairings: too many for a list to choose from. The
    # pairing filter comes from links (a pairing's "sessions"), and name search covers the rest.
    pairing = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput, label=_("Pairing")
    )

    def __init__(self, *args, pairings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = pairings

    def filters(self):
        """Keyword arguments for selectors.filter_sessions; an invalid filter is left out alone."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": data.get("q", "").strip(),
            "held_from": data.get("held_from"),
            "held_until": data.get("held_until"),
            "format": data.get("format", ""),
            "setting": data.get("setting", ""),
            "confirmed": {"yes": True, "no": False}.get(data.get("confirmed")),
            "pairing": data.get("pairing"),
        }


class BulkSessionRowForm(forms.Form):
    """One row of bulk entry; pairings come as ready choices so rows cost no query each."""

    pairing = forms.TypedChoiceField(label=_("Pairing"), coerce=int, empty_value=None)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=SHORTEST_SESSION_MINUTES,
        max_value=LONGEST_SESSION_MINUTES,
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=SessionFormat.choices, initial=SessionFormat.ONE_TO_ONE
    )
    setting = forms.ChoiceField(
        label=_("Where"), choices=SessionSetting.choices, initial=SessionSetting.IN_PERSON
    )

    def __init__(self, *args, pairings_by_id, pairing_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairings_by_id = pairings_by_id
        self.fields["pairing"].choices = pairing_choices

    def has_changed(self):
        # A row left as it came (format and setting keep their defaults) is an empty row.
        filled = ("pairing", "held_on", "duration_minutes")
        return any(self[name].data not in (None, "") for name in filled)

    def clean_pairing(self):
        return self.pairings_by_id.get(self.cleaned_data["pairing"])


def bulk_pairing_choices(pairings_by_id):
    """The pairing choices of a bulk row, labelled once for all the rows of a request."""
    return [("", "---------")] + [
        (pk, pairing_label(pairing)) for pk, pairing in pairings_by_id.items()
    ]


class BaseBulkSessionFormSet(forms.BaseFormSet):
    def __init__(self, *args, pairings_by_id, **kwargs):
        self.pairings_by_id = pairings_by_id
        self.pairing_choices = bulk_pairing_choices(pairings_by_id)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every row may stay blank: the manager fills as many as they need.
        return {
            "pairings_by_id": self.pairings_by_id,
            "pairing_choices": self.pairing_choices,
            "empty_permitted": True,
        }

    @property
    def empty_form(self):
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            pairings_by_id=self.pairings_by_id,
            pairing_choices=self.pairing_choices,
            renderer=self.renderer,
        )

    def filled_rows(self):
        """(form, cleaned data) for the rows that were filled in."""
        return [(form, form.cleaned_data) for form in self.forms if form.has_changed()]


BULK_ROWS = 10
MOST_BULK_ROWS = 500

# absolute_max: a crafted TOTAL_FORMS cannot make the server build more rows than the page offers.
BulkSessionFormSet = forms.formset_factory(
    BulkSessionRowForm,
    formset=BaseBulkSessionFormSet,
    extra=BULK_ROWS,
    max_num=MOST_BULK_ROWS,
    absolute_max=MOST_BULK_ROWS,
    validate_max=True,
)


class TrainingHoursFilterForm(forms.Form):
    q = forms.CharField(label=_("Person"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    with_hours = forms.BooleanField(label=_("Only people with hours"), required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"] = forms.ModelChoiceField(
            label=_("Program"), queryset=programs, required=False, empty_label=_("All")
        )
