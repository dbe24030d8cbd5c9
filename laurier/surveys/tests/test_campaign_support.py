"""What the campaign and results tests share: a manager's client, a program with people, a
survey to send and answers to give. Imported by test_campaign_*.py and test_results_*.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.core.dates import organisation_today
from laurier.programs.models import EnrolmentStatus
from laurier.surveys.models import Campaign, Question, Recipient
from laurier.surveys.services.answers import submit_response
from laurier.surveys.services.campaigns import close_campaign, launch_campaign
from laurier.testing import factories


@pytest.fixture
def manager_client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def today(organisation):
    return organisation_today(organisation)


@pytest.fixture
def campaign_url(organisation, program):
    """reverse() for a campaign page of `program`."""

    def build(name, *args):
        return reverse(f"surveys:{name}", args=[organisation.slug, program.slug, *args])

    return build


def pulse_survey(organisation, *, anonymous=True, **fields):
    """An editable survey with a single choice, a multiple choice, a ranking, a 1–5 scale and
    a comment."""
    survey = factories.SurveyFactory(
        organisation=organisation,
        anonymous=anonymous,
        title_en="Engagement pulse",
        title_fr="Pouls de l'engagement",
        **fields,
    )
    make = factories.QuestionFactory
    single = make(survey=survey, kind=Question.Kind.SINGLE_CHOICE, text_en="Continue?")
    multiple = make(survey=survey, kind=Question.Kind.MULTIPLE_CHOICE, text_en="Why?")
    ranking = make(survey=survey, kind=Question.Kind.RANKING, text_en="Rank")
    make(survey=survey, kind=Question.Kind.LIKERT, text_en="Support")
    make(survey=survey, kind=Question.Kind.LONG_TEXT, text_en="Comment")
    choice = factories.ChoiceFactory
    choice(question=single, text_en="Yes", text_fr="Oui")
    choice(question=single, text_en="No", text_fr="Non")
    choice(question=multiple, text_en="Network", text_fr="Réseau")
    choice(question=multiple, text_en="Growth", text_fr="Croissance")
    choice(question=ranking, text_en="Badge", text_fr="Badge")
    choice(question=ranking, text_en="Gala", text_fr="Gala")
    return survey


@pytest.fixture
def survey(organisation):
    """A survey that is not anonymous: it may go to a few people (see `anonymous_survey`)."""
    return pulse_survey(organisation, anonymous=False)


@pytest.fixture
def anonymous_survey(organisation):
    """An anonymous survey: sent to at least the organisation's threshold of people."""
    return pulse_survey(organisation)


def enrol_mentors(program, count, **person_fields):
    return [
        factories.MentorEnrolmentFactory(program=program, **person_fields).person
        for _index in range(count)
    ]


def launch(program, survey, actor, **overrides):
    values = {
        "program": program,
        "survey": survey,
        "name": "Pulse",
        "closes_at": timezone.now() + datetime.timedelta(days=14),
        "audience": Campaign.Audience.MENTORS,
        "actor": actor,
    }
    values.update(overrides)
    campaign, _created = launch_campaign(**values)
    return campaign


def questions_by_text(campaign):
    questions = campaign.survey.questions.prefetch_related("choices")
    return {question.text_en: question for question in questions}


def choice_of(question, text_en):
    return next(choice for choice in question.choices.all() if choice.text_en == text_en)


def answer(
    recipient,
    *,
    single="Yes",
    multiple=("Network",),
    ranking=("Badge", "Gala"),
    likert=4,
    comment="",
):
    """Submit a recipient's answers through the answering service."""
    questions = questions_by_text(recipient.campaign)
    values = {
        questions["Continue?"].pk: choice_of(questions["Continue?"], single).pk if single else None,
        questions["Why?"].pk: [choice_of(questions["Why?"], text).pk for text in multiple],
        questions["Rank"].pk: {
            choice_of(questions["Rank"], text).pk: rank for rank, text in enumerate(ranking, 1)
        },
        questions["Support"].pk: likert,
        questions["Comment"].pk: comment,
    }
    return submit_response(recipient=recipient, answers=values)


def answered_campaign(program, survey, actor, count, *, closed=True, **answers):
    """A campaign answered by `count` new mentors, then closed (unless `closed=False`): an
    anonymous survey's results appear only once it closes. An anonymous survey also goes to
    mentors who do not answer, up to the threshold it needs to be sent at all."""
    enrol_mentors(program, count)
    if survey.results_are_anonymous:
        enrol_mentors(program, max(program.organisation.anonymity_threshold - count, 0))
    campaign = launch(program, survey, actor)
    recipients = Recipient.objects.filter(campaign=campaign).select_related("campaign")
    for recipient in recipients.order_by("pk")[:count]:
        answer(recipient, **answers)
    return close_campaign(campaign, actor=actor) if closed else campaign


def paused(program, **person_fields):
    return factories.MentorEnrolmentFactory(
        program=program, status=EnrolmentStatus.PAUSED, **person_fields
    ).person
