"""Name lists in the order people expect: Bédard before Bouchard, Émilie before Zoé.

Databases compare bytes by default, which sends every accented or lower-case initial
to the end of a list. PostgreSQL has ICU's language-neutral collation; SQLite gets an
equivalent collation registered on each new connection.
"""

import unicodedata

from django.db import connection
from django.db.models.functions import Collate

POSTGRESQL_COLLATION = "und-x-icu"
SQLITE_COLLATION = "laurier_natural"


def natural(field):
    """`field` as an ordering expression that ignores accents and case."""
    collation = POSTGRESQL_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(field, collation)


def natural_key(text):
    """The comparison key of the SQLite collation: letters without accents, then the text."""
    base = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return (base, text)


def compare_naturally(first, second):
    first_key, second_key = natural_key(first), natural_key(second)
    return (first_key > second_key) - (first_key < second_key)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare_naturally)
