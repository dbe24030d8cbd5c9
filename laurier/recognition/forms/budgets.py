"""Forms of budgets: the budget itself, a commitment, a spending, and settling a commitment.

The forms check what a person can fix; the services check every rule again under the budget's
lock (a crafted request cannot bypass them).
"""

import secrets

from django import forms
from django.core.validators import MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.widgets import DecimalInput

from ..models import LedgerEntry
from ..selectors.budgets import date_outside_fiscal_year
from ..services.budgets import MAX_AMOUNT, MAX_QUANTITY, quantity_too_large

NOT_NEGATIVE = _("An amount cannot be negative.")
WHOLE_ORGANISATION = "organisation"


def new_form_token():
    """A one-time token for a displayed form: the same form sent twice writes once."""
    return secrets.token_urlsafe(16)


def _money_field(label, **kwargs):
    # A text input read in the page's language: a number input would read "12,50" by the
    # browser's locale and could send 1250 without a word.
    return forms.DecimalField(
        label=label,
        localize=True,
        widget=DecimalInput,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": NOT_NEGATIVE},
        **kwargs,
    )


def _hours_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        localize=True,
        widget=DecimalInput,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages={"min_value": NOT_NEGATIVE},
        **kwargs,
    )


def _items_field(label, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_AMOUNT["material_items"],
        error_messages={"min_value": NOT_NEGATIVE},
        **kwargs,
    )


def _date_field():
    return forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class BudgetForm(forms.Form):
    """A budget: whose and which year (on creation only), its three allocations and notes."""

    owner = forms.ChoiceField(label=_("Program"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    money = _money_field(_("Money"))
    staff_hours = _hours_field(
        _("Staff hours"), help_text=_("Time the team can give to recognition this year.")
    )
    material_items = _items_field(
        _("Material items"), help_text=_("Cards, gifts, certificates and other items in stock.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, programs, allow_organisation, years, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = {str(program.pk): program for program in programs}
        if creating:
            choices = [(key, program.name) for key, program in self.programs.items()]
            if allow_organisation:
                choices.insert(0, (WHOLE_ORGANISATION, _("Whole organisation")))
            self.fields["owner"].choices = choices
            self.fields["fiscal_year"].choices = years
        else:
            del self.fields["owner"]
            del self.fields["fiscal_year"]

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        return None if owner == WHOLE_ORGANISATION else self.programs[owner]


class LedgerLineForm(forms.Form):
    """A form that writes a line of `budget`'s ledger, dated in the budget's fiscal year."""

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if message := date_outside_fiscal_year(self.budget, day):
            raise forms.ValidationError(message)
        return day

    def amounts(self):
        data = self.cleaned_data
        return {
            "money": data.get("money") or 0,
            "staff_hours": data.get("staff_hours") or 0,
            "material_items": data.get("material_items") or 0,
        }


class OptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, option):
        return in_reader_language(option, "name")


class CommitForm(LedgerLineForm):
    """A commitment from a catalog option × quantity (its costs prefilled), or free amounts."""

    FROM_OPTION = "option"
    FREE = "free"

    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=_("What is committed"),
        choices=[(FROM_OPTION, _("An option of the catalog")), (FREE, _("Other amounts"))],
        widget=forms.RadioSelect,
        initial=FROM_OPTION,
    )
    option = OptionChoiceField(
        label=_("Recognition option"), queryset=None, required=False, empty_label="—"
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        required=False,
        validators=[MinValueValidator(1)],
        error_messages={
            "min_value": _("The quantity is a whole number of at least 1."),
            "max_value": lazy(quantity_too_large, str)(),
        },
        help_text=_("The option's costs are multiplied by the quantity."),
    )
    money = _money_field(_("Money"), required=False)
    staff_hours = _hours_field(_("Staff hours"), required=False)
    material_items = _items_field(_("Material items"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What the resources are for. Optional with an option: its name is used."),
    )
    occurred_on = _date_field()

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options

    def clean(self):
        data = super().clean()
        if data.get("source") == self.FREE:
            # The quantity belongs to the option part, hidden with free amounts: whatever it
            # holds is ignored rather than refused.
            self.errors.pop("quantity", None)
            data["quantity"] = 1
        if data.get("source") == self.FROM_OPTION:
            if not data.get("option"):
                self.add_error("option", _("Choose an option, or commit other amounts."))
            if not data.get("quantity") and "quantity" not in self.errors:
                self.add_error("quantity", _("The quantity is a whole number of at least 1."))
        elif data.get("source") == self.FREE:
            if not (data.get("description") or "").strip():
                self.add_error("description", _("Say what this is for."))
            if not any(data.get(name) for name in ("money", "staff_hours", "material_items")):
                self.add_error(None, _("Enter at least one amount above zero."))
        return data

    def service_arguments(self):
        data = self.cleaned_data
        arguments = {
            "description": data.get("description") or "",
            "occurred_on": data["occurred_on"],
        }
        if data["source"] == self.FROM_OPTION:
            arguments["option"] = data["option"]
            arguments["quantity"] = data.get("quantity") or 1
        else:
            arguments.update(self.amounts())
        return arguments


class SpendForm(LedgerLineForm):
    """A spending without commitment (e.g. a stipend paid), optionally for a catalog option."""

    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    option = OptionChoiceField(
        label=_("Recognition option"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("Choose the stipend option to count a stipend paid as such."),
    )
    money = _money_field(_("Money"), required=False)
    staff_hours = _hours_field(_("Staff hours"), required=False)
    material_items = _items_field(_("Material items"), required=False)
    description = forms.CharField(label=_("Description"), max_length=300)
    occurred_on = _date_field()

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("money", "staff_hours", "material_items")):
            self.add_error(None, _("Enter at least one amount above zero."))
        return data


class CommitmentSpendForm(LedgerLineForm):
    """What a commitment actually cost, prefilled with what was committed."""

    money = _money_field(_("Money"))
    staff_hours = _hours_field(_("Staff hours"))
    material_items = _items_field(_("Material items"))
    occurred_on = _date_field()


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it released?"),
        max_length=300,
        help_text=_("For example: the event was cancelled."),
    )


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + LedgerEntry.Kind.choices
    )


class YearFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
