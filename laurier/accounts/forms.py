from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Role

from . import sso
from .models import SingleSignOn


class SingleSignOnForm(forms.Form):
    """An organisation's OpenID Connect settings, as its admin types them."""

    server_url = forms.URLField(
        label=_("Identity provider address (issuer)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The issuer address of your OpenID Connect provider, for example "
            "https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com. "
            "Laurier reads its settings at /.well-known/openid-configuration."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    button_label = forms.CharField(
        label=_("Button label"),
        max_length=40,
        help_text=_("What members see on the login page, for example “Hydro account”."),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed e-mail domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, for example hydro.example. Only addresses at these domains may sign "
            "in, and people typing such an address on the login page are sent to your provider. "
            "Leave empty to accept any domain (members then use your organisation's sign-in link)."
        ),
    )
    mode = forms.ChoiceField(
        label=_("How members sign in"),
        choices=SingleSignOn.Mode.choices,
        widget=forms.RadioSelect,
        initial=SingleSignOn.Mode.SSO_OR_PASSWORD,
    )
    recovery_admin = forms.ModelChoiceField(
        label=_("Admin who keeps a password"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=SingleSignOn._meta.get_field("recovery_admin").help_text,
    )

    def __init__(self, *args, organisation, single_sign_on=None, **kwargs):
        self.single_sign_on = single_sign_on
        if single_sign_on is not None:
            kwargs.setdefault("initial", _initial(single_sign_on))
        super().__init__(*args, **kwargs)
        self.fields["recovery_admin"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation, memberships__role=Role.ADMIN)
            .order_by("last_name", "first_name", "email", "pk")
        )
        secret = self.fields["client_secret"]
        if single_sign_on is None:
            secret.required = True
        else:
            secret.help_text = _("Stored: %(hint)s. Leave empty to keep it.") % {
                "hint": sso.secret_hint(single_sign_on.app.secret)
            }

    def clean_allowed_domains(self):
        return sso.parse_domains(self.cleaned_data["allowed_domains"])

    def clean_server_url(self):
        url = self.cleaned_data["server_url"]
        sso.validate_server_url(url)
        return url

    def add_service_error(self, error: ValidationError):
        """Show a service's refusal beside the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _initial(single_sign_on):
    app = single_sign_on.app
    return {
        "server_url": app.settings.get("server_url", ""),
        "client_id": app.client_id,
        "button_label": app.name,
        "allowed_domains": "\n".join(single_sign_on.allowed_domains),
        "mode": single_sign_on.mode,
        "recovery_admin": single_sign_on.recovery_admin_id,
    }


class SignOnEmailForm(forms.Form):
    """The login page's “sign in with your organisation's account”: the address says which."""

    email = forms.EmailField(
        label=_("Work e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
