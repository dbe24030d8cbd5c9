from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurier.programs.models import Program

from .models import AuditEvent, Membership, Organisation, Role
from .services import ORGANISATION_SETTINGS_FIELDS


def _settings_formfield(model_field, **kwargs):
    # An address typed without its scheme ("hooks.slack.com/...") is the https one.
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_SETTINGS_FIELDS
        formfield_callback = _settings_formfield


class ProgramsManagedField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Program.objects.none(),
            required=False,
            label=_("Programs managed"),
            help_text=_("Only for program managers: admins manage every program."),
            **kwargs,
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MENTOR)
    programs = ProgramsManagedField()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["programs"].queryset = Program.objects.filter(organisation=organisation)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        ).exists():
            raise forms.ValidationError(
                _("%(email)s is already a member of this organisation."),
                code="already_member",
                params={"email": email},
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") != Role.MANAGER:
            cleaned["programs"] = []
        return cleaned


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    programs = ProgramsManagedField()

    def __init__(self, *args, membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "role": membership.role,
                "programs": list(
                    Program.objects.filter(
                        organisation_id=membership.organisation_id, managers=membership.user_id
                    )
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = Program.objects.filter(
            organisation_id=membership.organisation_id
        )


class AcceptInvitationForm(forms.Form):
    """The new account of someone accepting an invitation."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = get_user_model()(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Object"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditEvent.Action.choices]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]
