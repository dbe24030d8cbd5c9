from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RetentionPolicy


class ErasureForm(forms.Form):
    """Typing the person's name guards against erasing the wrong one by a slip of the mouse."""

    name = forms.CharField(
        label=_("Type the person's full name to confirm"),
        max_length=201,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_name(self):
        typed = " ".join(self.cleaned_data["name"].split())
        if typed.casefold() != " ".join(self.person.full_name.split()).casefold():
            raise forms.ValidationError(
                _("This is not the person's name as Laurier has it: nothing was erased.")
            )
        return typed


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["erase_inactive_after_months"]
