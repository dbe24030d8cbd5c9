"""Writes of the survey editor: surveys, their questions and choices."""

from django.db import transaction

from ..models import Choice, Question, Survey


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
