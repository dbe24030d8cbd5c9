"""Engagement pulses answered by mentors, for tests of the figures built on them (the
"Mentor voice" page, insights)."""

import datetime

from django.utils import timezone

from laurier.surveys.models import Answer, EngagementFactor, Question, Response, Survey

from . import factories

FACTORS = list(EngagementFactor)


def pulse_survey(organisation, *, purpose=Survey.Purpose.PULSE):
    """A frozen, anonymous pulse survey with the standard keys ("factor:<factor>",
    "comment:<factor>", "intention"); returns (survey, {key: question})."""
    survey = factories.SurveyFactory(
        organisation=organisation, purpose=purpose, anonymous=True, frozen=True
    )
    kinds = {f"factor:{factor.value}": Question.Kind.LIKERT for factor in FACTORS}
    kinds |= {f"comment:{factor.value}": Question.Kind.LONG_TEXT for factor in FACTORS}
    kinds["intention"] = Question.Kind.SCORE
    questions = {
        key: factories.QuestionFactory(survey=survey, key=key, kind=kind)
        for key, kind in kinds.items()
    }
    return survey, questions


def pulse_campaign(program, *, cycle=None, purpose=Survey.Purpose.PULSE, closed_at="now", **fields):
    """A pulse campaign of `program` closed at `closed_at` (now unless given; None: still
    open for two weeks); its `questions` attribute maps keys to questions.

    A closed campaign's `closes_at` is when it closed, as closing by hand stores it.
    """
    survey, questions = pulse_survey(program.organisation, purpose=purpose)
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


def respond(campaign, factors, intention, comments=None, *, person=None):
    """One response, by a new mentor of the campaign's program unless `person` is given:
    `factors` are the five scores in the standard order (the last one: recognition),
    `comments` {factor value: text}."""
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
    answers += [
        Answer(response=response, question=questions[f"comment:{factor}"], text=text)
        for factor, text in (comments or {}).items()
    ]
    Answer.objects.bulk_create(answers)
    return response
