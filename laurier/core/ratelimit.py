"""Limits on how often one client may call a public endpoint (personal links, answers)."""

import hashlib

from django.core.cache import cache


def client_address(request):
    # Behind a proxy, configure it to set REMOTE_ADDR (never trust a client-sent header here).
    return request.META.get("REMOTE_ADDR", "")


def is_rate_limited(request, scope, *, limit, period_seconds):
    """Count this request against `limit` calls per `period_seconds` for its client and scope.

    True once the client went over the limit. Uses the cache, so every process of one server
    shares the count when the cache is shared (database or Redis cache in production).
    """
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{address}"
    if cache.add(key, 1, timeout=period_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this call starts a new period.
        cache.add(key, 1, timeout=period_seconds)
        return False
    return count > limit
