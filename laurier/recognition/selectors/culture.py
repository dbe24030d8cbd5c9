"""Reads of the culture profile."""

from ..models import CultureProfile


def culture_profile_of(organisation):
    """The organisation's culture profile, or None while nobody described it."""
    return CultureProfile.objects.filter(organisation=organisation).first()
