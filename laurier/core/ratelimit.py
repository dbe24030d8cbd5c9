"""Limits on how often one client may call a public endpoint (personal links, answers)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The address of the client, as seen by the first proxy this site trusts.

    With `settings.TRUSTED_PROXY_COUNT` = n > 0, the n proxies in front of the site each append
    the address they received the request from to X-Forwarded-For, so the client is the n-th
    entry from the right; entries further left were written by the client and prove nothing.
    Without trusted proxies (or with a header shorter than n, which did not come through them
    all) the header is ignored and REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def _cache_key(request, scope, key):
    subject = client_address(request) if key is None else key
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def count_attempt(request, scope, *, period_seconds, key=None):
    """Count one call in `scope` for this client (or for `key`, e.g. a token); return the count
    in the current period of `period_seconds`."""
    cache_key = _cache_key(request, scope, key)
    if cache.add(cache_key, 1, timeout=period_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:
        # The entry expired between add and incr: this call starts a new period.
        cache.add(cache_key, 1, timeout=period_seconds)
        return 1


def has_reached_limit(request, scope, *, limit, key=None):
    """True once `limit` calls were counted in `scope` for this client (or `key`) in the current
    period; counts nothing itself, so failures alone can be counted with count_attempt."""
    return cache.get(_cache_key(request, scope, key), 0) >= limit


def is_rate_limited(request, scope, *, limit, period_seconds, key=None):
    """Count this request against `limit` calls per `period_seconds` for its client (or for
    `key`) and scope.

    True once over the limit. Uses the cache, so every process of one server shares the count
    when the cache is shared (database or Redis cache in production).
    """
    return count_attempt(request, scope, period_seconds=period_seconds, key=key) > limit
