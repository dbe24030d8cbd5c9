from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):
    # Apart from the data migration before it, so that PostgreSQL builds the index
    # in a transaction of its own.
    dependencies = [
        ("organisations", "0003_revoke_repeated_pending_invitations"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            ),
        ),
    ]
