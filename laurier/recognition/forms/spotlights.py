"""Forms of the spotlight pages: the list's search, choosing a mentor, and the spotlight's
titles and texts. `services.spotlights` checks the mentor's consent and the lengths again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DateInput

from ..models import Spotlight


class SpotlightFilterForm(forms.Form):
    q = forms.CharField(label=_("Mentor or title"), required=False, max_length=100)

    def value(self, name, default=""):
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


class MentorSearchForm(forms.Form):
    find = forms.CharField(label=_("Mentor's name"), required=False, max_length=100)


class SpotlightForm(forms.ModelForm):
    """Both languages' title and Markdown text; the day the mentor agreed only for a mentor
    whose profile says "ask me each time" (`ask_consent`)."""

    class Meta:
        model = Spotlight
        fields = ["consent_given_on", "title_fr", "body_fr", "title_en", "body_en"]
        widgets = {
            "consent_given_on": DateInput(),
            "body_fr": forms.Textarea(attrs={"rows": 16}),
            "body_en": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "consent_given_on": _(
                "This mentor asks to be asked before each public recognition: the day they "
                "agreed to this spotlight."
            ),
            "body_fr": _("Markdown: **bold**, *italics*, ## headings, > quotes, - lists."),
            "body_en": _("Markdown: **bold**, *italics*, ## headings, > quotes, - lists."),
        }

    def __init__(self, *args, ask_consent=False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_consent:
            self.fields["consent_given_on"].required = True
        else:
            del self.fields["consent_given_on"]

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.fields}
