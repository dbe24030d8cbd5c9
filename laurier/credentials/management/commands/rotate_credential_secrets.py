from django.core.management.base import BaseCommand
from django.db import transaction

from laurier.credentials.keys import reencrypt
from laurier.credentials.models import SigningKey


class Command(BaseCommand):
    help = (
        "Re-encrypt every organisation's signing keys under the first secret of "
        "CREDENTIAL_KEY_SECRETS. Put the new secret first and keep the old one after it, run "
        "this, then remove the old secret."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for key in SigningKey.objects.select_for_update().only("pk", "encrypted_seed"):
                key.encrypted_seed = reencrypt(key.encrypted_seed)
                key.save(update_fields=["encrypted_seed"])
                count += 1
        self.stdout.write(f"{count} signing key(s) re-encrypted under the newest secret.")
