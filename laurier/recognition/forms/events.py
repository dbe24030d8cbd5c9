"""Forms of the event pages: the list's filter, planning or editing an event, inviting,
attendance, cancelling, and the invited person's answer.

The forms check what a manager can fix; `services.events` checks every rule again (a crafted
request cannot bypass them).
"""

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laurier.core.bilingual import in_reader_language
from laurier.core.widgets import DateInput, DecimalInput

from ..models import PROFESSIONAL_DEVELOPMENT_KINDS, EventKind
from ..services.events import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_CAPACITY,
    date_out_of_range,
    only_professional_development,
    too_many_places,
)
from .budgets import new_form_token

__all__ = [
    "AttendanceForm",
    "CancelEventForm",
    "EventFilterForm",
    "EventForm",
    "InviteForm",
    "PeopleSearchForm",
    "RsvpForm",
    "new_form_token",
]

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000
CANCEL_REASON_MAX_LENGTH = 300
HOURS_STEP = Decimal("0.25")


class TimeInput(forms.TimeInput):
    """The browser's time picker; the value is sent as 24-hour HH:MM whatever the language."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind")), *EventKind.choices]

    def value(self, name, default=None):
        """A filter's value, or `default` when missing or not valid."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


def _option_label(option):
    return in_reader_language(option, "name")


def duration_hours(starts_at, ends_at):
    """The hours an event lasts, to the quarter hour, when it is held within one day; None for
    an event over several days (nights are no training)."""
    if starts_at.date() != ends_at.date() or ends_at <= starts_at:
        return None
    seconds = Decimal((ends_at - starts_at).total_seconds())
    quarters = (seconds / 900).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (quarters * HOURS_STEP).quantize(Decimal("0.01"))


class EventForm(forms.Form):
    """An event planned or edited. Its start and end are typed as a day and a time in the
    organisation's time zone, and stored as the moments they are."""

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    name_fr = forms.CharField(label=_("Name (French)"), required=False, max_length=NAME_MAX_LENGTH)
    name_en = forms.CharField(
        label=_("Name (English)"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("One name is enough: each language shows the other when its own is empty."),
    )
    description_fr = forms.CharField(
        label=_("Description (French)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
    )
    start_date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when it ends the same day."),
    )
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("The address, or the room. Leave empty for an event held online only."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The video-call link, sent to the people invited."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_(
            "Leave empty when there is room for everyone invited. Once the places are taken, "
            "the next people who say yes join the waiting list."
        ),
        error_messages={
            "min_value": _("Leave the places empty for no limit, or give at least one.")
        },
    )
    mentors_only = forms.BooleanField(
        label=_("Reserved for mentors"),
        required=False,
        widget=forms.CheckboxInput({"aria-describedby": "mentors-only-help"}),
        help_text=_("Only the program's mentors can be invited."),
    )
    training_hours = forms.DecimalField(
        label=_("Training hours for attending"),
        required=False,
        localize=True,
        widget=DecimalInput,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_(
            "Counted for each person who attends a professional-development event (workshop, "
            "conference, seminar, community-of-practice meetup). Proposed from its duration."
        ),
        error_messages={"min_value": _("Give zero or more hours.")},
    )
    remind_days_before = forms.IntegerField(
        label=_("Remind those who come (days before)"),
        required=False,
        # 0 is the day itself: reminders leave from the start of their day, where the
        # organisation is (services.events.reminder_due_at).
        min_value=0,
        max_value=30,
        help_text=_("0 sends it on the morning of the event. Leave empty to send no reminder."),
    )
    option = forms.ModelChoiceField(
        label=_("Recognition of the catalog"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("Optional: the recognition this event gives, as the catalog names it."),
    )
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, options, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["capacity"].error_messages["max_value"] = too_many_places()
        self.fields["option"].queryset = options
        self.fields["option"].label_from_instance = _option_label

    @classmethod
    def initial_of(cls, event, time_zone):
        """The form's values for an existing event, its times in the organisation's zone."""
        zone = zoneinfo.ZoneInfo(time_zone)
        starts_at = event.starts_at.astimezone(zone)
        ends_at = event.ends_at.astimezone(zone)
        return {
            **{
                name: getattr(event, name)
                for name in (
                    "kind",
                    "name_fr",
                    "name_en",
                    "description_fr",
                    "description_en",
                    "place",
                    "online_url",
                    "capacity",
                    "mentors_only",
                    "training_hours",
                    "remind_days_before",
                )
            },
            "option": event.option_id,
            "start_date": starts_at.date(),
            "start_time": starts_at.time().replace(second=0, microsecond=0),
            "end_date": ends_at.date() if ends_at.date() != starts_at.date() else None,
            "end_time": ends_at.time().replace(second=0, microsecond=0),
        }

    def _moment(self, day, time):
        return datetime.datetime.combine(day, time, tzinfo=self.time_zone)

    def clean(self):
        data = super().clean()
        if not (data.get("name_fr") or "").strip() and not (data.get("name_en") or "").strip():
            self.add_error("name_fr", _("Give the event a name, in French or in English."))
        for name in ("start_date", "end_date"):
            day = data.get(name)
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, date_out_of_range())
                data.pop(name, None)
        start_date, start_time = data.get("start_date"), data.get("start_time")
        end_time = data.get("end_time")
        if start_date and start_time and end_time and "end_date" not in self.errors:
            starts_at = self._moment(start_date, start_time)
            ends_at = self._moment(data.get("end_date") or start_date, end_time)
            if ends_at <= starts_at:
                self.add_error("end_time", _("The event must end after it starts."))
            else:
                data["starts_at"], data["ends_at"] = starts_at, ends_at
        kind = data.get("kind")
        hours = data.get("training_hours")
        professional = kind in PROFESSIONAL_DEVELOPMENT_KINDS
        if hours and not professional:
            self.add_error("training_hours", only_professional_development())
        elif hours is None:
            proposed = None
            if professional and "starts_at" in data:
                proposed = duration_hours(data["starts_at"], data["ends_at"])
            data["training_hours"] = proposed or Decimal("0.00")
        return data

    def service_fields(self):
        """The cleaned values, named as the services name them."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name_fr": data["name_fr"],
            "name_en": data["name_en"],
            "description_fr": data["description_fr"],
            "description_en": data["description_en"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"].strip(),
            "online_url": data["online_url"],
            "capacity": data["capacity"],
            "mentors_only": data["mentors_only"],
            "training_hours": data["training_hours"],
            "remind_days_before": data["remind_days_before"],
            "option": data["option"],
        }


AUDIENCE_CHOICES = [
    ("", _("Only the people I choose below")),
    ("mentors", _("Every mentor of the program")),
    ("mentees", _("Every mentee of the program")),
    ("everyone", _("Every mentor and every mentee of the program")),
]


class PeopleSearchForm(forms.Form):
    find = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)


class InviteForm(forms.Form):
    """Who to invite: an audience of the program, and/or people chosen by search."""

    audience = forms.ChoiceField(
        label=_("Invite"), choices=AUDIENCE_CHOICES, required=False, widget=forms.RadioSelect
    )
    people = forms.TypedMultipleChoiceField(
        label=_("People chosen"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, mentors_only, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = AUDIENCE_CHOICES
        if mentors_only:
            choices = [choice for choice in choices if choice[0] in ("", "mentors")]
        self.fields["audience"].choices = choices
        # Ids are checked by the service against the program's people: a crafted id is refused
        # there with its reason.
        self.fields["people"].choices = [(person.pk, person.full_name) for person in found]
        self.fields["people"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        data = super().clean()
        if not data.get("audience") and not data.get("people"):
            raise forms.ValidationError(_("Choose who to invite: an audience or some people."))
        return data


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (invitation.pk, invitation.person.full_name) for invitation in invitations
        ]


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("event", "Why is it cancelled?"),
        max_length=CANCEL_REASON_MAX_LENGTH,
        widget=forms.Textarea({"rows": 3, "maxlength": CANCEL_REASON_MAX_LENGTH}),
        help_text=_("Everyone coming, waiting or not answered yet receives it by e-mail."),
        error_messages={"required": _("Say why the event is cancelled.")},
    )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", _("I'll come")), ("no", _("I can't come"))])
