"""The e-mail addresses of erased people, kept only as keyed hashes.

An erased person must not come back by the next import of an old staff list or the HR
folder's daily file: the import recognises their address and asks the admin to remove the
row or to ask the person. A plain hash of an address is reversed by hashing a list of likely
addresses; keyed with the site's SECRET_KEY (HMAC), it can only be computed by Laurier itself.
"""

import hashlib
import hmac

from django.conf import settings

from .models import ErasedEmail


def email_digest(email):
    """The keyed hash of `email`, whatever its case or surrounding spaces."""
    normalised = email.strip().lower().encode()
    key = f"laurier.privacy.erased-email:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


def remember_erased(organisation, emails, erased_on):
    """Keep the hashes of an erased person's `emails` (their record's and their account's)."""
    digests = {email_digest(email) for email in emails if email}
    ErasedEmail.objects.bulk_create(
        [ErasedEmail(organisation=organisation, digest=d, erased_on=erased_on) for d in digests],
        ignore_conflicts=True,
    )


def erased_on(organisation, emails):
    """{e-mail: the day its person was erased} for those of `emails` that belonged to an
    erased person of `organisation` (one query)."""
    by_digest = {email_digest(email): email for email in emails if email}
    found = ErasedEmail.objects.filter(organisation=organisation, digest__in=list(by_digest))
    return {by_digest[row.digest]: row.erased_on for row in found}
