"""Forms of the recognition catalog: an option, and the filters of the catalog page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DecimalInput

from ..categories import Giver, RecognitionCategory, RecognitionMoment, Visibility
from ..models import RecognitionOption
from ..selectors.catalog import FitFilter
from ..services.catalog import (
    CAPACITY_AT_LEAST_ONE,
    MOMENT_REQUIRED,
    NAME_REQUIRED,
    NEGATIVE_COST,
    NEGATIVE_NUMBER,
    OPTION_FIELDS,
)

DECIMAL_FIELDS = ("cost_money", "staff_hours", "min_hours_mentored")


class OptionForm(forms.ModelForm):
    """Every characteristic of an option; field names are the model's."""

    moments = forms.MultipleChoiceField(
        label=_("Moments it can be given at"),
        choices=RecognitionMoment.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": MOMENT_REQUIRED},
    )
    usual_givers = forms.MultipleChoiceField(
        label=_("Who usually gives it"),
        choices=Giver.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Recognition means more when it comes from several people, not only you."),
    )

    class Meta:
        model = RecognitionOption
        fields = OPTION_FIELDS
        # Amounts and hours are typed as people write them ("12,50" on a French page): a number
        # input would read the comma by the browser's locale and could make 12,50 cost 1250.
        localized_fields = DECIMAL_FIELDS
        widgets = {
            **{name: DecimalInput() for name in DECIMAL_FIELDS},
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
            "formality": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "nature": forms.RadioSelect,
            "personalisation": forms.RadioSelect,
        }
        help_texts = {
            "cost_money": _("In the organisation's currency, for one recognition given."),
            "staff_hours": _("Time the team spends to prepare and give one recognition."),
            "material_items": _("Items used from the material budget for one recognition."),
            "material_needs": _("For example: a card and an envelope."),
            "min_hours_mentored": _("Leave empty when any mentor may receive it."),
            "min_tenure_months": _("Leave empty when any mentor may receive it."),
            "contest_winners_only": _("For awards that go to the winner of a contest."),
        }
        error_messages = {
            "name_fr": {"required": NAME_REQUIRED},
            "name_en": {"required": NAME_REQUIRED},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("cost_money", "staff_hours"):
            self.fields[name].min_value = 0
            self.fields[name].error_messages["min_value"] = NEGATIVE_COST
        for name in ("min_hours_mentored", "min_tenure_months", "material_items"):
            self.fields[name].error_messages["min_value"] = NEGATIVE_NUMBER
        self.fields["capacity"].error_messages["min_value"] = CAPACITY_AT_LEAST_ONE
        self.fields["capacity"].widget.attrs["min"] = 1
        for name in ("visibility", "formality", "nature"):
            # A radio group needs no empty choice: the option sits at one pole or the other.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if self.instance.pk is None:
            self.fields["moments"].initial = [RecognitionMoment.CYCLE_END]
            self.fields["usual_givers"].initial = [Giver.MANAGER]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(CAPACITY_AT_LEAST_ONE)
        return capacity


class CatalogFilterForm(forms.Form):
    """The filters of the catalog page (all optional, read from the query string)."""

    q = forms.CharField(
        label=_("Name"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Every category")), *RecognitionCategory.choices],
    )
    max_cost = forms.DecimalField(
        label=_("Maximum cost"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        required=False,
        choices=[("", _("Public or private")), *Visibility.choices],
    )
    fit = forms.ChoiceField(
        label=_("Culture fit"),
        required=False,
        choices=[
            (FitFilter.ALL, _("Every option")),
            (FitFilter.FITS, _("Fits your culture")),
            (FitFilter.PARTLY, _("Partly at odds with your culture")),
            (FitFilter.CLASHES, _("Clashes with your culture")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Offered")), ("retired", _("Retired")), ("all", _("Offered or retired"))],
    )

    def filters(self):
        """The valid filters as keyword arguments for `selectors.catalog.options_for_list`."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("q") or "").strip(),
            "category": data.get("category") or "",
            "max_cost": data.get("max_cost"),
            "visibility": data.get("visibility") or "",
            "fit": data.get("fit") or "",
            "status": data.get("status") or "",
        }
