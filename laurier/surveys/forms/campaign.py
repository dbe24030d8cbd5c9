"""Forms of survey campaigns: the launch form and the search that picks people one by one."""

import datetime
import zoneinfo

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from laurier.core.dates import organisation_today
from laurier.core.widgets import DateInput
from laurier.programs.models import EnrolmentStatus

from ..models import Campaign
from ..selectors.campaigns import PeopleRole


class PersonIdsField(forms.TypedMultipleChoiceField):
    """Person ids ticked in the page; the service checks they are enrolled in the program.

    Listing every enrolled person as a choice would load 10,000 people to validate a form.
    """

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value):
        return str(value).isdigit()


class CampaignForm(forms.Form):
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    survey = forms.ModelChoiceField(label=capfirst(_("survey")), queryset=None)
    name = forms.CharField(
        label=capfirst(_("name")),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the survey's title and the cycle."),
    )
    cycle = forms.ModelChoiceField(
        label=capfirst(_("cycle")), queryset=None, required=False, empty_label=_("No cycle")
    )
    audience = forms.ChoiceField(
        label=_("Send it to"), choices=Campaign.Audience.choices, widget=forms.RadioSelect
    )
    people = PersonIdsField(label=_("People I choose"))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        help_text=_("People can answer, and change their answers, until the end of this day."),
    )
    remind_after_days = forms.IntegerField(
        label=_("Remind those who have not answered after (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty for no automatic reminder."),
    )

    def __init__(self, *args, program, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["survey"].queryset = surveys
        self.fields["survey"].label_from_instance = lambda survey: (
            f"{survey.title} ({survey.get_purpose_display()})"
        )
        self.fields["cycle"].queryset = program.cycles.order_by("-starts_on")

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on <= organisation_today(self.program.organisation):
            raise forms.ValidationError(_("Choose a closing date after today."))
        return closes_on

    def clean(self):
        cleaned = super().clean()
        closes_on = cleaned.get("closes_on")
        days = cleaned.get("remind_after_days")
        if closes_on and days:
            today = organisation_today(self.program.organisation)
            if today + datetime.timedelta(days=days) > closes_on:
                self.add_error(
                    "remind_after_days",
                    _("The reminder must leave before the closing date."),
                )
        if cleaned.get("audience") == Campaign.Audience.CHOSEN and not cleaned.get("people"):
            self.add_error("people", _("Choose at least one person."))
        return cleaned

    @property
    def closes_at(self):
        """The end of the closing day where the organisation is."""
        closes_on = self.cleaned_data["closes_on"]
        zone = zoneinfo.ZoneInfo(self.program.organisation.time_zone)
        return datetime.datetime.combine(closes_on, datetime.time(23, 59, 59), tzinfo=zone)

    def chosen_ids(self):
        """The ticked person ids, read even when the rest of the form is not valid."""
        return {int(value) for value in self.data.getlist("people") if str(value).isdigit()}


class AudienceSearchForm(forms.Form):
    """Find the program's people to pick: by name, role and enrolment status."""

    q = forms.CharField(label=_("Find people"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[
            ("", _("Mentors and mentees")),
            (PeopleRole.MENTORS, _("Mentors")),
            (PeopleRole.MENTEES, _("Mentees")),
        ],
    )
    status = forms.ChoiceField(
        label=capfirst(_("status")),
        required=False,
        choices=[("", _("All"))] + EnrolmentStatus.choices,
    )

    def filters(self):
        if not self.is_valid():
            return {"search": "", "role": "", "status": ""}
        return {
            "search": self.cleaned_data["q"].strip(),
            "role": self.cleaned_data["role"],
            "status": self.cleaned_data["status"],
        }
