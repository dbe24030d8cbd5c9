"""Forms of thank-you note campaigns: inviting writers, and the writer's note.

The forms check what a person can fix; `services.notes` checks every rule again (a crafted
request cannot bypass them).
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from ..models import NOTE_MAX_LENGTH
from ..services.notes import parse_named_writers
from .budgets import new_form_token

__all__ = ["CampaignForm", "NoteForm", "new_form_token", "DEFAULT_OPEN_DAYS"]

# Two weeks: long enough for busy people to find a moment, short enough to stay timely.
DEFAULT_OPEN_DAYS = 14
MESSAGE_MAX_LENGTH = 2000
NAMED_PLACEHOLDER = "Sophie Gagnon <sophie.gagnon@example.org>"
# Escaped: Django shows help texts as HTML, and "<e-mail address>" would vanish as a tag.
NAMED_HELP = escape(_("One person per line: Name <e-mail address>, or only the address."))


class CampaignForm(forms.Form):
    """Who is thanked (one mentor, or every active mentor when none is chosen), who writes,
    until when, and a word to the writers."""

    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose an active mentor of this program.")},
    )
    mentees = forms.BooleanField(label=_("Their mentees"), required=False, initial=True)
    peers = forms.BooleanField(label=_("Fellow mentors of the program"), required=False)
    executives = forms.CharField(
        label=_("Executives"),
        required=False,
        widget=forms.Textarea({"rows": 3, "placeholder": NAMED_PLACEHOLDER}),
        help_text=NAMED_HELP,
    )
    mentee_managers = forms.CharField(
        label=_("The mentees' managers"),
        required=False,
        widget=forms.Textarea({"rows": 3, "placeholder": NAMED_PLACEHOLDER}),
        help_text=NAMED_HELP,
    )
    named_language = forms.ChoiceField(
        label=_("Language of the invitation for the people named above"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The program's mentees and mentors are written to in their own language; someone "
            "Laurier knows by their address too."
        ),
    )
    closes_on = forms.DateField(label=_("Last day to write"), widget=DateInput())
    message = forms.CharField(
        label=_("Message to the writers"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("A few words of your own, at the top of the invitation."),
    )
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors

    def clean_executives(self):
        return _named(self.cleaned_data["executives"])

    def clean_mentee_managers(self):
        return _named(self.cleaned_data["mentee_managers"])

    def service_fields(self):
        """The cleaned values, named as `create_note_campaign` names them."""
        data = self.cleaned_data
        return {
            "mentor": data["mentor"],
            "mentees": data["mentees"],
            "peers": data["peers"],
            "executives": data["executives"],
            "mentee_managers": data["mentee_managers"],
            "named_language": data["named_language"],
            "closes_on": data["closes_on"],
            "message": data["message"],
        }


def _named(text):
    # Every bad line at once: the manager fixes them all in one go.
    try:
        return parse_named_writers(text)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


def default_last_day(today):
    return today + datetime.timedelta(days=DEFAULT_OPEN_DAYS)


class NoteForm(forms.Form):
    """A writer's note to one of the mentors they may write to.

    The text has no length check of its own: the service's message says how long the note is
    and why it must be shorter. The browser stops typing at the limit anyway.
    """

    mentor = forms.ModelChoiceField(
        label=_("To"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the mentors listed.")},
    )
    text = forms.CharField(
        label=_("Your note"),
        strip=False,
        widget=forms.Textarea({"rows": 8, "maxlength": NOTE_MAX_LENGTH}),
        error_messages={"required": _("Write a few words before sending.")},
    )
    signature = forms.CharField(
        label=_("Signed"),
        max_length=200,
        help_text=_("As the mentor will read it, e.g. your name and your role."),
        error_messages={"required": _("Sign your note, so the mentor knows who wrote it.")},
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        # Built here, in the reader's language: interpolating a lazy text at import would fix
        # it in the language of whoever loaded the module first.
        self.fields["text"].help_text = _(
            "Up to %(limit)s characters, so that it fits on the card beside the others."
        ) % {"limit": NOTE_MAX_LENGTH}
        self.fields["mentor"].label_from_instance = lambda person: person.full_name
        if len(mentors) == 1:
            self.fields["mentor"].widget = forms.HiddenInput()
