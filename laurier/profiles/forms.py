from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment

from .models import PREFERENCE_SCORES, MentorProfile, Motivation
from .snapshots import LONG_TEXT_LIMIT, TEXT_FIELDS

SCORE_CHOICES = [(score, str(score)) for score in PREFERENCE_SCORES]
SCORE_PREFIX = "score_"


def score_field_name(category):
    """The form field that holds the score of a recognition category."""
    return f"{SCORE_PREFIX}{category}"


def _limit(field):
    return MentorProfile._meta.get_field(field).max_length


class ProfileForm(forms.Form):
    """The mentor's own profile: the same questions as the profile survey, on one page."""

    motivations = forms.MultipleChoiceField(
        label=_("Why do you mentor?"),
        choices=Motivation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    motivation_other = forms.CharField(
        label=_("Your other reason"), max_length=_limit("motivation_other"), required=False
    )
    consent = forms.ChoiceField(
        label=_("May we recognise you in public?"),
        choices=PublicConsent.choices,
        widget=forms.RadioSelect,
    )
    interests = forms.CharField(
        label=_("Your interests"),
        required=False,
        max_length=LONG_TEXT_LIMIT,
        help_text=_("Hobbies, causes, what you like to learn: it helps choose a fitting gesture."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    diet = forms.CharField(label=_("Dietary needs"), max_length=_limit("diet"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibility needs"), max_length=_limit("accessibility"), required=False
    )
    availability = forms.CharField(
        label=_("Availability for events"),
        max_length=_limit("availability"),
        required=False,
        help_text=_("For example: weekdays at noon, never on Friday evenings."),
    )
    moments = forms.MultipleChoiceField(
        label=_("Preferred moments of the year"),
        choices=RecognitionMoment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in RecognitionCategory.choices:
            self.fields[score_field_name(category)] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Rate this recognition from 0 to 5."),
                    "invalid_choice": _("Rate this recognition from 0 to 5."),
                },
            )

    @classmethod
    def initial_from(cls, snapshot):
        """Initial values showing a profile snapshot."""
        initial = {
            key: snapshot[key] for key in ("motivations", "consent", "moments", *TEXT_FIELDS)
        }
        for category, score in snapshot["scores"].items():
            initial[score_field_name(category)] = score
        return initial

    def score_fields(self):
        """The bound score fields, in the catalogue's order of categories."""
        return [self[score_field_name(category)] for category in RecognitionCategory.values]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("motivation_other", "").strip() and Motivation.OTHER not in cleaned.get(
            "motivations", []
        ):
            self.add_error(
                "motivation_other",
                _("Tick “Another reason” to keep this text, or clear it."),
            )
        return cleaned

    def profile_data(self):
        """The cleaned values in the shape save_profile takes."""
        data = self.cleaned_data
        return {
            "motivations": data["motivations"],
            "consent": data["consent"],
            "moments": data["moments"],
            "scores": {
                category: data[score_field_name(category)]
                for category in RecognitionCategory.values
            },
            **{field: data[field] for field in TEXT_FIELDS},
        }
