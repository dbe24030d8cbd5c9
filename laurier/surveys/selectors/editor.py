"""Reads of the survey editor."""

from django.db.models import Count, Max, Q
from django.utils import translation

from laurier.core.ordering import natural

from ..models import Question, Survey


def editable_surveys(organisation):
    """The surveys managers edit: every survey of the organisation but the copies campaigns
    sent, which stay as people saw them."""
    return Survey.objects.filter(organisation=organisation, frozen=False)


def title_field():
    """The title column in the reader's language, to sort and search by."""
    return "title_fr" if (translation.get_language() or "fr").startswith("fr") else "title_en"


def surveys_for_list(organisation, *, search=""):
    """Editable surveys with their number of questions, of campaigns sent and the last sending.

    Campaigns send frozen copies, so a survey's campaigns are those of its copies.
    """
    surveys = editable_surveys(organisation).annotate(
        question_count=Count("questions", distinct=True),
        campaign_count=Count("copies__campaigns", distinct=True),
        last_sent_at=Max("copies__campaigns__created_at"),
    )
    if search:
        surveys = surveys.filter(Q(title_fr__icontains=search) | Q(title_en__icontains=search))
    return surveys


SURVEY_SORTS = {
    "title": lambda: natural(title_field()),
    "purpose": lambda: "purpose",
    "questions": lambda: "question_count",
    "campaigns": lambda: "campaign_count",
    "last_sent": lambda: "last_sent_at",
}


def survey_sorts():
    """The list's sortable columns, built now: the title follows the reader's language."""
    return {key: build() for key, build in SURVEY_SORTS.items()}


def questions_of_survey(survey):
    """The survey's questions in order, each with its choices and the choice (and question) its
    condition reads, in two queries."""
    return list(
        Question.objects.filter(survey=survey)
        .select_related("shown_if_choice__question")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )


def condition_options(survey, *, before=None):
    """The choices a condition may read: those of the questions before `before` (a question of
    the survey), or of every question when adding one at the end.

    Returned as [(question, [choice, ...]), ...] in the survey's order.
    """
    questions = Question.objects.filter(
        survey=survey, kind__in=Question.CHOICE_KINDS
    ).prefetch_related("choices")
    if before is not None:
        questions = questions.filter(
            Q(position__lt=before.position) | Q(position=before.position, pk__lt=before.pk)
        )
    return [
        (question, list(question.choices.all()))
        for question in questions.order_by("position", "pk")
        if question.pk != getattr(before, "pk", None)
    ]
