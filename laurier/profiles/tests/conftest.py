"""Fixtures for profiles: a mentor of the program, a profile survey keyed like the standard one."""

import pytest
from django.utils import timezone

from laurier.profiles.models import Motivation
from laurier.programs.models import Person
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment
from laurier.surveys.models import Answer, Question, Recipient, Response, Survey
from laurier.testing import factories

Kind = Question.Kind


@pytest.fixture
def mentor_person(mentor_user, organisation, program):
    person = Person.objects.get(organisation=organisation, user=mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


@pytest.fixture
def manager_client(login, manager_user):
    return login(manager_user)


def _question(survey, key, kind, choices=(), **fields):
    question = factories.QuestionFactory(survey=survey, key=key, kind=kind, **fields)
    for choice_key in choices:
        factories.ChoiceFactory(question=question, key=choice_key)
    return question


def build_profile_survey(organisation, *, without=()):
    """A frozen profile survey with every keyed question (but those in `without`) and one
    question a manager added without a key."""
    survey = factories.SurveyFactory(
        organisation=organisation, purpose=Survey.Purpose.PROFILE, frozen=True
    )
    keyed = {
        "motivations": (Kind.MULTIPLE_CHOICE, Motivation.values),
        "motivation_other": (Kind.SHORT_TEXT, ()),
        **{f"category:{value}": (Kind.RATING, ()) for value in RecognitionCategory.values},
        "public_consent": (Kind.SINGLE_CHOICE, PublicConsent.values),
        "interests": (Kind.LONG_TEXT, ()),
        "diet": (Kind.SHORT_TEXT, ()),
        "accessibility": (Kind.SHORT_TEXT, ()),
        "availability": (Kind.SHORT_TEXT, ()),
        "moments": (Kind.MULTIPLE_CHOICE, RecognitionMoment.values),
    }
    for key, (kind, choices) in keyed.items():
        if key not in without:
            _question(survey, key, kind, choices)
    _question(survey, "", Kind.SHORT_TEXT, text_en="Favourite colour?")
    _question(survey, "", Kind.SINGLE_CHOICE, ("",))
    return survey


@pytest.fixture
def profile_survey(organisation):
    return build_profile_survey(organisation)


@pytest.fixture
def profile_campaign(program, profile_survey):
    return factories.CampaignFactory(program=program, survey=profile_survey)


def answer(campaign, person, values):
    """Submit `values` ({question key: choice keys, number or text}) as `person`'s response,
    replacing earlier answers like a changed submission does."""
    questions = {
        question.key or question.text_en: question
        for question in campaign.survey.questions.prefetch_related("choices")
    }
    recipient = Recipient.objects.filter(campaign=campaign, person=person).first()
    if recipient is None:
        recipient = factories.RecipientFactory(campaign=campaign, person=person)
    response, _created = Response.objects.update_or_create(
        recipient=recipient, defaults={"campaign": campaign, "updated_at": timezone.now()}
    )
    response.answers.all().delete()
    rows = []
    for key, value in values.items():
        question = questions[key]
        if question.kind in Question.CHOICE_KINDS:
            choices = {choice.key: choice for choice in question.choices.all()}
            picked = [value] if isinstance(value, str) else value
            rows += [
                Answer(response=response, question=question, choice=choices[c]) for c in picked
            ]
        elif question.kind in Question.TEXT_KINDS:
            rows.append(Answer(response=response, question=question, text=value))
        else:
            rows.append(Answer(response=response, question=question, number=value))
    Answer.objects.bulk_create(rows)
    return response


FULL_ANSWERS = {
    "motivations": ["pay_it_forward", "other"],
    "motivation_other": "  Mon ancienne mentore m'a tout appris  ",
    **{f"category:{value}": index % 6 for index, value in enumerate(RecognitionCategory.values)},
    "public_consent": "ask",
    "interests": "Ski de fond, jardinage",
    "diet": "Végétarienne",
    "accessibility": "Rez-de-chaussée",
    "availability": "Les midis en semaine",
    "moments": ["mentoring_day", "year_end"],
    "Favourite colour?": "Vert",
}
