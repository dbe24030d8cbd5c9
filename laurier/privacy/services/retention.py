"""The retention rule: every day, erase the people inactive for longer than the organisation
allows, with the same erasure as an admin's."""

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from laurier.core.dates import organisation_today
from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent

from .. import selectors
from ..models import Erasure, RetentionPolicy
from .erasure import erase_people

logger = logging.getLogger(__name__)


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


def _policies():
    return RetentionPolicy.objects.filter(erase_inactive_after_months__isnull=False).select_related(
        "organisation"
    )


def _due(policy, today):
    organisation = policy.organisation
    with timezone.override(organisation.time_zone):
        day = today or organisation_today(organisation)
        return list(
            selectors.inactive_people(
                organisation, today=day, months=policy.erase_inactive_after_months
            )
        )


def due_by_organisation(*, today=None):
    """(organisation, people the rule erases today) for every organisation whose rule is on:
    what the daily run would do, for a dry run."""
    return [(policy.organisation, _due(policy, today)) for policy in _policies()]


@dataclass
class RetentionRun:
    erased: int = 0
    # (organisation, error) for each person the run could not erase.
    failures: list = field(default_factory=list)


def apply_retention(*, today=None):
    """Erase, in every organisation whose rule is on, the people it makes due today (in the
    organisation's time zone). A person who cannot be erased (an error of the database) is
    logged and left for the next run; the others, and the other organisations, go on."""
    run = RetentionRun()
    for policy in _policies():
        organisation = policy.organisation
        try:
            due = _due(policy, today)
        except DatabaseError as error:
            logger.exception("Retention of %s: the people due could not be read", organisation)
            run.failures.append((organisation, error))
            continue
        erased, failures = erase_people(due, actor=None, reason=Erasure.Reason.RETENTION)
        run.erased += erased
        run.failures += [(organisation, error) for error in failures]
    return run
