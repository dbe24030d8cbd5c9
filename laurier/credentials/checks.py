"""Deployment checks of the credentials app."""

import os

from django.core.checks import Warning, register


@register(deploy=True)
def credential_secrets_are_their_own(app_configs, **kwargs):
    # Derived from SECRET_KEY, the signing keys become unreadable the day SECRET_KEY is changed
    # without being kept in SECRET_KEY_FALLBACKS: no badge could be issued or revoked after that.
    if os.environ.get("CREDENTIAL_KEY_SECRETS"):
        return []
    return [
        Warning(
            "CREDENTIAL_KEY_SECRETS is not set: the organisations' signing keys are encrypted "
            "with a secret derived from SECRET_KEY.",
            hint="Set CREDENTIAL_KEY_SECRETS to a long random secret of its own.",
            id="credentials.W001",
        )
    ]
