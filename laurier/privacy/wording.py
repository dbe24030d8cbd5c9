"""The words of each consent Laurier asks for, as the person reads them: the consent rows keep
them in the language shown, so what was agreed to can always be read again."""

from django.utils.translation import gettext, gettext_noop

from laurier.recognition.categories import PublicConsent

# Kept in migration 0002 too, word for word: the answers recorded before this app existed.
UNKNOWN_WORDING = gettext_noop("Recorded before consents were kept with their wording.")


def public_recognition_wording():
    """The question of the mentor's profile form, in the active language."""
    return gettext("May we recognise you in public?")


def public_recognition_answer(answer):
    """The answer as the profile form shows it, in the active language."""
    return str(dict(PublicConsent.choices).get(answer, answer))


def public_badge_page_wording():
    """What the page of badges says above its button, in the active language."""
    return gettext(
        "By publishing, you agree that anyone with the page's address sees what is listed "
        "above. You can take it down at any time."
    )


def public_badge_page_answer(published):
    return gettext("Publish my page") if published else gettext("Take my page down")
