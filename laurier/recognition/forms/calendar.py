"""Forms of the recognition calendar."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Role

from ..models import ImportantDate
from ..selectors.calendar import KIND_CHOICES


class ImportantDateForm(forms.ModelForm):
    """A date of the organisation or of a program; a manager chooses among their programs."""

    class Meta:
        model = ImportantDate
        fields = ["name_fr", "name_en", "date", "yearly", "program"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, membership, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        if membership.role == Role.ADMIN:
            self.fields["program"].empty_label = _("The whole organisation")
        else:
            self.fields["program"].required = True
            self.fields["program"].help_text = _(
                "Dates of the whole organisation are added by an administrator."
            )

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("name_fr") or "").strip()
            and not (cleaned.get("name_en") or "").strip()
        ):
            raise forms.ValidationError(_("Give the date a name, in French or in English."))
        return cleaned


class CalendarFilterForm(forms.Form):
    """The calendar's filters: a fiscal year and a kind of moment."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Kind of moment"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
        self.fields["kind"].choices = [("", _("Every kind")), *KIND_CHOICES]
