"""The question editor with any post: saved as the survey's own, or the page again; never a
server error, and never a change to another question's choices whatever ids are sent."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from laurier.surveys.models import Choice, Question
from laurier.testing import factories

Kind = Question.Kind
FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def editor(organisation, other_organisation, admin_user):
    """An editable survey with a single-choice question, another survey of the organisation
    and one of another organisation; and a manager's client."""
    survey = factories.SurveyFactory(organisation=organisation)
    colour = factories.QuestionFactory(survey=survey, position=1, kind=Kind.SINGLE_CHOICE)
    factories.ChoiceFactory.create_batch(2, question=colour)
    foreign = []
    for owner in (organisation, other_organisation):
        question = factories.QuestionFactory(
            survey=factories.SurveyFactory(organisation=owner), kind=Kind.MULTIPLE_CHOICE
        )
        foreign += factories.ChoiceFactory.create_batch(2, question=question)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    return survey, colour, foreign, client


def ids(colour, foreign):
    return st.sampled_from(
        [str(choice.pk) for choice in [*colour.choices.all(), *foreign]] + ["", "0", "-1", "x"]
    )


TEXTS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["Rouge", "Red", "=1+1", "\x00", "é" * 1000, "  "]),
)
COUNTS = st.one_of(
    st.integers(min_value=-2, max_value=6).map(str),
    # Counts in the thousands are the explicit test below: each example would render 50 rows.
    st.sampled_from(["", "x", "1e3", "-0", "٣"]),
)


def right_post(kind=Kind.SINGLE_CHOICE):
    """A new question with two new choices, as the page posts it."""
    post = {
        "text_fr": "Repas ?",
        "text_en": "Meal?",
        "help_fr": "",
        "help_en": "",
        "kind": kind,
        "required": "",
        "condition": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
    }
    for index, (text_fr, text_en) in enumerate([("Midi", "Lunch"), ("Soir", "Dinner")]):
        post |= {
            f"choices-{index}-id": "",
            f"choices-{index}-text_fr": text_fr,
            f"choices-{index}-text_en": text_en,
            f"choices-{index}-ORDER": str(index + 1),
        }
    return post


@st.composite
def question_posts(draw, colour, foreign):
    """A right post with a few fields changed, left out or added (rows naming other choices,
    damaged counts, the button that adds rows)."""
    post = right_post(draw(st.sampled_from([Kind.SINGLE_CHOICE, Kind.RANKING, Kind.SHORT_TEXT])))
    if post["kind"] == Kind.SHORT_TEXT:
        post["choices-TOTAL_FORMS"] = "0"
    row = f"choices-{draw(st.integers(min_value=0, max_value=3))}-"
    fields = {
        "text_fr": TEXTS,
        "text_en": TEXTS,
        "help_en": TEXTS,
        "kind": st.one_of(st.sampled_from(Kind.values), TEXTS),
        "required": st.sampled_from(["on", "maybe"]),
        "condition": ids(colour, foreign),
        "choices-TOTAL_FORMS": COUNTS,
        "choices-INITIAL_FORMS": COUNTS,
        row + "id": ids(colour, foreign),
        row + "text_fr": TEXTS,
        row + "ORDER": COUNTS,
        row + "DELETE": st.just("on"),
        "add_rows": st.just("1"),
    }
    for name in draw(st.lists(st.sampled_from(list(fields)), max_size=3, unique=True)):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            post.pop(name, None)
        else:
            post[name] = draw(fields[name])
    return post


def foreign_state(foreign):
    return sorted(
        Choice.objects.filter(pk__in=[choice.pk for choice in foreign]).values_list(
            "pk", "question", "text_fr", "text_en", "position"
        )
    )


@pytest.mark.parametrize("page", ["question_create", "question_edit"])
@FUZZ
@given(data=st.data())
@example(data=None)
def test_any_question_post_saves_the_surveys_own_question_or_shows_the_page(editor, page, data):
    survey, colour, foreign, client = editor
    if data is None:
        # A choice row naming another survey's choice, with counts that say it exists.
        post = right_post() | {"choices-INITIAL_FORMS": "1", "choices-0-id": str(foreign[-1].pk)}
    else:
        post = data.draw(question_posts(colour, foreign), label="post")
    args = [survey.organisation.slug, survey.pk]
    if page == "question_edit":
        args.append(colour.pk)
    before = foreign_state(foreign)
    response = client.post(reverse(f"surveys:{page}", args=args), post)
    event(f"answered {response.status_code}")
    assert response.status_code in (200, 302, 404)
    assert foreign_state(foreign) == before
    for question in survey.questions.prefetch_related("choices"):
        if question.shown_if_choice_id is not None:
            assert question.shown_if_choice.question.survey_id == survey.pk
        if question.kind not in Question.CHOICE_KINDS:
            continue
        assert all(
            "\x00" not in choice.text_fr + choice.text_en for choice in question.choices.all()
        )


@pytest.mark.parametrize(
    "damage",
    [
        {"choices-INITIAL_FORMS": "", "add_rows": "1"},
        {"choices-TOTAL_FORMS": "x"},
        {"choices-TOTAL_FORMS": "1001"},
    ],
)
def test_damaged_choice_counts_show_the_page_again(editor, damage):
    survey, _colour, _foreign, client = editor
    url = reverse("surveys:question_create", args=[survey.organisation.slug, survey.pk])
    response = client.post(url, right_post() | damage)
    assert response.status_code == 200
    assert not survey.questions.filter(text_en="Meal?").exists()
    assert len(re.findall(r'name="choices-\d+-text_en"', response.content.decode())) <= 50
