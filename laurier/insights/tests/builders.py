"""Hand-built data for insights tests: feedback answers as a mentor gives them, and engagement
pulses answered by mentors."""

import datetime

from django.utils import timezone

from laurier.recognition.services.awards import feedback_campaign
from laurier.surveys.models import (
    Answer,
    Choice,
    EngagementFactor,
    Question,
    Recipient,
    Response,
    Survey,
)
from laurier.testing import factories

from ..selectors.feedback import EXPECTATIONS, RELEVANCE, SATISFACTION

FACTORS = list(EngagementFactor)


def give_feedback(award, *, satisfaction, relevance, expectations="yes", comment="", today=None):
    """The mentor's answers to the feedback survey about `award`, as if they had answered it.

    Uses the program's real feedback campaign (the standard survey's frozen copy), so the
    questions carry their keys ("satisfaction", "relevance", "expectations", "comment").
    """
    campaign = feedback_campaign(award.program, today or award.given_on)
    recipient = Recipient.objects.create(
        campaign=campaign, person_id=award.mentor_id, about_key=f"award:{award.pk}"
    )
    award.feedback_request = recipient
    award.save(update_fields=["feedback_request"])
    response = Response.objects.create(recipient=recipient, campaign=campaign)
    questions = {q.key: q for q in Question.objects.filter(survey=campaign.survey_id)}
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=questions[SATISFACTION], number=satisfaction),
            Answer(response=response, question=questions[RELEVANCE], number=relevance),
            Answer(
                response=response,
                question=questions[EXPECTATIONS],
                choice=Choice.objects.get(question=questions[EXPECTATIONS], key=expectations),
            ),
            Answer(response=response, question=questions["comment"], text=comment),
        ]
    )
    return response


# The engagement pulse


def pulse_survey(organisation):
    """A frozen, anonymous pulse survey with the standard keys ("factor:<factor>",
    "comment:<factor>", "intention"); returns (survey, {key: question})."""
    survey = factories.SurveyFactory(
        organisation=organisation, purpose=Survey.Purpose.PULSE, anonymous=True, frozen=True
    )
    kinds = {f"factor:{factor.value}": Question.Kind.LIKERT for factor in FACTORS}
    kinds |= {f"comment:{factor.value}": Question.Kind.LONG_TEXT for factor in FACTORS}
    kinds["intention"] = Question.Kind.SCORE
    questions = {
        key: factories.QuestionFactory(survey=survey, key=key, kind=kind)
        for key, kind in kinds.items()
    }
    return survey, questions


def pulse_campaign(program, *, cycle=None, closed_at="now", **fields):
    """A pulse campaign of `program` closed at `closed_at` (now unless given; None: still open).

    A closed campaign's `closes_at` is when it closed, as closing by hand stores it; its
    `questions` attribute maps keys to questions.
    """
    survey, questions = pulse_survey(program.organisation)
    if closed_at == "now":
        closed_at = timezone.now()
    if closed_at is not None:
        fields.setdefault("closes_at", closed_at)
    else:
        fields.setdefault("closes_at", timezone.now() + datetime.timedelta(days=14))
    campaign = factories.CampaignFactory(
        program=program, cycle=cycle, survey=survey, closed_at=closed_at, **fields
    )
    campaign.questions = questions
    return campaign


def respond(campaign, factors, intention, *, person=None):
    """One pulse response, by a new mentor of the campaign's program unless `person` is given:
    `factors` are the five scores in the standard order (the last one: recognition)."""
    if person is None:
        person = factories.MentorEnrolmentFactory(program=campaign.program).person
    recipient = factories.RecipientFactory(
        campaign=campaign, person=person, responded_at=timezone.now()
    )
    response = Response.objects.create(recipient=recipient, campaign=campaign)
    questions = campaign.questions
    answers = [
        Answer(response=response, question=questions[f"factor:{factor.value}"], number=score)
        for factor, score in zip(FACTORS, factors, strict=True)
    ]
    answers.append(Answer(response=response, question=questions["intention"], number=intention))
    Answer.objects.bulk_create(answers)
    return response
