"""Reads for a credential's holder: their badges and certificates, and their public page. A
credential's status and the list of a person's credentials come from `selectors`, as on the
managers' pages."""

from .erasure import is_redacted
from .models import Credential, CredentialKind, PublicProfile
from .selectors import CredentialStatus, credentials_of_person


def downloadable_credential(public_id):
    """A credential by its public id, with what its image and certificate need, or None
    (also for one whose holder's data were erased: Laurier no longer has its signed copy)."""
    credential = (
        Credential.objects.select_related(
            "organisation__issuer", "person__organisation", "badge_class", "award__option"
        )
        .filter(public_id=public_id)
        .first()
    )
    if credential is None or is_redacted(credential.document):
        return None
    return credential


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
    """What a public profile shows: the person's badges and recognition certificates that are
    valid now. Never a training-hours certificate: its name states the year's hours, and the
    page promises nothing of the person's hours; its holder shares it by its own link."""
    return [
        credential
        for credential in credentials_of_person(person)
        if credential.status == CredentialStatus.VALID
        and credential.kind != CredentialKind.TRAINING
    ]
