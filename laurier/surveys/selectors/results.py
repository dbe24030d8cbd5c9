"""Reads of a campaign's answers: per-question figures and the export, respecting anonymity.

Every figure is counted by the database (a handful of grouped queries whatever the number of
responses). For a survey whose results are anonymous (`Survey.results_are_anonymous`: the
anonymous flag, or any pulse) nothing is shown while the campaign is open, since figures that
change as people answer would tell who answered what; once it closes, nothing is shown below
the organisation's anonymity threshold of distinct people, neither for the whole campaign nor
for a question fewer people answered (a conditional question), and comments are listed without
their author, sorted by their text. The anonymous export holds aggregates only.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from laurier.core.figures import percent

from ..models import Answer, Question

ANONYMOUS_WAIT_NOTE = gettext_lazy(
    "Results of an anonymous survey appear once it closes, so that no one's answers can be "
    "read by watching the figures change."
)

# Comments shown per question on the page; the export has them all.
TEXTS_SHOWN = 50


@dataclass
class ChoiceResult:
    choice: object
    count: int = 0
    percent: float = 0.0
    average_rank: float | None = None


@dataclass
class ValueResult:
    value: int
    count: int = 0
    percent: float = 0.0


@dataclass
class TextAnswer:
    text: str
    author: str = ""


@dataclass
class QuestionResult:
    question: object
    respondents: int = 0
    hidden: bool = False
    choices: list = field(default_factory=list)
    average: float | None = None
    distribution: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    text_count: int = 0

    @property
    def kind(self):
        return self.question.kind

    @property
    def is_choice(self):
        return self.question.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE)

    @property
    def is_ranking(self):
        return self.question.kind == Question.Kind.RANKING

    @property
    def is_scale(self):
        return self.question.scale_bounds is not None

    @property
    def is_text(self):
        return self.question.kind in Question.TEXT_KINDS

    @property
    def more_texts(self):
        return max(self.text_count - len(self.texts), 0)


@dataclass
class CampaignResults:
    # Distinct people who answered.
    responses: int
    threshold: int
    anonymous: bool
    is_open: bool = False
    questions: list = field(default_factory=list)

    @property
    def waiting_for_close(self):
        """True while an anonymous campaign is open: it shows nothing but its response rate."""
        return self.anonymous and self.is_open

    @property
    def too_few(self):
        """True when a closed anonymous campaign has fewer people than the threshold."""
        return self.anonymous and not self.is_open and self.responses < self.threshold

    @property
    def shown(self):
        return not (self.waiting_for_close or self.too_few)


# Campaign pages show percentages to a tenth (choice shares, score distributions, rates).
RESULT_DIGITS = 1


def campaign_results(campaign, *, texts_shown=TEXTS_SHOWN):
    """The figures of each question of a campaign.

    Choice questions: count and share of respondents per choice; ranking: average rank per
    choice; scales: average and distribution; texts: the first `texts_shown` answers sorted by
    their text (with the author's name for a survey that is not anonymous).
    """
    survey = campaign.survey
    results = CampaignResults(
        responses=campaign.responses.aggregate(people=Count("recipient__person_id", distinct=True))[
            "people"
        ],
        threshold=campaign.organisation.anonymity_threshold,
        anonymous=survey.results_are_anonymous,
        is_open=campaign.is_open,
    )
    if not results.shown:
        return results
    questions = list(survey.questions.prefetch_related("choices").order_by("position", "pk"))
    answers = Answer.objects.filter(response__campaign=campaign)
    per_question = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            respondents=Count("response__recipient__person_id", distinct=True),
            average=Avg("number", filter=Q(choice__isnull=True)),
            texts=Count("pk", filter=~Q(text="")),
        )
    }
    per_choice = {
        row["choice_id"]: row
        for row in answers.filter(choice__isnull=False)
        .values("choice_id")
        .annotate(count=Count("pk"), average_rank=Avg("number"))
    }
    per_value = defaultdict(dict)
    for row in (
        answers.filter(choice__isnull=True, number__isnull=False)
        .values("question_id", "number")
        .annotate(count=Count("pk"))
    ):
        per_value[row["question_id"]][row["number"]] = row["count"]
    texts = _first_texts(campaign, answers, questions, texts_shown)
    for question in questions:
        figures = per_question.get(question.pk, {})
        result = QuestionResult(question=question, respondents=figures.get("respondents", 0))
        if results.anonymous and result.respondents < results.threshold:
            # Fewer answers to this question than the threshold would single people out.
            result.hidden = True
        elif question.has_choices:
            for choice in question.choices.all():
                counts = per_choice.get(choice.pk, {})
                result.choices.append(
                    ChoiceResult(
                        choice=choice,
                        count=counts.get("count", 0),
                        percent=percent(
                            counts.get("count", 0), result.respondents, digits=RESULT_DIGITS
                        )
                        or 0.0,
                        average_rank=counts.get("average_rank"),
                    )
                )
            if question.kind == Question.Kind.RANKING:
                result.choices.sort(
                    key=lambda item: (item.average_rank is None, item.average_rank or 0)
                )
        elif question.scale_bounds:
            result.average = figures.get("average")
            low, high = question.scale_bounds
            counted = per_value[question.pk]
            result.distribution = [
                ValueResult(
                    value,
                    counted.get(value, 0),
                    percent(counted.get(value, 0), result.respondents, digits=RESULT_DIGITS) or 0.0,
                )
                for value in range(low, high + 1)
            ]
        else:
            result.text_count = figures.get("texts", 0)
            result.texts = texts.get(question.pk, [])
        results.questions.append(result)
    return results


def _first_texts(campaign, answers, questions, limit):
    """The first `limit` text answers of each text question, in one query.

    Sorted by their text, never by when they were written: the order of the list must not
    tell who wrote what.
    """
    text_questions = [q.pk for q in questions if q.kind in Question.TEXT_KINDS]
    if not text_questions:
        return {}
    anonymous = campaign.survey.results_are_anonymous
    fields = ["question_id", "text"]
    if not anonymous:
        fields += [
            "response__recipient__person__first_name",
            "response__recipient__person__last_name",
        ]
    rows = (
        answers.filter(question_id__in=text_questions)
        .exclude(text="")
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[F("text").asc(), F("pk").asc()],
            )
        )
        .filter(**({"row__lte": limit} if limit is not None else {}))
        .order_by("question_id", "row")
        .values(*fields)
    )
    texts = defaultdict(list)
    for row in rows:
        author = ""
        if not anonymous:
            author = " ".join(
                part
                for part in (
                    row["response__recipient__person__first_name"],
                    row["response__recipient__person__last_name"],
                )
                if part
            )
        texts[row["question_id"]].append(TextAnswer(text=row["text"], author=author))
    return texts


def _answer_cell(question, values, choices):
    if question.kind == Question.Kind.RANKING:
        ranked = sorted(
            (number or 0, choices[choice_id].text) for choice_id, number, _t in values if choice_id
        )
        return "; ".join(f"{rank}. {text}" for rank, text in ranked)
    if question.has_choices:
        picked = sorted(
            (choices[choice_id].position, choices[choice_id].pk, choices[choice_id].text)
            for choice_id, _n, _t in values
            if choice_id in choices
        )
        return "; ".join(text for _position, _pk, text in picked)
    if question.scale_bounds:
        return next((number for _c, number, _t in values if number is not None), None)
    return "\n".join(text for _c, _n, text in values if text)


def campaign_export(campaign):
    """(headers, rows) of a campaign's export. Callers check `campaign_results(...).shown` first.

    A survey that is not anonymous: one row per response, starting with the person's name,
    e-mail and the date of the answer, then one column per question. An anonymous one:
    aggregates only, never a person's answers side by side (they would tie a hidden conditional
    answer, or a comment, to that person's scores).
    """
    if campaign.survey.results_are_anonymous:
        return _anonymous_export(campaign)
    return _named_export(campaign)


def _anonymous_export(campaign):
    """Rows (question, answer or value, count, share % or average), and each comment on its own
    row (question, "comment", text) sorted by text; questions answered by fewer people than the
    threshold are left out."""
    results = campaign_results(campaign, texts_shown=None)
    headers = [
        _("Question"),
        pgettext("column of answers", "Answer"),
        _("Count"),
        _("Share (%) or average"),
    ]
    rows = []
    for result in results.questions:
        if result.hidden:
            continue
        question = result.question.text
        if result.is_ranking:
            rows += [
                [question, item.choice.text, item.count, _rounded(item.average_rank)]
                for item in result.choices
            ]
        elif result.question.has_choices:
            rows += [
                [question, item.choice.text, item.count, item.percent] for item in result.choices
            ]
        elif result.is_scale:
            rows += [
                [question, item.value, item.count, item.percent] for item in result.distribution
            ]
            rows.append([question, _("average"), result.respondents, _rounded(result.average)])
        else:
            rows += [[question, _("comment"), answer.text] for answer in result.texts]
    return headers, rows


def _rounded(value):
    return round(value, 2) if value is not None else None


def _named_export(campaign):
    questions = list(
        campaign.survey.questions.prefetch_related("choices").order_by("position", "pk")
    )
    choices = {choice.pk: choice for question in questions for choice in question.choices.all()}
    headers = [
        _("Last name"),
        _("First name"),
        _("E-mail address"),
        _("Answered on"),
        *(question.text for question in questions),
    ]
    responses = campaign.responses.select_related("recipient__person").order_by(
        "recipient__person__last_name", "recipient__person__first_name", "pk"
    )
    response_rows = {
        response.pk: [
            response.recipient.person.last_name,
            response.recipient.person.first_name,
            response.recipient.person.email,
            response.updated_at,
        ]
        for response in responses
    }
    answers = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, choice_id, number, text in (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id", "question_id", "number", "pk")
        .values_list("response_id", "question_id", "choice_id", "number", "text")
        .iterator(chunk_size=5000)
    ):
        answers[response_id][question_id].append((choice_id, number, text))
    rows = (
        cells
        + [
            _answer_cell(question, answers[response_id][question.pk], choices)
            for question in questions
        ]
        for response_id, cells in response_rows.items()
    )
    return headers, rows
