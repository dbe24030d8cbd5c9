"""Fixtures for privacy: a mentor with a little of everything Laurier can hold about someone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.credentials.services import awarding
from laurier.hours.models import MentoringSession
from laurier.programs.models import Person
from laurier.recognition.models import Award
from laurier.surveys.models import Answer, Question, Response, Survey
from laurier.testing import factories


def url(name, organisation, *args):
    return reverse(f"privacy:{name}", args=[organisation.slug, *args])


@pytest.fixture
def mentor(mentor_user, organisation):
    """The mentor user's person, "Jeanne Tremblay", who signs in."""
    person = Person.objects.get(organisation=organisation, user=mentor_user)
    person.first_name, person.last_name = "Jeanne", "Tremblay"
    person.job_title, person.department = "Ingénieure", "Production"
    person.hire_date = datetime.date(2015, 4, 1)
    person.save()
    return person


def answered_survey(program, person, *, anonymous, text):
    """A survey `person` answered: one single-choice and one text question."""
    survey = factories.SurveyFactory(
        organisation=program.organisation,
        frozen=True,
        anonymous=anonymous,
        purpose=Survey.Purpose.PULSE if anonymous else Survey.Purpose.OTHER,
    )
    choice_question = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.SINGLE_CHOICE, text_en="How was it?"
    )
    choice = factories.ChoiceFactory(question=choice_question, text_en="Great")
    text_question = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.LONG_TEXT, text_en="Tell us more"
    )
    campaign = factories.CampaignFactory(program=program, survey=survey)
    recipient = factories.RecipientFactory(
        campaign=campaign, person=person, responded_at=timezone.now()
    )
    response = Response.objects.create(recipient=recipient, campaign=campaign)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=choice_question, choice=choice),
            Answer(response=response, question=text_question, text=text),
        ]
    )
    return campaign


@pytest.fixture
def history(mentor, program, organisation):
    """Jeanne's record: a pairing with sessions, a given and a planned award, a badge, and an
    answer to a named survey and to an anonymous pulse."""
    pairing = factories.PairingFactory(program=program, mentor=mentor)
    for _ in range(2):
        factories.MentoringSessionFactory(pairing=pairing, notes="Parlé de Jeanne et du projet")
    factories.AwardFactory(program=program, mentor=mentor, message="Bravo Jeanne !")
    factories.AwardFactory(
        program=program, mentor=mentor, status=Award.Status.PLANNED, message="Surprise party"
    )
    badge = factories.BadgeClassFactory(organisation=organisation)
    credential, _created = awarding.award_badge(badge, mentor, actor=None)
    answered_survey(program, mentor, anonymous=False, text="Named comment by Jeanne")
    answered_survey(program, mentor, anonymous=True, text="Secret pulse comment")
    return {"pairing": pairing, "credential": credential}


def session_count(program):
    return MentoringSession.objects.filter(program=program).count()
