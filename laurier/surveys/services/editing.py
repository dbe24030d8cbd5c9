"""Writes of the survey editor: surveys, their questions and choices.

Every rule the editor's forms check is checked here again, so a crafted request cannot break
one: the keys the mentor profile reads stay, conditions point to earlier questions of the same
survey, choice questions keep at least two choices, and positions stay 1, 2, 3, ...
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent, Organisation

from ..models import Choice, Question, Survey

SURVEY_FIELDS = (
    "purpose",
    "title_fr",
    "title_en",
    "introduction_fr",
    "introduction_en",
    "anonymous",
)
QUESTION_FIELDS = ("kind", "text_fr", "text_en", "help_fr", "help_en", "required")

# Translators: the title of a copy of a survey; French: "%(title)s (copie)".
COPY_TITLE = _("%(title)s (copy)")
TITLE_LENGTH = 200
TITLE_TAKEN = _("Another survey of the organisation already has this title.")
TWO_CHOICES_NEEDED = _("A choice question needs at least two choices.")
NO_CHOICES_ALLOWED = _(
    "Only single choice, multiple choice and ranking questions have choices: delete them or "
    "choose one of these types."
)
PULSE_IS_ANONYMOUS = _(
    "A pulse survey is always anonymous: its results appear only in aggregate, once a campaign "
    "closes, for groups large enough."
)
KEYED_KIND_FIXED = _(
    "The type of this question cannot change: the mentor profile and the reports read its answers."
)


class Direction:
    """Where `move_question` moves a question."""

    UP = "up"
    DOWN = "down"


@dataclass
class ChoiceEdit:
    """One row of a question's choices as the editor submitted it, in the order wanted."""

    choice: Choice | None  # None for a new choice
    text_fr: str = ""
    text_en: str = ""
    delete: bool = False


def copy_survey(survey, *, frozen=False):
    """A full copy of a survey, its questions, choices and conditions.

    A campaign sends a frozen copy, so that editing the survey later never changes what people
    were asked; managers copy a survey to start a new one from it.
    """
    with transaction.atomic():
        questions = list(survey.questions.prefetch_related("choices").order_by("position", "pk"))
        copy = Survey.objects.create(
            organisation=survey.organisation,
            purpose=survey.purpose,
            title_fr=survey.title_fr,
            title_en=survey.title_en,
            introduction_fr=survey.introduction_fr,
            introduction_en=survey.introduction_en,
            anonymous=survey.anonymous,
            frozen=frozen,
            copied_from=survey,
        )
        new_questions = Question.objects.bulk_create(
            Question(
                survey=copy,
                position=question.position,
                kind=question.kind,
                key=question.key,
                text_fr=question.text_fr,
                text_en=question.text_en,
                help_fr=question.help_fr,
                help_en=question.help_en,
                required=question.required,
            )
            for question in questions
        )
        old_choices = [choice for question in questions for choice in question.choices.all()]
        question_copy = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
        new_choices = Choice.objects.bulk_create(
            Choice(
                question=question_copy[choice.question_id],
                position=choice.position,
                key=choice.key,
                text_fr=choice.text_fr,
                text_en=choice.text_en,
            )
            for choice in old_choices
        )
        choice_copy = {old.pk: new for old, new in zip(old_choices, new_choices, strict=True)}
        conditional = []
        for old, new in zip(questions, new_questions, strict=True):
            if old.shown_if_choice_id in choice_copy:
                new.shown_if_choice = choice_copy[old.shown_if_choice_id]
                conditional.append(new)
        Question.objects.bulk_update(conditional, ["shown_if_choice"])
    return copy


# Surveys


def create_survey(*, organisation, actor, **fields):
    """A new survey, without questions yet. Its title must be new: a repeated one is most often
    a double submit, which must not leave two surveys behind. A pulse survey is anonymous."""
    with transaction.atomic():
        # Serialises the title check with a concurrent creation in the same organisation.
        list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))
        survey = Survey(organisation=organisation, **_only(fields, SURVEY_FIELDS))
        _check_pulse_is_anonymous(survey)
        _check_title(survey)
        survey.full_clean(exclude=["organisation", "copied_from"])
        survey.save()
        _audit(organisation, actor, AuditEvent.Action.CREATE, survey)
    return survey


def update_survey(survey, *, actor, **fields):
    """Change a survey's texts and settings; a ready-made survey keeps its purpose, and a pulse
    survey stays anonymous."""
    with transaction.atomic():
        survey = _locked_survey(survey)
        before = snapshot(survey)
        fields = _only(fields, SURVEY_FIELDS)
        if survey.standard and fields.get("purpose", survey.purpose) != survey.purpose:
            raise ValidationError(
                {"purpose": _("A ready-made survey keeps its purpose: copy it to make another.")}
            )
        for name, value in fields.items():
            setattr(survey, name, value)
        _check_pulse_is_anonymous(survey)
        _check_title(survey)
        survey.full_clean(exclude=["organisation", "copied_from"])
        survey.save()
        _audit(survey.organisation, actor, AuditEvent.Action.UPDATE, survey, before)
    return survey


def copy_survey_to_edit(survey, *, actor):
    """An editable copy titled "… (copy)", conditions included, as (copy, created).

    Each language's title is worded in that language: "Accueil (copie)", "Welcome (copy)".

    Copying again before the copy is renamed gives the same copy back, so a double submit
    leaves one copy.
    """
    with transaction.atomic():
        list(
            Organisation.objects.select_for_update().filter(pk=survey.organisation_id).values("pk")
        )
        survey = _locked_survey(survey)
        titles = {}
        for suffix, language in (("fr", "fr-ca"), ("en", "en")):
            with translation.override(language):
                titles[suffix] = _copy_title(getattr(survey, f"title_{suffix}"))
        existing = (
            _editable(survey.organisation_id)
            .filter(Q(title_fr__iexact=titles["fr"]) | Q(title_en__iexact=titles["en"]))
            .first()
        )
        if existing is not None:
            if existing.copied_from_id == survey.pk:
                return existing, False
            raise ValidationError(
                _("A survey titled “%(title)s” already exists: rename it first."),
                params={"title": existing.title},
            )
        copy = copy_survey(survey, frozen=False)
        copy.title_fr, copy.title_en = titles["fr"], titles["en"]
        copy.save(update_fields=["title_fr", "title_en"])
        _audit(survey.organisation, actor, AuditEvent.Action.CREATE, copy)
    return copy, True


def _copy_title(title):
    """`title` marked as a copy in the active language, shortening the title (never the mark)
    to fit the field."""
    copy_title = str(COPY_TITLE % {"title": title})
    overflow = len(copy_title) - TITLE_LENGTH
    if overflow > 0:
        copy_title = str(COPY_TITLE % {"title": title[: -overflow - 1] + "…"})
    return copy_title


# Questions


def create_question(survey, *, actor, choices=(), shown_if_choice=None, **fields):
    """Add a question at the end of a survey, with its choices (a list of ChoiceEdit)."""
    with transaction.atomic():
        survey = _locked_survey(survey)
        questions = _ordered_questions(survey)
        question = Question(
            survey=survey,
            position=len(questions) + 1,
            shown_if_choice=_checked_condition(survey, shown_if_choice, earlier=questions),
            **_only(fields, QUESTION_FIELDS),
        )
        _check_wording_is_new(question)
        question.full_clean(exclude=["survey", "shown_if_choice"])
        choices = _wanted(choices)
        _check_choices(question, choices, existing=[])
        _renumber(survey, questions)
        question.save()
        _audit(survey.organisation, actor, AuditEvent.Action.CREATE, question)
        _apply_choices(question, choices, existing=[], actor=actor)
    return question


def update_question(question, *, actor, choices=None, shown_if_choice=None, **fields):
    """Change a question and, when `choices` is given, its choices (a list of ChoiceEdit).

    A question with a key keeps its type; its keyed choices can be reworded, not deleted.
    """
    with transaction.atomic():
        survey = _locked_survey(question.survey)
        questions = _ordered_questions(survey)
        question = _find(questions, question.pk)
        before = snapshot(question)
        fields = _only(fields, QUESTION_FIELDS)
        if question.key and fields.get("kind", question.kind) != question.kind:
            raise ValidationError({"kind": KEYED_KIND_FIXED})
        earlier = questions[: questions.index(question)]
        question.shown_if_choice = _checked_condition(survey, shown_if_choice, earlier=earlier)
        for name, value in fields.items():
            setattr(question, name, value)
        _check_wording_is_new(question)
        question.full_clean(exclude=["survey", "shown_if_choice"])
        existing = list(question.choices.all())
        choices = _wanted(choices or ())
        _check_choices(question, choices, existing=existing)
        question.save()
        _audit(survey.organisation, actor, AuditEvent.Action.UPDATE, question, before)
        _apply_choices(question, choices, existing=existing, actor=actor)
    return question


def delete_question(question, *, actor):
    """Delete a question a manager added; the following ones move up a place."""
    with transaction.atomic():
        survey = _locked_survey(question.survey)
        questions = _ordered_questions(survey)
        question = _find(questions, question.pk)
        if question.key:
            raise ValidationError(
                _(
                    "This question cannot be deleted: the mentor profile and the reports read "
                    "its answers. You can reword it."
                )
            )
        dependants = [
            other
            for other in questions
            if other.shown_if_choice_id and other.shown_if_choice.question_id == question.pk
        ]
        if dependants:
            raise ValidationError(
                _("“%(question)s” is shown depending on this question: change it first."),
                params={"question": dependants[0].text},
            )
        _audit(survey.organisation, actor, AuditEvent.Action.DELETE, question)
        question.delete()
        questions.remove(question)
        _renumber(survey, questions)


def move_question(question, direction, *, actor, from_position=None):
    """Swap a question with the one above or below it; True when it moved.

    `from_position` is where the editor saw the question: when it is elsewhere already (a
    double submit), nothing moves again. A question stays after the one its condition reads.
    """
    if direction not in (Direction.UP, Direction.DOWN):
        raise ValidationError(_("Choose whether to move the question up or down."))
    with transaction.atomic():
        survey = _locked_survey(question.survey)
        questions = _ordered_questions(survey)
        question = _find(questions, question.pk)
        index = questions.index(question)
        if from_position is not None and from_position != index + 1:
            return False
        other = index - 1 if direction == Direction.UP else index + 1
        if not 0 <= other < len(questions):
            return False
        upper, lower = sorted((questions[index], questions[other]), key=questions.index)
        if lower.shown_if_choice_id and lower.shown_if_choice.question_id == upper.pk:
            raise ValidationError(
                _("“%(lower)s” is shown depending on “%(upper)s”, so it must stay after it."),
                params={"lower": lower.text, "upper": upper.text},
            )
        before = snapshot(question)
        questions[index], questions[other] = questions[other], questions[index]
        _renumber(survey, questions)
        _audit(survey.organisation, actor, AuditEvent.Action.UPDATE, question, before)
    return True


# Rules and helpers


def _editable(organisation_id):
    return Survey.objects.filter(organisation_id=organisation_id, frozen=False)


def _locked_survey(survey):
    """The editable survey, locked so two edits of its questions run one after the other."""
    try:
        return (
            Survey.objects.select_for_update()
            .select_related("organisation")
            .get(pk=survey.pk, frozen=False)
        )
    except Survey.DoesNotExist:
        raise ValidationError(_("A survey that a campaign sent cannot be changed.")) from None


def _ordered_questions(survey):
    return list(
        Question.objects.filter(survey=survey)
        .select_related("shown_if_choice")
        .order_by("position", "pk")
    )


def _find(questions, pk):
    for question in questions:
        if question.pk == pk:
            return question
    raise ValidationError(_("This question is not in the survey."))


def _renumber(survey, questions):
    """Positions 1, 2, 3, ... in the order given, writing only those that changed."""
    changed = []
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["position"])


def _check_pulse_is_anonymous(survey):
    # Mentors answer a pulse frankly because nobody reads their answers one by one; the
    # mentor-voice page relies on it.
    if survey.purpose == Survey.Purpose.PULSE and not survey.anonymous:
        raise ValidationError({"anonymous": PULSE_IS_ANONYMOUS})


def _check_title(survey):
    errors = {}
    others = _editable(survey.organisation_id).exclude(pk=survey.pk)
    for field in ("title_fr", "title_en"):
        title = getattr(survey, field).strip()
        if title and others.filter(**{f"{field}__iexact": title}).exists():
            errors[field] = TITLE_TAKEN
    if errors:
        raise ValidationError(errors)


def _check_wording_is_new(question):
    # Two questions worded alike make no sense in one survey, and most often come from a
    # double submit: refusing the second keeps one.
    twins = (
        Question.objects.filter(survey=question.survey)
        .filter(
            Q(text_fr__iexact=question.text_fr.strip())
            | Q(text_en__iexact=question.text_en.strip())
        )
        .exclude(pk=question.pk)
    )
    if twins.exists():
        raise ValidationError(_("This survey already has a question worded this way."))


def _checked_condition(survey, choice, *, earlier):
    """The condition's choice, read again from the database: it must belong to an earlier
    question of the same survey."""
    if choice is None:
        return None
    choice_pk = choice.pk if isinstance(choice, Choice) else choice
    allowed = {question.pk for question in earlier}
    found = (
        Choice.objects.filter(pk=choice_pk, question__survey=survey, question__in=allowed)
        .select_related("question")
        .first()
    )
    if found is None:
        raise ValidationError(
            {"shown_if_choice": _("A condition reads a choice of an earlier question.")}
        )
    return found


def _check_choices(question, edits, *, existing):
    mentioned = [edit.choice.pk for edit in edits if edit.choice is not None]
    if len(mentioned) != len(set(mentioned)):
        raise ValidationError(_("Each choice appears once."))
    existing_by_pk = {choice.pk: choice for choice in existing}
    for edit in edits:
        if edit.choice is not None and edit.choice.pk not in existing_by_pk:
            raise ValidationError(_("This choice belongs to another question."))
    deleted = {edit.choice.pk for edit in edits if edit.choice is not None and edit.delete}
    if any(existing_by_pk[pk].key for pk in deleted):
        raise ValidationError(
            _("This choice cannot be deleted: the mentor profile reads it. You can reword it.")
        )
    remaining = len(existing) - len(deleted) + sum(1 for e in edits if e.choice is None)
    if question.kind in Question.CHOICE_KINDS and remaining < 2:
        raise ValidationError(TWO_CHOICES_NEEDED)
    if question.kind not in Question.CHOICE_KINDS and remaining:
        raise ValidationError(NO_CHOICES_ALLOWED)
    for edit in edits:
        if not edit.delete and (not edit.text_fr.strip() or not edit.text_en.strip()):
            raise ValidationError(_("Write every choice in French and in English."))
    if deleted:
        condition = (
            Question.objects.filter(shown_if_choice__in=deleted).order_by("position").first()
        )
        if condition is not None:
            raise ValidationError(
                _("“%(question)s” is shown depending on a choice to delete: change it first."),
                params={"question": condition.text},
            )


def _apply_choices(question, edits, *, existing, actor):
    """Write the choices as edited: deletions, new wording, new ones, and their order.

    Existing choices the edit does not mention stay, after the mentioned ones.
    """
    organisation = question.survey.organisation
    existing_by_pk = {choice.pk: choice for choice in existing}
    mentioned = {edit.choice.pk for edit in edits if edit.choice is not None}
    untouched = [choice for choice in existing if choice.pk not in mentioned]
    ordered = []
    for edit in edits:
        if edit.choice is not None and edit.delete:
            choice = existing_by_pk[edit.choice.pk]
            _audit(organisation, actor, AuditEvent.Action.DELETE, choice)
            choice.delete()
        elif edit.choice is not None:
            choice = existing_by_pk[edit.choice.pk]
            before = snapshot(choice)
            choice.text_fr, choice.text_en = edit.text_fr.strip(), edit.text_en.strip()
            ordered.append((choice, before))
        else:
            choice = Choice(
                question=question, text_fr=edit.text_fr.strip(), text_en=edit.text_en.strip()
            )
            ordered.append((choice, None))
    ordered += [(choice, snapshot(choice)) for choice in untouched]
    for position, (choice, before) in enumerate(ordered, start=1):
        choice.position = position
        if before is None:
            choice.save()
            _audit(organisation, actor, AuditEvent.Action.CREATE, choice)
        elif snapshot(choice) != before:
            choice.save(update_fields=["position", "text_fr", "text_en"])
            _audit(organisation, actor, AuditEvent.Action.UPDATE, choice, before)


def _wanted(edits):
    # A new row ticked for deletion is a row nobody wants.
    return [edit for edit in edits if edit.choice is not None or not edit.delete]


def _only(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {sorted(unknown)}")
    return fields


def _audit(organisation, actor, action, instance, before=None):
    record_change(
        organisation=organisation, actor=actor, action=action, instance=instance, before=before
    )
