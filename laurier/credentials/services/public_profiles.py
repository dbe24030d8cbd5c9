"""A person publishes their page of badges and certificates, or takes it down: only they can."""

import uuid

from django.db import transaction
from django.utils import timezone

from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent
from laurier.privacy.services.consents import record_public_badge_page

from ..models import PublicProfile


def publish(person, *, actor) -> PublicProfile:
    """Publish the person's page. Publishing a published page changes nothing (a double
    submit keeps the first date and address). Publishing again after a takedown gives the page
    a new address: one shared before the takedown stays dead."""
    with transaction.atomic():
        profile, created = PublicProfile.objects.select_for_update().get_or_create(person=person)
        if profile.is_published:
            return profile
        before = snapshot(profile)
        if not created:
            profile.public_id = uuid.uuid4()
        profile.published_at = timezone.now()
        profile.save(update_fields=["public_id", "published_at"])
        record_public_badge_page(person, True, actor=actor, at=profile.published_at)
        record_change(
            organisation=person.organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            instance=profile,
            before=before,
        )
        return profile


def unpublish(person, *, actor) -> PublicProfile | None:
    """Take the person's page down: its address answers "not found" from now on."""
    with transaction.atomic():
        profile = PublicProfile.objects.select_for_update().filter(person=person).first()
        if profile is None or not profile.is_published:
            return profile
        before = snapshot(profile)
        profile.published_at = None
        profile.save(update_fields=["published_at"])
        record_public_badge_page(person, False, actor=actor)
        record_change(
            organisation=person.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=profile,
            before=before,
        )
        return profile
