"""Writes of answering: a recipient's response, checked again whatever sent it.

Answers travel as a mapping from question pk to a plain value, the same shape the answer form
produces and the service re-checks:
- single choice: the chosen Choice pk, or None;
- multiple choice: a list of Choice pks (empty when none);
- ranking: {Choice pk: rank 1..n} (empty when not ranked);
- scales: an int, or None;
- texts: a str ("" when empty).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from laurier.api import webhooks

from ..models import Answer, Campaign, Question, Recipient, Response

TEXT_MAX_LENGTHS = {Question.Kind.SHORT_TEXT: 300, Question.Kind.LONG_TEXT: 5000}


def field_name(question):
    """The name of a question's form field, also the key of its errors in a ValidationError
    raised by check_answers (so a view can attach the service's errors to the right field)."""
    return f"q{question.pk}"


def empty_value(question):
    """The value of a question left unanswered."""
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        return []
    if question.kind == Question.Kind.RANKING:
        return {}
    if question.kind in Question.TEXT_KINDS:
        return ""
    return None


def is_answered(value):
    """Whether a value (service shape) answers its question: None, "", [] and {} leave it
    unanswered, while 0 on a scale is an answer."""
    return value not in (None, "", [], {})


def picked_choices(question, value):
    """The Choice pks an answer picks: what a condition on one of them looks at."""
    if not is_answered(value):
        return set()
    if question.kind == Question.Kind.SINGLE_CHOICE:
        return {value}
    if question.kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.RANKING):
        return set(value)
    return set()


def visible_questions(questions, answers):
    """The pks of the questions shown with these answers.

    A question with a condition is shown only when its choice is picked in an answer that is
    itself shown, so a chain of conditions hides everything below an unpicked choice.
    """
    question_of_choice = {
        choice.pk: question for question in questions for choice in question.choices.all()
    }
    shown = {}

    def is_shown(question, seen=()):
        if question.pk in shown:
            return shown[question.pk]
        if question.shown_if_choice_id is None:
            result = True
        else:
            controller = question_of_choice.get(question.shown_if_choice_id)
            # A condition on a choice outside this survey, or a loop, can never be met.
            result = (
                controller is not None
                and controller.pk not in seen
                and is_shown(controller, (*seen, question.pk))
                and question.shown_if_choice_id
                in picked_choices(controller, answers.get(controller.pk))
            )
        shown[question.pk] = result
        return result

    return {question.pk for question in questions if is_shown(question)}


def _check_value(question, value):
    """The error message for a value this question cannot take, or None."""
    choice_pks = {choice.pk for choice in question.choices.all()}
    kind = question.kind
    if kind == Question.Kind.SINGLE_CHOICE:
        if value is not None and value not in choice_pks:
            return _("Choose one of the answers offered.")
    elif kind == Question.Kind.MULTIPLE_CHOICE:
        if not isinstance(value, list | tuple | set) or not set(value) <= choice_pks:
            return _("Choose among the answers offered.")
    elif kind == Question.Kind.RANKING:
        if not isinstance(value, dict) or not set(value) <= choice_pks:
            return _("Rank the answers offered.")
        if value and sorted(value.values()) != list(range(1, len(choice_pks) + 1)):
            return _("Give each answer a different rank, from 1 to %(count)d.") % {
                "count": len(choice_pks)
            }
    elif kind in Question.SCALE_BOUNDS:
        lowest, highest = question.scale_bounds
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest
        ):
            return _("Choose a number from %(lowest)d to %(highest)d.") % {
                "lowest": lowest,
                "highest": highest,
            }
    elif kind in TEXT_MAX_LENGTHS and (
        not isinstance(value, str) or len(value) > TEXT_MAX_LENGTHS[kind]
    ):
        return _("Write at most %(count)d characters.") % {"count": TEXT_MAX_LENGTHS[kind]}
    return None


def check_answers(questions, answers):
    """The answers to keep, after the survey's rules; ValidationError keyed by field otherwise.

    `questions` are the survey's questions with their choices prefetched; `answers` maps
    question pks to values (see the module docstring). Answers to hidden questions are
    dropped, required questions that are shown must be answered, every value must be one the
    question can take. Returns {question pk: value} for the shown questions.
    """
    shown = visible_questions(questions, answers)
    kept = {}
    errors = {}
    for question in questions:
        if question.pk not in shown:
            continue
        value = answers.get(question.pk, empty_value(question))
        if isinstance(value, str):
            value = value.strip()
        elif question.kind == Question.Kind.MULTIPLE_CHOICE and isinstance(value, list | tuple):
            # A choice sent twice is still one choice.
            value = sorted(set(value), key=str)
        message = _check_value(question, value)
        if message is None and question.required and not is_answered(value):
            if question.kind == Question.Kind.RANKING:
                message = _("Rank every answer: this question is required.")
            else:
                message = _("Answer this question: it is required.")
        if message is not None:
            errors[field_name(question)] = [message]
        else:
            kept[question.pk] = value if is_answered(value) else empty_value(question)
    if errors:
        raise ValidationError(errors)
    return kept


def answer_rows(questions, answers):
    """Unsaved Answer rows for kept answers (one per picked or ranked choice)."""
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if not is_answered(value):
            continue
        kind = question.kind
        if kind == Question.Kind.SINGLE_CHOICE:
            rows.append(Answer(question=question, choice_id=value))
        elif kind == Question.Kind.MULTIPLE_CHOICE:
            rows.extend(Answer(question=question, choice_id=pk) for pk in sorted(value))
        elif kind == Question.Kind.RANKING:
            rows.extend(
                Answer(question=question, choice_id=pk, number=rank)
                for pk, rank in sorted(value.items(), key=lambda item: item[1])
            )
        elif kind in Question.SCALE_BOUNDS:
            rows.append(Answer(question=question, number=value))
        else:
            rows.append(Answer(question=question, text=value))
    return rows


def answers_of_rows(questions, rows):
    """The answer values (service shape, see the module docstring) of saved Answer rows.

    The one decoder of the rows answer_rows writes: the form's initial values, a profile or a
    results page read answers through it. `questions` give each row's kind; rows of questions
    not among them are skipped. A question without rows is absent from the result.
    """
    kinds = {question.pk: question.kind for question in questions}
    values = {}
    for row in rows:
        kind = kinds.get(row.question_id)
        if kind == Question.Kind.SINGLE_CHOICE:
            values[row.question_id] = row.choice_id
        elif kind == Question.Kind.MULTIPLE_CHOICE:
            values.setdefault(row.question_id, []).append(row.choice_id)
        elif kind == Question.Kind.RANKING:
            values.setdefault(row.question_id, {})[row.choice_id] = row.number
        elif kind in Question.SCALE_BOUNDS:
            values[row.question_id] = row.number
        elif kind in Question.TEXT_KINDS:
            values[row.question_id] = row.text
    return values


def campaign_closed_error(campaign):
    """The refusal for a change after the campaign closed."""
    return ValidationError(
        _("This survey closed on %(date)s: answers can no longer be changed.")
        % {"date": formats.date_format(campaign.last_day, "DATE_FORMAT")},
        code="closed",
    )


def submit_response(*, recipient, answers, questions=None):
    """Save a recipient's answers, replacing the previous ones, while the campaign is open.

    One Response per recipient whatever the number of submissions: the recipient row is locked,
    so two submissions one after the other leave the last answers. The campaign row is locked
    too before checking it is open, so an answer never commits after a concurrent close (which
    locks it as well). `questions` may pass the survey's questions already loaded (with choices
    prefetched); they must be exactly the survey's, else ValueError (a subset would skip
    required questions). A profile survey then updates the person's profile. Returns the
    Response.
    """
    with transaction.atomic():
        # The campaign first, as close_campaign locks it: one order, no deadlock.
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("survey")
            .get(pk=recipient.campaign_id)
        )
        recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
        recipient.campaign = campaign
        if not campaign.is_open:
            raise campaign_closed_error(campaign)
        survey = campaign.survey
        if questions is None:
            questions = list(
                survey.questions.prefetch_related("choices").order_by("position", "pk")
            )
        elif {question.pk for question in questions} != set(
            survey.questions.values_list("pk", flat=True)
        ):
            raise ValueError("submit_response needs exactly the questions of the survey.")
        kept = check_answers(questions, answers)
        now = timezone.now()
        response, created = Response.objects.get_or_create(
            recipient=recipient,
            defaults={"campaign": campaign, "submitted_at": now, "updated_at": now},
        )
        if not created:
            response.updated_at = now
            response.save(update_fields=["updated_at"])
            response.answers.all().delete()
        rows = answer_rows(questions, kept)
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        if recipient.responded_at is None:
            recipient.responded_at = now
            recipient.save(update_fields=["responded_at"])
            webhooks.survey_completed(campaign, recipient)
        response.recipient = recipient
        if survey.purpose == survey.Purpose.PROFILE:
            from laurier.profiles.services import update_profile_from_response

            update_profile_from_response(response)
    return response
