"""Forms of the managers' award pages: the list's filters, adding or editing an award, giving
it and cancelling it.

The forms check what a manager can fix; `services.awards` checks every rule again (a crafted
request cannot bypass them).
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from ..categories import Giver
from ..models import AWARD_MESSAGE_MAX_LENGTH
from .budgets import _hours_field, _items_field, _money_field, new_form_token
from .plans import OptionChoiceField

__all__ = [
    "AwardFilterForm",
    "AwardForm",
    "CancelForm",
    "GiveForm",
    "MentorSearchForm",
    "new_form_token",
]

STATUS_CHOICES = [
    ("open", _("To give")),
    ("given", _("Given")),
    ("cancelled", _("Cancelled")),
    ("all", _("All")),
]
GIVER_NAMES_MAX_LENGTH = 200


class AwardFilterForm(forms.Form):
    """The list's tab, mentor search and option."""

    status = forms.ChoiceField(label=_("Show"), choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label=_("Mentor's name"), required=False, max_length=100)
    option = forms.ModelChoiceField(
        label=_("Recognition"), queryset=None, required=False, empty_label=_("Every recognition")
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options
        self.fields["option"].label_from_instance = _option_name

    def value(self, name, default=None):
        """A filter's value, or `default` when it is missing or not valid: one bad filter
        (an option since deleted) leaves the others working."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


def _option_name(option):
    from laurier.core.bilingual import in_reader_language

    return in_reader_language(option, "name")


class MentorSearchForm(forms.Form):
    """Finding the mentor to recognise, among thousands, by name or e-mail."""

    find = forms.CharField(label=_("Mentor's name or e-mail"), required=False, max_length=100)


def _givers_field():
    return forms.MultipleChoiceField(
        label=_("Given by"),
        choices=Giver.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Recognition that comes from several people counts more."),
    )


def _giver_names_field():
    return forms.CharField(
        label=_("Names of the givers"),
        required=False,
        max_length=GIVER_NAMES_MAX_LENGTH,
        help_text=_("As the mentor will read them: “Sophie Gagnon, CEO”."),
    )


def _message_help():
    return _("Up to %(limit)s characters: about what fits on a card.") % {
        "limit": AWARD_MESSAGE_MAX_LENGTH
    }


def _message_field():
    return forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=AWARD_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea({"rows": 5, "maxlength": AWARD_MESSAGE_MAX_LENGTH}),
        # Interpolated when shown, so that each reader gets their own language.
        help_text=lazy(_message_help, str)(),
    )


class AwardForm(forms.Form):
    """A recognition added directly, or an open one edited.

    `mentors` is a queryset to check the chosen mentor against (the page chooses them by
    search, never from a list of thousands); None leaves the mentor out (an approved award
    keeps its mentor), as `options` None leaves the option out.
    """

    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the mentor first."),
            "invalid_choice": _("Choose an active mentor of this program."),
        },
    )
    option = OptionChoiceField(
        label=_("Recognition"),
        queryset=None,
        currency="CAD",
        empty_label=_("Choose a recognition"),
        error_messages={
            "required": _("Choose a recognition."),
            "invalid_choice": _("Choose a recognition of the catalog for mentors."),
        },
    )
    planned_on = forms.DateField(label=_("Date"), widget=DateInput())
    moment_key = forms.ChoiceField(
        label=_("Moment"),
        required=False,
        help_text=_("Optional: the moment of the mentor's year it marks. Its date is proposed."),
    )
    givers = _givers_field()
    giver_names = _giver_names_field()
    message = _message_field()
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, mentors, options, moments, currency, **kwargs):
        super().__init__(*args, **kwargs)
        if mentors is None:
            del self.fields["mentor"]
        else:
            self.fields["mentor"].queryset = mentors
        if options is None:
            del self.fields["option"]
        else:
            self.fields["option"].queryset = options
            self.fields["option"].currency = currency
        self.fields["moment_key"].choices = [("", _("No particular moment")), *moments]

    def service_fields(self):
        """The cleaned values, named as the services name them."""
        return {
            name: self.cleaned_data[name]
            for name in (
                "mentor",
                "option",
                "planned_on",
                "moment_key",
                "givers",
                "giver_names",
                "message",
            )
            if name in self.fields
        }


class GiveForm(forms.Form):
    """What giving it took: the day and the actual costs, and the words that went with it."""

    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    money = _money_field(_("Actual cost"))
    staff_hours = _hours_field(_("Staff hours"))
    material_items = _items_field(_("Material items"))
    giver_names = _giver_names_field()
    message = _message_field()

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if self.today is not None and day > self.today:
            raise forms.ValidationError(
                _("Mark it given once it has been: choose today or an earlier date.")
            )
        return day

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=300,
        widget=forms.Textarea({"rows": 3, "maxlength": 300}),
        error_messages={"required": _("Say why it is cancelled.")},
    )
