"""Reads of answering: the questions of a survey, a recipient by link, a person's requests."""

from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from .. import models as survey_models
from ..models import Question, Recipient

# A personal link's token is 43 URL-safe characters; anything far longer is not one.
TOKEN_MAX_LENGTH = 64


def questions_of_survey(survey):
    """A survey's questions in order, with their choices: two queries whatever the size."""
    return list(
        Question.objects.filter(survey=survey)
        .prefetch_related("choices")
        .order_by("position", "pk")
    )


def _requests():
    return Recipient.objects.select_related(
        "campaign__organisation",
        "campaign__program",
        "campaign__survey",
        "person",
        "response",
    )


def recipient_by_token(token):
    """The recipient a personal link belongs to, with its campaign, survey, person and
    response, or None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return _requests().filter(token=token).first()


def _open_campaign(now=None):
    # The model's single rule of an open campaign, looked up when called: whatever the rule
    # becomes, these lists agree with Campaign.is_open and Campaign.objects.open().
    return survey_models.open_condition(now, prefix="campaign__")


def requests_of_person(person):
    """The surveys asked of a person in their organisation, open ones first (soonest closing
    first), then the closed ones they answered (latest first); each marked `is_open`."""
    now = timezone.now()
    open_now = _open_campaign(now)
    return (
        _requests()
        .filter(person=person, campaign__organisation_id=person.organisation_id)
        .filter(open_now | Q(responded_at__isnull=False))
        .annotate(
            campaign_is_open=Case(
                When(open_now, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .annotate(
            open_closes_at=Case(When(open_now, then=F("campaign__closes_at"))),
            closed_closes_at=Case(When(~open_now, then=F("campaign__closes_at"))),
        )
        .order_by(
            "-campaign_is_open",
            F("open_closes_at").asc(nulls_last=True),
            F("closed_closes_at").desc(nulls_last=True),
            "pk",
        )
    )


def open_requests_of_person(person):
    """The surveys a person may still answer, soonest closing first (for their space)."""
    return (
        _requests()
        .filter(person=person, campaign__organisation_id=person.organisation_id)
        .filter(_open_campaign())
        .order_by("campaign__closes_at", "pk")
    )


def request_of_person(person, pk):
    """One of a person's survey requests, or None (someone else's is None too)."""
    return (
        _requests()
        .filter(person=person, campaign__organisation_id=person.organisation_id, pk=pk)
        .first()
    )
