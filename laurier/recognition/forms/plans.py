"""Forms of recognition plans: a new plan, its rules, a line, and the mentor search.

The forms check what a manager can fix; `services.plans` checks every rule again (a crafted
request cannot bypass them).
"""

from django import forms
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.money import format_money
from laurier.core.widgets import DateInput

from ..categories import Giver
from ..models import Plan
from ..services.plans import RULE_FIELDS
from .budgets import new_form_token

__all__ = [
    "LineForm",
    "MentorFilterForm",
    "MonthFilterForm",
    "NewPlanForm",
    "PlanRulesForm",
    "new_form_token",
]


RULE_HELP = {
    "min_per_mentor": _(
        "Each mentor receives at least this many recognitions when the budget allows. "
        "0: no minimum."
    ),
    "max_per_mentor": _("No mentor receives more than this many in the period."),
    "one_per_moment": _(
        "Spread a mentor's recognitions over several moments of the year instead of "
        "giving two on the same day."
    ),
    "no_repeat_months": _(
        "A mentor does not receive an option they received within this many months. "
        "0: no such rule."
    ),
}


def _model_field(name, **overrides):
    # The model's label and limits, without a ModelForm: its constraint checks would repeat,
    # in a technical wording, what clean() says better.
    return Plan._meta.get_field(name).formfield(**overrides)


class PlanRulesForm(forms.Form):
    """The rules the planner keeps for every mentor."""

    min_per_mentor = _model_field("min_per_mentor", help_text=RULE_HELP["min_per_mentor"])
    max_per_mentor = _model_field("max_per_mentor", help_text=RULE_HELP["max_per_mentor"])
    one_per_moment = _model_field("one_per_moment", help_text=RULE_HELP["one_per_moment"])
    no_repeat_months = _model_field("no_repeat_months", help_text=RULE_HELP["no_repeat_months"])

    def clean(self):
        cleaned = super().clean()
        minimum, maximum = cleaned.get("min_per_mentor"), cleaned.get("max_per_mentor")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("min_per_mentor", _("The minimum cannot be above the maximum."))
        return cleaned

    def rules(self):
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}


class NewPlanForm(PlanRulesForm):
    """A new plan: its period and its rules, sent once (`form_token`)."""

    starts_on = _model_field(
        "starts_on",
        widget=DateInput(),
        help_text=_("The plan stays within one fiscal year: the one its budget covers."),
    )
    ends_on = _model_field("ends_on", widget=DateInput())
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    field_order = ["starts_on", "ends_on", *RULE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day comes before the first."))
        return cleaned


class OptionChoiceField(forms.ModelChoiceField):
    """An option named in the reader's language, with what it costs."""

    def __init__(self, *args, currency, **kwargs):
        self.currency = currency
        super().__init__(*args, **kwargs)

    def label_from_instance(self, option):
        name = in_reader_language(option, "name")
        if option.cost_money:
            return f"{name} — {format_money(option.cost_money, self.currency)}"
        free = _("no cost")
        return f"{name} — {free}"


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        # The e-mail address tells apart two people of the same name.
        return f"{person.full_name} ({person.email})" if person.email else person.full_name


class LineForm(forms.Form):
    """A line added or edited by hand: mentor (when adding), option, moment and givers."""

    mentor = MentorChoiceField(label=_("Mentor"), queryset=None, empty_label=_("Choose a mentor"))
    option = OptionChoiceField(
        label=_("Recognition"), queryset=None, currency="CAD", empty_label=_("Choose an option")
    )
    moment = forms.ChoiceField(label=_("Moment"))
    givers = forms.MultipleChoiceField(
        label=_("Given by"),
        choices=Giver.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Recognition that comes from several people counts more."),
        error_messages={"required": _("Say who gives it.")},
    )

    def __init__(self, *args, mentors=None, options, moments, currency, **kwargs):
        super().__init__(*args, **kwargs)
        if mentors is None:
            del self.fields["mentor"]
        else:
            self.fields["mentor"].queryset = mentors
        self.fields["option"].queryset = options
        self.fields["option"].currency = currency
        self.fields["moment"].choices = [("", _("Choose a moment")), *moments]


SHOW_CHOICES = [
    ("", _("Every mentor")),
    ("uncovered", _("Without a recognition")),
    ("covered", _("With a recognition")),
]


class MentorFilterForm(forms.Form):
    """The by-mentor view's search."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)


class MonthFilterForm(forms.Form):
    """The by-moment view's month: one of the months the plan has lines in."""

    month = forms.TypedChoiceField(label=_("Month"), required=False, empty_value=None)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        by_value = {month.strftime("%Y-%m"): month for month in months}
        self.fields["month"].coerce = by_value.__getitem__
        self.fields["month"].choices = [
            ("", _("Every month")),
            *(
                (value, capfirst(date_format(month, "YEAR_MONTH_FORMAT")))
                for value, month in by_value.items()
            ),
        ]
