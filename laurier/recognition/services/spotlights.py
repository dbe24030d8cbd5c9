"""Writes of spotlights: draft one from the mentor's record, save it, change it, delete it,
and the exports' consent check.

A spotlight puts a mentor in public view, so it exists only for a mentor who agreed: "yes"
in their profile, or "ask me each time" with the day they said yes to this one. The check
runs when the spotlight is written, and again each time it leaves Laurier (a download, a
team-chat post): a mentor who has withdrawn their consent since is not published.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import organisation_today
from laurier.organisations.audit import acting_user, record_change, snapshot
from laurier.organisations.models import AuditEvent
from laurier.programs.models import MentorEnrolment, Person

from ..categories import PublicConsent
from ..models import Spotlight
from ..selectors.spotlights import (
    consent_problem,
    created_recently,
    mentor_record,
    public_consent_of,
)

LANGUAGES = {"fr": "fr-ca", "en": "en"}
TEXT_FIELDS = ("title_fr", "title_en", "body_fr", "body_en")
EDITABLE_FIELDS = (*TEXT_FIELDS, "consent_given_on")
# The same form sent again within this time is a double submit, not a second spotlight.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)
# Long texts are shortened in the audit trail: it says what changed, not the whole article.
AUDIT_TEXT_LENGTH = 200


# --- The draft -------------------------------------------------------------------------------


def draft_spotlight(program, mentor, today=None):
    """{"title_fr", "title_en", "body_fr", "body_en"}: a warm, newsletter-like draft about
    `mentor` in Markdown, written from their record (programs, years, hours, mentees,
    recognitions, interests, quotes from approved thank-you notes), once in each language."""
    today = today or organisation_today(program.organisation)
    record = mentor_record(mentor, today)
    for quote in record.quotes:
        quote.quoted = "\n".join(f"> {line}".rstrip() for line in quote.text.strip().splitlines())
    draft = {}
    for suffix, language in LANGUAGES.items():
        with translation.override(language):
            draft[f"title_{suffix}"] = _("Mentor spotlight: %(name)s") % {"name": mentor.full_name}
            draft[f"body_{suffix}"] = _tidy(
                render_to_string(
                    "recognition/spotlights/draft.md",
                    {
                        "record": record,
                        "program": program,
                        "programs": get_text_list(record.program_names, _("and")),
                        "recognitions": get_text_list(
                            [
                                f"*{in_reader_language(award.option, 'name')}*"
                                for award in record.recognitions
                            ],
                            _("and"),
                        ),
                        "quotes": record.quotes,
                    },
                )
            )
    return draft


def _tidy(text):
    """The template's Markdown without its stray spaces and blank lines."""
    lines = [re.sub(r" {2,}", " ", line.strip()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- Consent ---------------------------------------------------------------------------------


def check_consent(mentor, consent_given_on=None, *, today=None):
    """Refuse (ValidationError, with the reason) a spotlight of a mentor who did not agree to
    public recognition; for "ask me each time", `consent_given_on` must be given and past."""
    problem = consent_problem(mentor, consent_given_on)
    if problem:
        field = "consent_given_on" if public_consent_of(mentor) == PublicConsent.ASK else None
        raise ValidationError({field: problem} if field else problem, code="no_consent")
    if consent_given_on and public_consent_of(mentor) == PublicConsent.ASK:
        today = today or organisation_today(mentor.organisation)
        if consent_given_on > today:
            raise ValidationError(
                {"consent_given_on": _("They cannot have agreed on a day still to come.")},
                code="future_consent",
            )


def check_publishable(spotlight):
    """Refuse (ValidationError, with the reason) to let `spotlight` leave Laurier when its
    mentor's consent is no longer there: asked again at each export and post."""
    # Read again: the mentor may have changed their answer since the page was loaded.
    mentor = Person.objects.select_related("mentor_profile").get(pk=spotlight.mentor_id)
    problem = consent_problem(mentor, spotlight.consent_given_on)
    if problem:
        raise ValidationError(
            _("Not published: %(reason)s") % {"reason": problem}, code="no_consent"
        )


def _consent_day(mentor, consent_given_on):
    # The day of agreement belongs only to "ask me each time": a "yes" needs none.
    return consent_given_on if public_consent_of(mentor) == PublicConsent.ASK else None


# --- Writing ---------------------------------------------------------------------------------


def create_spotlight(
    *, program, mentor, actor, title_fr, title_en, body_fr, body_en, consent_given_on=None
):
    """Save a spotlight of `mentor` (a mentor of `program`) as the manager edited it.

    Refused, with the reason and nothing written, when the mentor did not agree to public
    recognition. Returns (spotlight, created): the same form sent twice saves one.
    """
    texts = _clean_texts(
        {"title_fr": title_fr, "title_en": title_en, "body_fr": body_fr, "body_en": body_en}
    )
    with transaction.atomic():
        # One at a time per mentor: a double submit waits here, then finds the first one.
        enrolment = (
            MentorEnrolment.objects.select_for_update()
            .filter(program=program, person=mentor)
            .first()
        )
        if enrolment is None:
            raise ValidationError(_("This person is not a mentor of this program."))
        mentor = Person.objects.select_related("mentor_profile").get(pk=mentor.pk)
        check_consent(mentor, consent_given_on)
        existing = created_recently(
            program, mentor, texts, since=timezone.now() - DOUBLE_SUBMIT_WINDOW
        )
        if existing is not None:
            return existing, False
        spotlight = Spotlight.objects.create(
            organisation=program.organisation,
            program=program,
            mentor=mentor,
            consent_given_on=_consent_day(mentor, consent_given_on),
            created_by=acting_user(actor),
            **texts,
        )
        _audit(spotlight, actor, AuditEvent.Action.CREATE)
    return spotlight, True


def edit_spotlight(spotlight, *, actor, **fields):
    """Change a spotlight's titles, texts or the day its mentor agreed (EDITABLE_FIELDS).

    The mentor's consent is checked again: a spotlight is not kept up to date for someone
    who no longer agrees.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not a spotlight field: {', '.join(sorted(unknown))}")
    texts = _clean_texts({name: fields[name] for name in TEXT_FIELDS if name in fields})
    with transaction.atomic():
        # Lock the row alone: PostgreSQL locks no row of an outer join (the optional profile).
        Spotlight.objects.select_for_update().filter(pk=spotlight.pk).values_list("pk").get()
        spotlight = Spotlight.objects.select_related("mentor__mentor_profile", "organisation").get(
            pk=spotlight.pk
        )
        before = snapshot(spotlight)
        consent_given_on = fields.get("consent_given_on", spotlight.consent_given_on)
        check_consent(spotlight.mentor, consent_given_on)
        for name, value in texts.items():
            setattr(spotlight, name, value)
        spotlight.consent_given_on = _consent_day(spotlight.mentor, consent_given_on)
        spotlight.save()
        _audit(spotlight, actor, AuditEvent.Action.UPDATE, before)
    return spotlight


def delete_spotlight(spotlight, *, actor):
    """Delete a spotlight; the audit trail keeps that it existed and who deleted it."""
    with transaction.atomic():
        spotlight = Spotlight.objects.select_for_update().filter(pk=spotlight.pk).first()
        if spotlight is None:
            return
        _audit(spotlight, actor, AuditEvent.Action.DELETE)
        spotlight.delete()


def _clean_texts(texts):
    cleaned = {name: (value or "").strip() for name, value in texts.items()}
    errors = {}
    for name, value in cleaned.items():
        field = Spotlight._meta.get_field(name)
        if not value:
            errors[name] = _("Write the %(field)s.") % {"field": field.verbose_name}
        elif len(value) > field.max_length:
            errors[name] = _(
                "Keep the %(field)s under %(limit)s characters (it has %(length)s)."
            ) % {"field": field.verbose_name, "limit": field.max_length, "length": len(value)}
    if errors:
        raise ValidationError(errors)
    # Markdown written on Windows keeps its line ends otherwise, and exports mix both.
    return {name: value.replace("\r\n", "\n") for name, value in cleaned.items()}


def _audit(spotlight, actor, action, before=None):
    event = record_change(
        organisation=spotlight.organisation_id,
        actor=actor,
        action=action,
        instance=spotlight,
        before=before,
    )
    if event is None:
        return
    shortened = False
    for name in ("body_fr", "body_en"):
        value = event.changes.get(name)
        if isinstance(value, list):
            event.changes[name] = [_shorten(item) for item in value]
            shortened = True
        elif isinstance(value, str):
            event.changes[name] = _shorten(value)
            shortened = True
    if shortened:
        event.save(update_fields=["changes"])


def _shorten(text):
    if not isinstance(text, str) or len(text) <= AUDIT_TEXT_LENGTH:
        return text
    return text[: AUDIT_TEXT_LENGTH - 1] + "…"
