"""The admins' form for a webhook endpoint; the rules themselves are in `webhooks`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "The https:// address of your system that receives the events, e.g. "
            "https://hr.example.org/hooks/laurier."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What listens there, so others know, e.g. “HR system (Workday)”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("While off, nothing is sent and what was waiting is withdrawn."),
    )

    @classmethod
    def for_endpoint(cls, endpoint, data=None):
        """The form filled with an endpoint's values, to edit it."""
        initial = {
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
            "is_active": endpoint.is_active,
        }
        return cls(data, initial=initial)
