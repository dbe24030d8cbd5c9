"""Hand-built data for insights tests: feedback answers as a mentor gives them (pulses:
`laurier.testing.pulses`)."""

from laurier.recognition.services.awards import feedback_campaign
from laurier.surveys.models import (
    Answer,
    Choice,
    EngagementFactor,
    Question,
    Recipient,
    Response,
)

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
