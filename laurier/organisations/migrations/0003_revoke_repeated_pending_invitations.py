from django.db import migrations
from django.db.models.functions import Lower
from django.utils import timezone


def revoke_repeated_pending_invitations(apps, schema_editor):
    """Keep the newest pending invitation of each address; revoke the older ones.

    Revoking (rather than deleting) keeps the trail, and the newest link still works.
    """
    Invitation = apps.get_model("organisations", "Invitation")
    pending = (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .annotate(key=Lower("email"))
        .order_by("organisation_id", "key", "-created_at", "-pk")
    )
    seen = set()
    older = []
    for invitation in pending:
        address = (invitation.organisation_id, invitation.key)
        if address in seen:
            older.append(invitation.pk)
        else:
            seen.add(address)
    if older:
        Invitation.objects.filter(pk__in=older).update(revoked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(revoke_repeated_pending_invitations, migrations.RunPython.noop),
    ]
