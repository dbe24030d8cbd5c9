"""Addresses of this site as people and other systems see them, from SITE_URL."""

from django.conf import settings
from django.urls import reverse


def absolute_url(name: str, *args) -> str:
    """The full address of the view `name` with `args`, for e-mails, documents and QR codes."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)
