"""Deployment checks of what every app relies on."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def rate_limits_are_shared(app_configs, **kwargs):
    """Rate limits (login attempts, personal links) count in the default cache: a cache kept in
    each process's memory gives every gunicorn worker its own count, so an attacker gets the
    limit once per worker, and a restart forgets it."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache lives in each process's memory: rate limits on logins and "
            "personal links count per process.",
            hint="Set SHARED_CACHE=database and run `manage.py createcachetable` once.",
            id="core.W001",
        )
    ]
