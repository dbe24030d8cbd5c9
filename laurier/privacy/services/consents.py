"""Recording a person's consents: each answer with the words they read, in the language they
read them, and when; a new answer of the same kind ends the one before."""

from django.db import transaction
from django.utils import timezone, translation

from .. import wording
from ..models import Consent, ConsentKind


def record_consent(person, *, kind, answer, answer_label, text, language, actor=None, at=None):
    """Keep `person`'s answer to the consent `kind`, shown as `text` in `language`.

    The same answer as the one in force changes nothing (a double submit, a survey answered
    again); another answer ends the one in force and becomes it. Returns the consent in force.
    """
    at = at or timezone.now()
    with transaction.atomic():
        current = (
            Consent.objects.select_for_update()
            .filter(person=person, kind=kind, ended_at__isnull=True)
            .first()
        )
        if current is not None and current.answer == answer:
            return current
        if current is not None:
            current.ended_at = at
            current.save(update_fields=["ended_at"])
        return Consent.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            kind=kind,
            answer=answer,
            answer_label=str(answer_label)[:300],
            wording=str(text),
            language=language,
            given_at=at,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )


def record_public_recognition(person, answer, *, actor=None, shown=None, at=None):
    """The profile's answer about public recognition. `shown` is (question, answer, language)
    as the person read them (a survey's own words); by default, the profile form's, in the
    active language."""
    if shown is None:
        shown = (
            wording.public_recognition_wording(),
            wording.public_recognition_answer(answer),
            translation.get_language() or person.language,
        )
    question, answer_label, language = shown
    return record_consent(
        person,
        kind=ConsentKind.PUBLIC_RECOGNITION,
        answer=answer,
        answer_label=answer_label,
        text=question,
        language=language,
        actor=actor,
        at=at,
    )


def record_public_badge_page(person, published, *, actor=None, at=None):
    """Publishing the page of badges (yes) or taking it down (the consent withdrawn: no), with
    the words of the page, in the active language."""
    return record_consent(
        person,
        kind=ConsentKind.PUBLIC_BADGE_PAGE,
        answer="yes" if published else "no",
        answer_label=wording.public_badge_page_answer(published),
        text=wording.public_badge_page_wording(),
        language=translation.get_language() or person.language,
        actor=actor,
        at=at,
    )
