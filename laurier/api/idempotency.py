"""`Idempotency-Key` on creating calls: the same key twice creates once and answers twice."""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .errors import Conflict, Unprocessable
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# How long a key's answer is kept: retries come within minutes; a day covers an integration
# that was down overnight. Older keys are forgotten, and may be used again.
KEY_LIFETIME = datetime.timedelta(hours=24)


def _fingerprint(request):
    """The method, address and content of a call, from what was parsed of it: reading the raw
    body would refuse a large upload (Django keeps at most DATA_UPLOAD_MAX_MEMORY_SIZE of it)."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}".encode())
    data = request.data
    if hasattr(data, "lists"):
        # A form or an upload: each field's values, and each file's content.
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            digest.update(b"\0" + name.encode())
            for value in values:
                digest.update(b"\0" + _value_digest(value))
    else:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _value_digest(value):
    if not hasattr(value, "chunks"):
        return str(value).encode()
    content = hashlib.sha256()
    for chunk in value.chunks():
        content.update(chunk)
    value.seek(0)
    return content.hexdigest().encode()


def idempotent(create):
    """Wrap a view method that creates: with an `Idempotency-Key` header, the first call's
    answer is kept with the key, in the transaction of the creation, and a repeat of the same
    call gets it back (with `Idempotent-Replayed: true`) instead of creating again.

    The same key with a different call is refused (422). A call that fails creates nothing and
    keeps nothing, so it can be corrected and sent again with its key. Keys are kept for
    KEY_LIFETIME; the caller's older keys are forgotten with each new keyed call.
    """

    def wrapped(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return create(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise Unprocessable(
                _("The Idempotency-Key header is longer than %(limit)s characters.")
                % {"limit": MAX_KEY_LENGTH}
            )
        fingerprint = _fingerprint(request)
        IdempotencyKey.objects.filter(
            token=request.auth, created_at__lt=timezone.now() - KEY_LIFETIME
        ).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        token=request.auth, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                # The first call with this key committed (on PostgreSQL, a concurrent one
                # waited on the unique index until it did): answer as it was answered.
                return _replay(request, key, fingerprint)
            response = create(view, request, *args, **kwargs)
            record.status_code = response.status_code
            record.body = response.data
            record.save(update_fields=["status_code", "body"])
            return response

    wrapped.__name__ = create.__name__
    wrapped.__doc__ = create.__doc__
    return wrapped


def _replay(request, key, fingerprint):
    record = IdempotencyKey.objects.get(token=request.auth, key=key)
    if record.fingerprint != fingerprint:
        raise Unprocessable(
            _("This Idempotency-Key was already used for a different call; use a new key.")
        )
    if record.status_code is None:
        raise Conflict(_("A call with this Idempotency-Key is still being processed."))
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
