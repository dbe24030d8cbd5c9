"""API tokens and clients for tests."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from laurier.api.scopes import ALL_SCOPES
from laurier.api.tokens import create_token


def make_token(organisation, admin, *, scopes=ALL_SCOPES, days=30, name="Integration"):
    """A token of `organisation` made by `admin` (an admin of it); returns (token, key)."""
    return create_token(
        organisation=organisation,
        actor=admin,
        name=name,
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )


def client_with(key, language="en"):
    """An API client that sends `key` as its bearer token, asking for answers in `language`."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
