"""Writes of the recognition calendar: the organisation's own dates and the programs' feeds."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent, Role
from laurier.organisations.tenancy import programs_managed_by

from ..models import CalendarFeed, ImportantDate

# 32 random bytes: 256 bits, beyond guessing.
TOKEN_BYTES = 32
FIELDS = ("name_fr", "name_en", "date", "yearly", "program")


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def may_edit(membership, important_date):
    """Admins edit every date; managers only those of programs they manage.

    The organisation-wide dates are the admins': managers read them.
    """
    if membership.role == Role.ADMIN:
        return True
    if membership.role != Role.MANAGER or important_date.program_id is None:
        return False
    return programs_managed_by(membership).filter(pk=important_date.program_id).exists()


def _check(membership, fields):
    if not (fields.get("name_fr") or "").strip() and not (fields.get("name_en") or "").strip():
        raise ValidationError(_("Give the date a name, in French or in English."))
    program = fields.get("program")
    if program is not None and program.organisation_id != membership.organisation_id:
        raise ValidationError({"program": _("Choose one of your organisation's programs.")})
    if membership.role == Role.ADMIN:
        return
    if membership.role != Role.MANAGER:
        raise PermissionDenied
    if program is None:
        raise ValidationError(
            {"program": _("Only an administrator adds a date for the whole organisation.")}
        )
    if not programs_managed_by(membership).filter(pk=program.pk).exists():
        raise ValidationError({"program": _("Choose a program you manage.")})


def create_important_date(*, membership, actor, **fields):
    """Add a date to the organisation's calendar (or a program's); audited."""
    _check(membership, fields)
    with transaction.atomic():
        important = ImportantDate(organisation_id=membership.organisation_id)
        for name in FIELDS:
            setattr(important, name, fields.get(name))
        important.yearly = bool(fields.get("yearly"))
        important.full_clean()
        important.save()
        record_change(
            organisation=membership.organisation_id,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=important,
        )
    return important


def update_important_date(important, *, membership, actor, **fields):
    """Change a date; a manager may neither move it to the whole organisation nor edit one."""
    if not may_edit(membership, important):
        raise PermissionDenied
    _check(membership, fields)
    with transaction.atomic():
        important = ImportantDate.objects.select_for_update().get(pk=important.pk)
        before = snapshot(important)
        for name in FIELDS:
            setattr(important, name, fields.get(name))
        important.yearly = bool(fields.get("yearly"))
        important.full_clean()
        important.save()
        record_change(
            organisation=membership.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=important,
            before=before,
        )
    return important


def delete_important_date(important, *, membership, actor):
    """Remove a date; removing one already gone does nothing (a double submit)."""
    if not may_edit(membership, important):
        raise PermissionDenied
    with transaction.atomic():
        deleted = ImportantDate.objects.select_for_update().filter(pk=important.pk).first()
        if deleted is None:
            return False
        record_change(
            organisation=membership.organisation_id,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=deleted,
        )
        deleted.delete()
    return True


def regenerate_feed(program, *, actor):
    """Give the program's feed a new secret address; the old one stops answering at once."""
    with transaction.atomic():
        now = timezone.now()
        # get_or_create survives two first clicks at once: the loser reads the winner's feed.
        feed, created = CalendarFeed.objects.get_or_create(
            program=program, defaults={"token": new_token(), "created_at": now}
        )
        action = AuditEvent.Action.CREATE
        if not created:
            feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
            feed.token = new_token()
            feed.created_at = now
            feed.save(update_fields=["token", "created_at"])
            action = AuditEvent.Action.UPDATE
        # The token itself stays out of the audit trail: whoever reads it could subscribe.
        record_event(
            organisation=program.organisation_id,
            actor=actor,
            action=action,
            instance=feed,
            changes={"calendar_feed": "new secret address"},
        )
    return feed
