"""The audit trail: services record here every change a person makes."""

from django.forms.models import model_to_dict

from .models import AuditEvent


def snapshot(instance):
    """The plain field values of a model instance, ready to compare or store as JSON.

    Many-to-many relations are left out (they change apart from the row); a JSON list, such as
    who gives an award, is kept as a list of plain values.
    """
    related = {field.name for field in instance._meta.many_to_many}
    return {
        key: _plain(value) for key, value in model_to_dict(instance).items() if key not in related
    }


def _plain(value):
    if isinstance(value, bool | int | float | type(None)):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def record_change(*, organisation, actor, action, instance, before=None):
    """Write one audit event; for an update, store only the fields that changed."""
    changes = {}
    if action == AuditEvent.Action.UPDATE and before is not None:
        after = snapshot(instance)
        changes = {
            field: [before.get(field), value]
            for field, value in after.items()
            if before.get(field) != value
        }
        if not changes:
            return None
    elif action == AuditEvent.Action.CREATE:
        changes = snapshot(instance)
    event = _event(organisation, actor, action, instance, changes)
    event.save()
    return event


def record_event(*, organisation, actor, action, instance, changes):
    """Write one audit event that says what was done in `changes`, when no field comparison
    does (a reminder sent, an import's summary, a ledger line with its amounts)."""
    event = _event(organisation, actor, action, instance, changes)
    event.save()
    return event


def record_creations(*, organisation, actor, instances):
    """Write the creation events of many objects made at once (bulk entry), in one query."""
    return AuditEvent.objects.bulk_create(
        [
            _event(organisation, actor, AuditEvent.Action.CREATE, instance, snapshot(instance))
            for instance in instances
        ]
    )


def acting_user(actor):
    """The user to record as having done something, or None for the system (a task, the demo)
    or an anonymous visitor."""
    return actor if actor is not None and actor.is_authenticated else None


def _event(organisation, actor, action, instance, changes):
    return AuditEvent(
        # An Organisation or its id: callers often hold only the id.
        organisation_id=getattr(organisation, "pk", organisation),
        actor=acting_user(actor),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )
