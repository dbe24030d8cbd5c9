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

# The largest id a person may have (a bigint primary key).
MAX_PERSON_ID = 2**63 - 1


def parse_person_ids(values):
    """(ids, rejected): the person ids in `values`, each a ticked id or a comma-separated list.

    Only ASCII digits up to MAX_PERSON_ID are ids: "²" is a digit to Python and a 23-digit
    number overflows the database, so both are rejected rather than crash a query.
    """
    ids, rejected = set(), False
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if part.isascii() and part.isdigit() and int(part) <= MAX_PERSON_ID:
                ids.add(int(part))
            else:
                rejected = True
    return ids, rejected


class PersonIdsField(forms.Field):
    """Person ids: the ticked checkboxes plus ONE hidden field holding the others,
    comma-separated; one input per id would exceed DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) once a
    manager chooses more people. The service checks they are enrolled in the program: listing
    every enrolled person as a choice would load 10,000 people to validate a form."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        ids, rejected = parse_person_ids(value or [])
        if rejected:
            raise forms.ValidationError(
                _("Choose people from the list: some of the chosen ids are not valid."),
                code="invalid_id",
            )
        return sorted(ids)


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

    # Shown only with the warning about a second pulse in a cycle.
    # Named like the warning says and close to the "Send the survey" button it goes with.
    launch_anyway = forms.BooleanField(label=_("Send anyway"), required=False)

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
        """The start of the day after the closing day where the organisation is: people answer
        the whole closing day, up to its last second."""
        return closing_time(self.cleaned_data["closes_on"], self.program.organisation)

    def chosen_ids(self):
        """The chosen person ids, read even when the rest of the form is not valid (invalid
        ones left out)."""
        return parse_person_ids(self.data.getlist("people"))[0]


def closing_time(last_day, organisation):
    """The moment a campaign whose last day is `last_day` closes: midnight at the start of the
    next day in the organisation's time zone (`Campaign.last_day` gives the day back)."""
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    next_day = last_day + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)


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


class RecipientSearchForm(forms.Form):
    """Find a campaign's recipient by name or e-mail."""

    find = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
