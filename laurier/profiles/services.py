"""Writes of mentor profiles: from an answered profile survey or from the mentor's own form.

Both paths go through `save_profile`, so a profile and its history change in one place: the
profile rows are rewritten, and a ProfileVersion is appended only when the profile really
changed, which makes a repeated answer or a double submit harmless.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.privacy.services.consents import record_public_recognition
from laurier.programs.models import MentorEnrolment, Person
from laurier.surveys.models import Answer, Question, Survey

from .models import (
    PREFERENCE_SCORES,
    CategoryPreference,
    MentorProfile,
    ProfileMotivation,
    ProfileSource,
    ProfileVersion,
)
from .snapshots import (
    CATEGORY_ORDER,
    CONSENT_VALUES,
    LONG_TEXT_LIMIT,
    MOMENT_ORDER,
    MOTIVATION_ORDER,
    SNAPSHOT_KEYS,
    TEXT_FIELDS,
    profile_snapshot,
)

CATEGORY_KEY_PREFIX = "category:"
TEXT_LIMITS = {
    field: MentorProfile._meta.get_field(field).max_length or LONG_TEXT_LIMIT
    for field in TEXT_FIELDS
}


class SavedProfile(NamedTuple):
    """What `save_profile` returns: the profile (None if there is none) and whether it changed."""

    profile: MentorProfile | None
    changed: bool


def _validated(data):
    """`data` normalised (ordered lists, stripped texts), or ValidationError naming the field."""
    errors = {}
    motivations = list(dict.fromkeys(data["motivations"]))
    if any(value not in MOTIVATION_ORDER for value in motivations):
        errors["motivations"] = _("Choose reasons from the list.")
    moments = list(dict.fromkeys(data["moments"]))
    if any(value not in MOMENT_ORDER for value in moments):
        errors["moments"] = _("Choose moments from the list.")
    scores = data["scores"]
    if any(category not in CATEGORY_ORDER for category in scores) or any(
        isinstance(score, bool) or not isinstance(score, int) or score not in PREFERENCE_SCORES
        for score in scores.values()
    ):
        errors["scores"] = _("Each recognition is rated from 0 to 5.")
    if data["consent"] and data["consent"] not in CONSENT_VALUES:
        errors["consent"] = _("Choose one of the answers about public recognition.")
    texts = {field: (data[field] or "").strip() for field in TEXT_FIELDS}
    for field, text in texts.items():
        if len(text) > TEXT_LIMITS[field]:
            errors[field] = _("Keep it under %(limit)d characters.") % {"limit": TEXT_LIMITS[field]}
    if errors:
        raise ValidationError(errors)
    if "other" not in motivations:
        # The other reason only means something next to the "other" motivation.
        texts["motivation_other"] = ""
    return {
        "motivations": sorted(motivations, key=MOTIVATION_ORDER.__getitem__),
        "scores": {
            category: scores[category]
            for category in sorted(scores, key=CATEGORY_ORDER.__getitem__)
        },
        "consent": data["consent"] or "",
        "moments": sorted(moments, key=MOMENT_ORDER.__getitem__),
        **texts,
    }


def save_profile(*, person, actor, data, source, consent_shown=None):
    """Write `person`'s profile from `data` and record a version when it changed.

    `data` holds snapshot keys (motivations, motivation_other, scores, consent, interests, diet,
    accessibility, availability, moments); a key left out keeps its current value, and `scores`
    merges category by category. Raises ValidationError (naming the field) on a value outside
    the vocabularies or a score outside 0–5. Returns SavedProfile(profile, changed); the same
    data twice changes nothing, not even the date.

    A new answer about public recognition is also kept as a consent, with the words shown:
    `consent_shown` (question, answer, language), or by default the profile form's.
    """
    unknown = set(data) - set(SNAPSHOT_KEYS)
    if unknown:
        raise ValueError(f"Unknown profile fields: {sorted(unknown)}")
    if source not in ProfileSource.values:
        raise ValueError(f"Unknown profile source: {source}")
    with transaction.atomic():
        # Two saves of one person's profile (a double submit) run one after the other.
        list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
        profile = (
            MentorProfile.objects.filter(person_id=person.pk)
            .prefetch_related("motivations", "preferences")
            .first()
        )
        current = profile_snapshot(profile)
        merged = {**current, **data}
        merged["scores"] = {**current["scores"], **data.get("scores", {})}
        snapshot = _validated(merged)
        if snapshot == current:
            # Also true of an empty answer by someone without a profile: nothing to keep.
            return SavedProfile(profile, False)
        now = timezone.now()
        if profile is None:
            profile = MentorProfile(organisation_id=person.organisation_id, person_id=person.pk)
        profile.public_consent = snapshot["consent"]
        profile.preferred_moments = snapshot["moments"]
        for field in TEXT_FIELDS:
            setattr(profile, field, snapshot[field])
        profile.source = source
        profile.updated_at = now
        profile.updated_by = actor
        profile.save()
        ProfileMotivation.objects.filter(profile=profile).delete()
        ProfileMotivation.objects.bulk_create(
            ProfileMotivation(profile=profile, motivation=motivation)
            for motivation in snapshot["motivations"]
        )
        CategoryPreference.objects.filter(profile=profile).delete()
        CategoryPreference.objects.bulk_create(
            CategoryPreference(profile=profile, category=category, score=score)
            for category, score in snapshot["scores"].items()
        )
        # The rows were rewritten: drop the motivations and preferences read before.
        profile.refresh_from_db()
        latest = (
            ProfileVersion.objects.filter(person_id=person.pk)
            .values_list("data", flat=True)
            .first()
        )
        if snapshot["consent"] and snapshot["consent"] != current["consent"]:
            record_public_recognition(
                person, snapshot["consent"], actor=actor, shown=consent_shown, at=now
            )
        if latest != snapshot:
            ProfileVersion.objects.create(
                organisation_id=person.organisation_id,
                person_id=person.pk,
                recorded_at=now,
                source=source,
                recorded_by=actor,
                data=snapshot,
            )
    return SavedProfile(profile, True)


def _choice_keys(rows, allowed):
    return [row["choice__key"] for row in rows if row["choice__key"] in allowed]


def profile_data_from_answers(questions, answers):
    """The profile fields a response speaks to, read by question and choice keys.

    `questions` are the survey's keyed questions ({key: kind}); `answers` are dicts with
    question__key, choice__key, number and text. A field whose question the survey lacks, or
    that the person left unanswered, is left out (unchanged): the yearly survey starts blank,
    and skipping an optional question must not erase what the profile already says (diet,
    accessibility...). A mentor clears a field from their profile page.
    """
    by_key = {}
    for row in answers:
        by_key.setdefault(row["question__key"], []).append(row)
    data = {}
    if motivations := _choice_keys(by_key.get("motivations", []), MOTIVATION_ORDER):
        data["motivations"] = motivations
    if moments := _choice_keys(by_key.get("moments", []), MOMENT_ORDER):
        data["moments"] = moments
    for field in TEXT_FIELDS:
        if text := " ".join(row["text"].strip() for row in by_key.get(field, []) if row["text"]):
            data[field] = text[: TEXT_LIMITS[field]]
    if "public_consent" in questions:
        consent = _choice_keys(by_key.get("public_consent", []), CONSENT_VALUES)
        if consent:
            data["consent"] = consent[0]
    scores = {}
    for key in questions:
        category = key.removeprefix(CATEGORY_KEY_PREFIX)
        if key.startswith(CATEGORY_KEY_PREFIX) and category in CATEGORY_ORDER:
            numbers = [
                row["number"] for row in by_key.get(key, []) if row["number"] in PREFERENCE_SCORES
            ]
            if numbers:
                scores[category] = numbers[0]
    if scores:
        data["scores"] = scores
    return data


def update_profile_from_response(response):
    """Bring the respondent's profile up to date with their answers to a profile survey.

    Called after every submission of a survey whose purpose is "profile" (a response to any
    other survey, or by someone who mentors in no program, changes nothing). Reads answers by
    question and choice keys only: questions a manager added without a key are ignored.
    Idempotent: the same answers again leave the profile and its history as they are.
    Returns SavedProfile.
    """
    questions = dict(
        Question.objects.filter(
            survey__campaigns__pk=response.campaign_id, survey__purpose=Survey.Purpose.PROFILE
        )
        .exclude(key="")
        .values_list("key", "kind")
    )
    if not questions:
        return SavedProfile(None, False)
    person = Person.objects.select_related("user").get(survey_requests__pk=response.recipient_id)
    if not MentorEnrolment.objects.filter(person=person).exists():
        # A mentor profile describes a mentor: a mentee who was sent the survey gets none.
        return SavedProfile(None, False)
    answers = Answer.objects.filter(response_id=response.pk, question__key__in=list(questions))
    data = profile_data_from_answers(
        questions, answers.values("question__key", "choice__key", "number", "text")
    )
    if not data:
        return SavedProfile(None, False)
    return save_profile(
        person=person,
        actor=person.user,
        data=data,
        source=ProfileSource.SURVEY,
        consent_shown=_consent_as_shown(response, person) if "consent" in data else None,
    )


def _consent_as_shown(response, person):
    """The survey's question about public recognition and the answer chosen, in the words and
    the language the person read them (their own language, as the survey page shows)."""
    answer = (
        Answer.objects.filter(
            response_id=response.pk, question__key="public_consent", choice__isnull=False
        )
        .select_related("question", "choice")
        .first()
    )
    if answer is None:
        return None
    with translation.override(person.language):
        return (
            in_reader_language(answer.question, "text"),
            in_reader_language(answer.choice, "text"),
            person.language,
        )
