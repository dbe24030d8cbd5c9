"""What the organisation says about itself as an issuer of credentials."""

from django.db import transaction

from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent

from ..models import Issuer
from .issuance import issuer_for

ISSUER_FIELDS = ("website", "email", "linkedin_organization_id")


def update_issuer(organisation, *, actor, **fields) -> Issuer:
    """Save the issuer's website, contact e-mail and LinkedIn company ID. They appear in the
    credentials issued from now on; those issued earlier keep what they were signed with."""
    issuer_for(organisation)
    with transaction.atomic():
        issuer = Issuer.objects.select_for_update().get(organisation=organisation)
        before = snapshot(issuer)
        for name in ISSUER_FIELDS:
            if name in fields:
                setattr(issuer, name, (fields[name] or "").strip())
        issuer.full_clean()
        issuer.save()
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=issuer,
            before=before,
        )
        return issuer
