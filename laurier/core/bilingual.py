"""Texts that organisations write in both languages: show the reader's, fall back on the other."""

from django.utils import translation


def in_reader_language(instance, field):
    """The French or English version of `field` (`field_fr`, `field_en`) for the active language.

    When the reader's version is empty, the other one is better than nothing.
    """
    french_first = (translation.get_language() or "fr").startswith("fr")
    order = ("fr", "en") if french_first else ("en", "fr")
    for suffix in order:
        value = getattr(instance, f"{field}_{suffix}")
        if value:
            return value
    return ""
