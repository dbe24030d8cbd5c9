"""Word search shared by the list pages: case and accents aside, as people type names."""

import unicodedata

from django.db.models import CharField, F, Func, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

SQLITE_UNACCENT = "laurier_unaccent"


def without_accents(text):
    """ "Hélène Côté" → "Helene Cote"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Unaccent(Func):
    """The text without accents: PostgreSQL's unaccent, or the function registered on SQLite."""

    function = SQLITE_UNACCENT
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="UNACCENT", **extra_context)


def register_sqlite_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_UNACCENT,
            1,
            lambda text: None if text is None else without_accents(text),
            deterministic=True,
        )


def _comparable(field):
    return Lower(Unaccent(F(field)))


def matches_every_word(search, fields):
    """A condition true when every word of `search` is in at least one of `fields`.

    Words are compared without case or accents; an empty search matches everything.
    """
    condition = Q()
    for word in search.split():
        wanted = without_accents(word).lower()
        any_field = Q()
        for field in fields:
            any_field |= Q(Contains(_comparable(field), wanted))
        condition &= any_field
    return condition
