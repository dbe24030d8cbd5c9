"""Figures that are slow to count, kept until the organisation's data changes.

The program dashboard counts enrolments, pairings and a year of sessions, and looks for
the mentors needing attention: tens of milliseconds on a large program, on the page
managers open most. The services that change people, enrolments, pairings, sessions or
compensation decisions call `figures_changed` in their transaction, which moves the organisation's
FiguresVersion; `key_for` puts that number in the keys `remember` keeps figures under, so
the first request after a commit counts again, in every process.

Each process keeps the figures in its own memory (the "local" cache, settings.py): a key
names exactly the data it was counted from, so no process can serve another version's
figures, and a hit costs no query (the version comes with the organisation). Entries also
expire after five minutes, which bounds how long a change made outside the services (the
Django admin, a shell) takes to show.
"""

from django.core.cache import caches
from django.db import connection

from .models import FiguresVersion

CACHE = "local"


def figures_changed(organisation_id):
    """Record, in the caller's transaction, that the organisation's figures changed.

    The version moves in the same transaction as the data, so no request can see one
    without the other. Call it last: the version's row stays locked until the commit, and
    the organisation's other writers wait for it from there.
    """
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    with connection.cursor() as cursor:
        # One statement for the first change and the next ones alike (PostgreSQL and SQLite
        # both upsert so), so that two first changes at once cannot lose one.
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, number) VALUES (%s, 1) "
            f"ON CONFLICT (organisation_id) DO UPDATE SET number = {table}.number + 1",
            [organisation_id],
        )


def key_for(organisation, parts):
    """The cache key of what `parts` (a tuple) names, counted from the organisation's data as it
    is now; templates vary cached fragments on it too.

    The tenancy decorators read the version with the organisation (select_related), so a
    page pays no query for it; the version is the one the request started with.
    """
    try:
        version = organisation.figures_version.number
    except FiguresVersion.DoesNotExist:
        version = 0
    return ":".join(str(part) for part in ("figures", organisation.pk, version, *parts))


_MISSING = object()


def remember(key, compute):
    """`compute()`'s result (None included), kept under `key` (from key_for)."""
    cache = caches[CACHE]
    figures = cache.get(key, _MISSING)
    if figures is _MISSING:
        figures = compute()
        cache.set(key, figures)
    return figures
