"""Reads for a credential's holder: their badges and certificates, and their public page."""

from django.utils import timezone

from .models import Credential, Issuer, PublicProfile


class Status:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"


def status_of(credential, now=None) -> str:
    if credential.revoked_at is not None:
        return Status.REVOKED
    if credential.valid_until is not None and credential.valid_until <= (now or timezone.now()):
        return Status.EXPIRED
    return Status.VALID


def downloadable_credential(public_id):
    """A credential by its public id, with what its image and certificate need, or None."""
    return (
        Credential.objects.select_related(
            "organisation", "person__organisation", "badge_class", "award__option"
        )
        .filter(public_id=public_id)
        .first()
    )


def credentials_of_person(person):
    """The person's credentials in their organisation, newest first, with their status. The
    signed documents stay in the database: a list needs none of them."""
    now = timezone.now()
    credentials = list(
        Credential.objects.filter(person=person, organisation_id=person.organisation_id)
        .defer("document", "jwt")
        .order_by("-issued_at", "-pk")
    )
    for credential in credentials:
        # One organisation for all: spares a query per credential.
        credential.organisation = person.organisation
        credential.status = status_of(credential, now)
    return credentials


def issuer_of(organisation):
    return Issuer.objects.filter(organisation=organisation).first()


def profile_of(person):
    return PublicProfile.objects.filter(person=person).first()


def published_profile(public_id):
    """A public profile its person has published, or None."""
    return (
        PublicProfile.objects.select_related("person__organisation")
        .filter(public_id=public_id, published_at__isnull=False)
        .first()
    )


def shown_on_profile(person):
    """What a public profile shows: the person's credentials that are valid now."""
    return [c for c in credentials_of_person(person) if c.status == Status.VALID]
