"""API keys: made, recognised and revoked here, and nowhere else."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent

from .models import ApiToken
from .scopes import ALL_SCOPES

# "lau_" marks the key as Laurier's (secret scanners look for such prefixes); the prefix that
# follows is stored in clear to name the key in lists, the rest only as a hash.
KEY_MARK = "lau_"
PREFIX_LENGTH = 8


def hash_key(key):
    # The key is 256 random bits: a plain SHA-256 cannot be reversed, and a slow hash would
    # slow every API call for no gain.
    return hashlib.sha256(key.encode()).hexdigest()


# A token lives at most this long: an integration must be looked at again now and then.
LONGEST_LIFE = datetime.timedelta(days=2 * 366)


def _check_token(organisation, name, scopes, expires_at):
    problems = {}
    if not name.strip():
        problems["name"] = _("Give the token a name that says which system uses it.")
    elif ApiToken.objects.filter(
        organisation=organisation, name__iexact=name.strip(), revoked_at__isnull=True
    ).exists():
        problems["name"] = _("A token in use already has this name: choose another.")
    unknown = set(scopes) - set(ALL_SCOPES)
    if not scopes or unknown:
        problems["scopes"] = _("Give the token at least one permission, among those offered.")
    now = timezone.now()
    if expires_at <= now:
        problems["expires_at"] = _("The expiry date must be in the future.")
    elif expires_at > now + LONGEST_LIFE:
        problems["expires_at"] = _("A token cannot last more than two years.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_token(*, organisation, actor, name, scopes, expires_at):
    """Make a token; returns (token, key). The key is never stored and cannot be shown again.

    The name is unique among the organisation's tokens in use, so a form sent twice makes one.
    """
    _check_token(organisation, name, scopes, expires_at)
    name = name.strip()
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        key_hash=hash_key(key),
        scopes=sorted(scopes),
        created_by=actor,
        expires_at=expires_at,
    )
    # The hash stays out of the trail: what matters is who made which token with what rights.
    record_event(
        organisation=organisation,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=token,
        changes={
            "name": name,
            "prefix": prefix,
            "scopes": token.scopes,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, key


def find_token(key):
    """The token this key belongs to, whatever its state, or None."""
    if not key.startswith(KEY_MARK):
        return None
    return (
        ApiToken.objects.select_related("organisation", "created_by")
        .filter(key_hash=hash_key(key))
        .first()
    )


@transaction.atomic
def revoke_token(token, *, actor):
    """Stop a token from working, at once and for good."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        organisation=token.organisation,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=token,
        changes={"revoked": [None, token.revoked_at.isoformat()]},
    )
    return token


# Recording every call would write on every read; once a minute is enough to tell a token in
# use from a forgotten one.
LAST_USED_PRECISION_SECONDS = 60


def note_use(token):
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < (
        LAST_USED_PRECISION_SECONDS
    ):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
