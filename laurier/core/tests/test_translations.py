"""French is first-class: the catalogue is complete, and what is served matches it."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "laurier" / "locale" / "fr_CA" / "LC_MESSAGES"


def test_french_catalogue_has_no_untranslated_entries():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    assert missing == []


def test_french_catalogue_has_no_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural and compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert stale == [], "run `make messages` to recompile the catalogue"


def test_french_is_the_default_language():
    assert settings.LANGUAGE_CODE == "fr-ca"
    with translation.override("fr-ca"):
        assert translation.gettext("Log out") == "Se déconnecter"
