"""Recording who looked at a person's whole data: every export leaves an audit event."""

from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent


def record_export(organisation, subject, *, actor, data_format, own):
    """Write the audit event "<actor> exported the data of <subject>" (a Person, or the
    Membership of someone who is no person of the organisation), as `data_format`; `own` when
    they exported their own data."""
    return record_event(
        organisation=organisation,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        instance=subject,
        changes={"format": data_format, "own_data": own},
    )
