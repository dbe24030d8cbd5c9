"""Forms of the managers' badge and credential pages.

The forms check what a manager can fix; the services check every rule again.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from laurier.core.widgets import DecimalInput
from laurier.recognition.forms.budgets import new_form_token

from .images import LABEL_MAX_LENGTH, BadgeDesign, Emblem, Palette, Shape, clean_label
from .models import BadgeClass, CredentialKind, Issuer
from .selectors import CredentialStatus
from .services.badges import EDITABLE_FIELDS, rule_errors

__all__ = [
    "BadgeAwardForm",
    "BadgeClassForm",
    "BadgeDesignForm",
    "CredentialFilterForm",
    "HolderSearchForm",
    "IssuerForm",
    "PeopleSearchForm",
    "RevokeForm",
    "RotateKeyForm",
    "new_form_token",
]


# The model's bound on how long a badge stays valid.
VALID_YEARS_MAX = 50


class BadgeClassForm(forms.ModelForm):
    """A badge: its bilingual texts, its design, the rule that awards it."""

    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    class Meta:
        model = BadgeClass
        fields = list(EDITABLE_FIELDS)
        localized_fields = ["threshold"]
        widgets = {
            "description_fr": forms.Textarea({"rows": 3}),
            "description_en": forms.Textarea({"rows": 3}),
            "criteria_fr": forms.Textarea({"rows": 3}),
            "criteria_en": forms.Textarea({"rows": 3}),
            "shape": forms.RadioSelect,
            "palette": forms.RadioSelect,
            "emblem": forms.RadioSelect,
            "rule": forms.RadioSelect,
            "threshold": DecimalInput,
        }
        help_texts = {
            "label": _(
                "Up to 14 characters drawn on the badge, such as “100 h” or “5 ans”. Short "
                "labels read best: the longer the text, the smaller the preview draws it."
            ),
            "threshold": _("Hours, years or pairings, depending on how the badge is awarded."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("shape", "palette", "emblem", "rule"):
            # Radio groups: no empty "---------" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        self.fields["label"].widget.attrs["maxlength"] = LABEL_MAX_LENGTH
        self.fields["valid_years"].widget.attrs["min"] = 1
        # One message for 0 and for -1 alike (the field would say "≥ 0", the model "≥ 1").
        self.fields["valid_years"].min_value = None
        self.fields["valid_years"].validators = []
        if self.instance.pk:
            del self.fields["form_token"]

    def clean_label(self):
        return clean_label(self.cleaned_data.get("label", ""))

    def clean_valid_years(self):
        years = self.cleaned_data.get("valid_years")
        if years is not None and not 1 <= years <= VALID_YEARS_MAX:
            raise forms.ValidationError(
                _(
                    "Give from 1 to %(most)s years, or leave it empty for a badge that never "
                    "expires."
                )
                % {"most": VALID_YEARS_MAX},
                code="valid_years",
            )
        return years

    def clean(self):
        cleaned = super().clean()
        if "rule" in cleaned:
            for field, message in rule_errors(
                cleaned.get("rule"), cleaned.get("threshold"), cleaned.get("event_kind")
            ).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BadgeDesignForm(forms.Form):
    """The design a preview draws, read from the query string."""

    shape = forms.ChoiceField(choices=Shape.choices)
    palette = forms.ChoiceField(choices=Palette.choices)
    emblem = forms.ChoiceField(choices=Emblem.choices)
    label = forms.CharField(required=False, max_length=LABEL_MAX_LENGTH)

    def design(self):
        """The BadgeDesign, or None when a parameter is missing or unknown."""
        if not self.is_valid():
            return None
        try:
            return BadgeDesign(**self.cleaned_data)
        except ValueError:
            return None


class HolderSearchForm(forms.Form):
    q = forms.CharField(label=_("Holder's name or e-mail"), required=False, max_length=100)


class PeopleSearchForm(forms.Form):
    """Finding the mentors to award, among thousands, by name or e-mail."""

    find = forms.CharField(label=_("Mentor's name or e-mail"), required=False, max_length=100)


class BadgeAwardForm(forms.Form):
    """Whom to award a badge: people ticked among those found, or every active mentor of a
    program."""

    people = forms.ModelMultipleChoiceField(
        label=_("Mentors"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose active mentors of the programs you manage."),
            "invalid_pk_value": _("Choose active mentors of the programs you manage."),
        },
    )
    program = forms.ModelChoiceField(
        label=_("Or every active mentor of the program"),
        queryset=None,
        required=False,
        empty_label=_("No program"),
        error_messages={"invalid_choice": _("Choose one of the programs you manage.")},
    )
    # The same form sent twice starts one bulk award.
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, people, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["program"].queryset = programs

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        people, program = cleaned.get("people"), cleaned.get("program")
        if people and program:
            raise forms.ValidationError(
                _("Tick mentors or choose a program, not both."), code="both"
            )
        if not people and not program:
            raise forms.ValidationError(
                _("Tick the mentors to award, or choose a program."), code="nobody"
            )
        return cleaned


KIND_CHOICES = [("", _("Every kind")), *CredentialKind.choices]
STATUS_CHOICES = [
    ("", _("Every status")),
    (CredentialStatus.VALID, _("Valid")),
    (CredentialStatus.REVOKED, _("Revoked")),
    (CredentialStatus.EXPIRED, _("Expired")),
]


class CredentialFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label=_("Holder's name or e-mail"), required=False, max_length=100)

    def value(self, name):
        """A filter's value, or '' when it is not valid: one bad filter leaves the others."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return (self.cleaned_data.get(name) or "").strip()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=500,
        widget=forms.Textarea({"rows": 3, "maxlength": 500}),
        help_text=_("Anyone who verifies the credential reads this reason."),
        error_messages={"required": _("Say why the credential is revoked.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that revoking cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the revocation.")},
    )


class IssuerForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Issuer
        fields = ["website", "email", "linkedin_organization_id"]
        labels = {"email": _("Contact e-mail")}

    def clean_linkedin_organization_id(self):
        value = (self.cleaned_data.get("linkedin_organization_id") or "").strip()
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("A LinkedIn company ID is made of digits only."))
        return value


class RotateKeyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, sign from now on with a new key."),
        error_messages={"required": _("Tick the box to confirm the new key.")},
    )
