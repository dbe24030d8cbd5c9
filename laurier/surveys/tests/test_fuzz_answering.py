"""Any POST to a survey: a saved answer that fits its question, or the form again with messages.

test_answering_form and test_answering_link already throw random ranks, scores and single
values at the form and the link; here the posts are whole QueryDicts as a browser or a script
sends them: keys repeated, left out or of another survey, values huge, non-numeric, with NUL
or any unicode, and choice ids of another question or of another organisation's survey.
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from laurier.surveys.forms.answer import AnswerForm
from laurier.surveys.models import Answer, Question
from laurier.surveys.services.answers import TEXT_MAX_LENGTHS, check_answers
from laurier.testing import factories

from .test_answering_support import (
    clear_rate_limits,
    every_kind_survey,
    full_post,
    minimal_post,
)

# The surveys are built once per test and each example posts to them: posts only add answers,
# which the properties read back whatever was saved before.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def surveys(organisation, other_organisation):
    """The every-kind survey, and another organisation's, whose ids a post may carry."""
    return every_kind_survey(organisation), every_kind_survey(other_organisation)


def field_names(kinds):
    """Every name the every-kind survey's form reads, ranks included."""
    return list(full_post(kinds))


def values(kinds, other):
    """What a field may be sent: right values, ids of other questions and surveys, junk."""
    ids = [
        choice.pk
        for survey in (kinds, other)
        for choice in (survey.yes, survey.no, survey.network, survey.other, *survey.ranked)
    ]
    return st.one_of(
        st.sampled_from(list(full_post(kinds).values())).map(
            lambda value: value[0] if isinstance(value, list) else value
        ),
        st.sampled_from(ids).map(str),
        st.integers(min_value=-(10**6), max_value=10**6).map(str),
        st.sampled_from(["9" * 5000, "1" + "0" * 30, "٣", "１", "NaN", "1.5", " 2 ", "-1"]),
        st.text(max_size=12),
        st.sampled_from(["\x00", "a\x00b", "é" * 6000, "=HYPERLINK(1)", "\u202e", "\ud7ff"]),
    )


@st.composite
def posts(draw, kinds, other):
    """A QueryDict: a full or minimal right post, or none, with a few fields changed (sent
    again, left out, given other values), perhaps with fields of the other survey's questions
    and names the form does not know."""
    base = draw(st.sampled_from([full_post(kinds), minimal_post(kinds), {}]))
    post = QueryDict(mutable=True)
    for name, value in base.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    names = field_names(kinds) + [f"q{other.single.pk}", f"q{other.ranking.pk}-rank-1", "q", "q0"]
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        changed = draw(st.lists(values(kinds, other), max_size=3))
        if changed or name in post:
            post.setlist(name, changed)
    return post


def saved_answers(survey_kinds):
    return sorted(
        Answer.objects.filter(response__campaign__survey=survey_kinds.survey).values_list(
            "question", "choice", "number", "text"
        ),
        key=str,
    )


def check_saved_answers(survey_kinds):
    """Every saved answer is of a question of the survey and fits it."""
    for answer in Answer.objects.select_related("question", "choice").filter(
        response__campaign__survey=survey_kinds.survey
    ):
        question = answer.question
        assert question.survey_id == survey_kinds.survey.pk
        if question.scale_bounds:
            lowest, highest = question.scale_bounds
            assert lowest <= answer.number <= highest
        elif question.kind == Question.Kind.RANKING:
            assert answer.choice.question_id == question.pk
            assert 1 <= answer.number <= question.choices.count()
        elif question.has_choices:
            assert answer.choice.question_id == question.pk
        else:
            assert len(answer.text) <= TEXT_MAX_LENGTHS[question.kind]
            assert "\x00" not in answer.text


@FUZZ
@given(data=st.data())
def test_any_post_gives_answers_that_fit_or_english_messages(surveys, data):
    kinds, other = surveys
    post = data.draw(posts(kinds, other), label="post")
    with translation.override("en"):
        form = AnswerForm(kinds.survey, data=post)
        if not form.is_valid():
            assert all(message.strip() for messages in form.errors.values() for message in messages)
            return
    answers = form.answers
    # What the form keeps, the service accepts as it is: the two never disagree.
    questions = form.questions
    assert check_answers(questions, answers) == answers
    choices = {question.pk: {c.pk for c in question.choices.all()} for question in questions}
    for pk, value in answers.items():
        if isinstance(value, dict | list):
            assert set(value) <= choices[pk]
        elif isinstance(value, str):
            assert "\x00" not in value


def test_a_text_answer_with_a_nul_byte_is_refused_with_a_message(surveys):
    kinds, _other = surveys
    with translation.override("en"):
        form = AnswerForm(kinds.survey, data={**full_post(kinds), f"q{kinds.short.pk}": "a\x00b"})
        assert not form.is_valid()
        assert form.errors[f"q{kinds.short.pk}"] == ["Null characters are not allowed."]


def test_the_service_refuses_a_choice_of_another_survey(surveys):
    kinds, other = surveys
    questions = list(kinds.survey.questions.prefetch_related("choices"))
    answers = {kinds.single.pk: other.yes.pk, kinds.likert.pk: 3}
    with pytest.raises(ValidationError) as caught:
        check_answers(questions, answers)
    assert f"q{kinds.single.pk}" in caught.value.message_dict


# Through the personal link, as a person (or a script) posts it


@pytest.fixture
def link(program, surveys):
    kinds, _other = surveys
    campaign = factories.CampaignFactory(program=program, survey=kinds.survey)
    recipient = factories.RecipientFactory(campaign=campaign, person__language="en")
    return reverse("survey_links:answer", args=[recipient.token])


@settings(FUZZ, max_examples=10)
@given(data=st.data())
@example(data=None)
def test_any_post_to_the_link_saves_fitting_answers_or_shows_the_form_again(surveys, link, data):
    kinds, other = surveys
    if data is None:
        # A script's post: every field twice, the second of another survey.
        post = QueryDict(mutable=True)
        for name, value in full_post(kinds).items():
            post.setlist(name, [*(value if isinstance(value, list) else [value]), str(other.no.pk)])
    else:
        post = data.draw(posts(kinds, other), label="post")
    clear_rate_limits()
    before = saved_answers(kinds)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        link, post.urlencode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)
    event(f"answered {response.status_code}")
    if response.status_code == 200:
        assert "Some answers need your attention" in response.content.decode()
        assert saved_answers(kinds) == before
    check_saved_answers(kinds)
