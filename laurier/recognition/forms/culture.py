"""The culture profile form: values, norms and the four leanings as five-step scales."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..culture import AXES, plain_steps
from ..models import CultureProfile
from ..services.culture import LEANING_OUT_OF_RANGE


class CultureProfileForm(forms.ModelForm):
    class Meta:
        model = CultureProfile
        fields = ("values_fr", "values_en", "norms_fr", "norms_en")
        widgets = {
            "values_fr": forms.Textarea(attrs={"rows": 5}),
            "values_en": forms.Textarea(attrs={"rows": 5}),
            "norms_fr": forms.Textarea(attrs={"rows": 4}),
            "norms_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "values_fr": _("One value per line, for example: Mutual help."),
            "values_en": _("One value per line, for example: Mutual help."),
            "norms_fr": _("How people are usually thanked here, what is done and what is avoided."),
            "norms_en": _("How people are usually thanked here, what is done and what is avoided."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for axis in AXES:
            self.fields[axis.leaning] = forms.TypedChoiceField(
                label=axis.label,
                help_text=axis.explanation,
                choices=plain_steps(axis),
                coerce=int,
                widget=forms.RadioSelect,
                initial=getattr(self.instance, axis.leaning, 0) if self.instance.pk else 0,
                error_messages={
                    "required": LEANING_OUT_OF_RANGE,
                    "invalid_choice": LEANING_OUT_OF_RANGE,
                },
            )

    def leaning_fields(self):
        return [self[axis.leaning] for axis in AXES]
