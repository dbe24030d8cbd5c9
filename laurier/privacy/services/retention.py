"""The retention rule: every day, erase the people inactive for longer than the organisation
allows, with the same erasure as an admin's."""

from django.db import transaction
from django.utils import timezone

from laurier.core.dates import organisation_today
from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent

from .. import selectors
from ..models import Erasure, RetentionPolicy
from .erasure import erase_people


def set_retention(organisation, *, months, actor):
    """Set (months) or switch off (None) the organisation's retention rule, in the trail."""
    with transaction.atomic():
        policy, created = RetentionPolicy.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = snapshot(policy)
        policy.erase_inactive_after_months = months
        policy.updated_by = actor if actor is not None and actor.is_authenticated else None
        policy.save()
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            instance=policy,
            before=None if created else before,
        )
        return policy


def apply_retention(*, today=None):
    """Erase, in every organisation whose rule is on, the people it makes due today (in the
    organisation's time zone). Returns the number of people erased."""
    erased = 0
    policies = RetentionPolicy.objects.filter(
        erase_inactive_after_months__isnull=False
    ).select_related("organisation")
    for policy in policies:
        organisation = policy.organisation
        with timezone.override(organisation.time_zone):
            day = today or organisation_today(organisation)
            due = selectors.inactive_people(
                organisation, today=day, months=policy.erase_inactive_after_months
            )
            erased += erase_people(list(due), actor=None, reason=Erasure.Reason.RETENTION)
    return erased
