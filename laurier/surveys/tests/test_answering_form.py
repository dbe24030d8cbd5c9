"""The answer form: one field per question, each kind parsed and checked on the server."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laurier.surveys.forms.answer import AnswerForm
from laurier.surveys.models import Answer, Question, Response
from laurier.testing import factories

from .test_answering_support import every_kind_survey, full_post, minimal_post


@pytest.fixture(autouse=True)
def _in_english():
    # Messages are checked in English; the site's default language is French.
    with translation.override("en"):
        yield


@pytest.fixture
def kinds(organisation):
    return every_kind_survey(organisation)


def form_for(kinds, data):
    return AnswerForm(kinds.survey, data=data)


def errors_of(form, question):
    return form.errors.get(f"q{question.pk}", [])


# Building the form


def test_fields_follow_the_questions_in_order(kinds):
    form = AnswerForm(kinds.survey)
    questions = [kinds.single, kinds.multiple, kinds.other_text, kinds.ranking, kinds.likert]
    assert list(form.fields)[:5] == [f"q{question.pk}" for question in questions]


def test_labels_are_in_the_readers_language(kinds):
    with translation.override("fr-ca"):
        french = AnswerForm(kinds.survey)
    with translation.override("en"):
        english = AnswerForm(kinds.survey)
    field = f"q{kinds.multiple.pk}"
    assert french.fields[field].label == kinds.multiple.text_fr
    assert english.fields[field].label == kinds.multiple.text_en
    assert list(french.fields[field].choices)[0][1] == "Réseau"


def test_scales_label_their_ends(kinds):
    with translation.override("en"):
        blocks = {block.question.pk: block for block in AnswerForm(kinds.survey).blocks()}
    assert blocks[kinds.likert.pk].scale_ends == "1 = strongly disagree … 5 = strongly agree"
    assert blocks[kinds.rating.pk].scale_ends == "0 = not at all … 5 = very much"
    assert blocks[kinds.score.pk].scale_ends == "0 = not at all likely … 10 = extremely likely"


def test_form_is_prefilled_with_saved_answers(kinds):
    recipient = factories.RecipientFactory(
        campaign=factories.CampaignFactory(
            program=factories.ProgramFactory(organisation=kinds.survey.organisation),
            survey=kinds.survey,
        )
    )
    saved = Response.objects.create(recipient=recipient, campaign=recipient.campaign)
    first, second, third = kinds.ranked
    Answer.objects.bulk_create(
        [
            Answer(response=saved, question=kinds.single, choice=kinds.no),
            Answer(response=saved, question=kinds.multiple, choice=kinds.network),
            Answer(response=saved, question=kinds.ranking, choice=first, number=3),
            Answer(response=saved, question=kinds.likert, number=2),
            Answer(response=saved, question=kinds.long, text="Kept"),
        ]
    )
    form = AnswerForm(kinds.survey, initial_response=saved)
    assert form[f"q{kinds.single.pk}"].value() == kinds.no.pk
    assert form[f"q{kinds.multiple.pk}"].value() == [kinds.network.pk]
    assert form[f"q{kinds.ranking.pk}"].value() == {first.pk: 3}
    assert form[f"q{kinds.likert.pk}"].value() == 2
    assert form[f"q{kinds.long.pk}"].value() == "Kept"


def test_read_only_form_disables_every_field(kinds):
    form = AnswerForm(kinds.survey, read_only=True)
    assert all(field.disabled for field in form.fields.values())
    assert "disabled" in str(form[f"q{kinds.ranking.pk}"])


# Every kind


def test_full_answers_are_accepted_in_the_services_shape(kinds):
    form = form_for(kinds, full_post(kinds))
    assert form.is_valid(), form.errors
    first, second, third = kinds.ranked
    assert form.answers[kinds.single.pk] == kinds.no.pk
    assert sorted(form.answers[kinds.multiple.pk]) == sorted([kinds.network.pk, kinds.other.pk])
    assert form.answers[kinds.ranking.pk] == {first.pk: 2, second.pk: 3, third.pk: 1}
    assert form.answers[kinds.likert.pk] == 5
    assert form.answers[kinds.rating.pk] == 0
    assert form.answers[kinds.score.pk] == 10
    assert form.answers[kinds.other_text.pk] == "Giving back"


def test_single_choice_refuses_a_choice_of_another_question(kinds):
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.single.pk}": str(kinds.network.pk)}))
    assert not form.is_valid()
    assert errors_of(form, kinds.single)


def test_multiple_choice_refuses_an_unknown_choice(kinds):
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.multiple.pk}": ["999999"]}))
    assert not form.is_valid()
    assert errors_of(form, kinds.multiple)


@pytest.mark.parametrize("value", ["0", "6", "-1", "3.5", "three", ""])
def test_likert_takes_only_1_to_5(kinds, value):
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.likert.pk}": value}))
    assert not form.is_valid()
    assert errors_of(form, kinds.likert)


@pytest.mark.parametrize(("value", "valid"), [("0", True), ("5", True), ("6", False)])
def test_rating_takes_0_to_5(kinds, value, valid):
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.rating.pk}": value}))
    assert form.is_valid() is valid


@pytest.mark.parametrize(("value", "valid"), [("0", True), ("10", True), ("11", False)])
def test_score_takes_0_to_10(kinds, value, valid):
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.score.pk}": value}))
    assert form.is_valid() is valid


def test_short_text_is_at_most_300_characters(kinds):
    too_long = minimal_post(kinds, **{f"q{kinds.short.pk}": "x" * 301})
    assert errors_of(form_for(kinds, too_long), kinds.short)
    assert form_for(kinds, minimal_post(kinds, **{f"q{kinds.short.pk}": "x" * 300})).is_valid()


def test_long_text_is_at_most_5000_characters(kinds):
    too_long = minimal_post(kinds, **{f"q{kinds.long.pk}": "x" * 5001})
    assert errors_of(form_for(kinds, too_long), kinds.long)


def ranks(kinds, *values):
    prefix = f"q{kinds.ranking.pk}-rank-"
    return {
        f"{prefix}{choice.pk}": value for choice, value in zip(kinds.ranked, values, strict=True)
    }


def test_ranking_must_give_each_rank_once(kinds):
    form = form_for(kinds, minimal_post(kinds, **ranks(kinds, "1", "1", "2")))
    assert not form.is_valid()
    assert "different rank" in str(errors_of(form, kinds.ranking))


def test_ranking_refuses_a_rank_beyond_the_number_of_choices(kinds):
    form = form_for(kinds, minimal_post(kinds, **ranks(kinds, "1", "2", "4")))
    assert errors_of(form, kinds.ranking)


def test_ranking_partly_answered_is_refused(kinds):
    form = form_for(kinds, minimal_post(kinds, **ranks(kinds, "1", "", "")))
    assert errors_of(form, kinds.ranking)


def test_optional_ranking_may_be_left_out(kinds):
    form = form_for(kinds, minimal_post(kinds, **ranks(kinds, "", "", "")))
    assert form.is_valid(), form.errors
    assert form.answers[kinds.ranking.pk] == {}


def test_required_ranking_must_rank_every_choice(kinds):
    kinds.ranking.required = True
    kinds.ranking.save()
    form = form_for(kinds, minimal_post(kinds))
    assert "Rank every answer" in str(errors_of(form, kinds.ranking))


# Required, on the server


def test_required_questions_are_enforced_without_the_browser(kinds):
    form = form_for(kinds, {})
    assert not form.is_valid()
    assert errors_of(form, kinds.single)
    assert errors_of(form, kinds.likert)
    assert not errors_of(form, kinds.rating)


def test_a_blank_required_text_is_not_an_answer(kinds):
    kinds.short.required = True
    kinds.short.save()
    form = form_for(kinds, minimal_post(kinds, **{f"q{kinds.short.pk}": "   "}))
    assert errors_of(form, kinds.short)


# Conditions


def test_conditional_question_is_not_required_when_its_choice_is_not_picked(kinds):
    data = minimal_post(kinds, **{f"q{kinds.multiple.pk}": [str(kinds.network.pk)]})
    form = form_for(kinds, data)
    assert form.is_valid(), form.errors


def test_conditional_question_is_required_when_its_choice_is_picked(kinds):
    data = minimal_post(kinds, **{f"q{kinds.multiple.pk}": [str(kinds.other.pk)]})
    form = form_for(kinds, data)
    assert errors_of(form, kinds.other_text)


def test_answer_to_a_hidden_question_is_dropped(kinds):
    data = minimal_post(kinds, **{f"q{kinds.other_text.pk}": "Left over"})
    form = form_for(kinds, data)
    assert form.is_valid(), form.errors
    assert kinds.other_text.pk not in form.answers


def test_invalid_answer_to_a_hidden_question_is_no_error(kinds):
    data = minimal_post(kinds, **{f"q{kinds.other_text.pk}": "x" * 400})
    assert form_for(kinds, data).is_valid()


def test_answer_to_a_shown_conditional_question_is_kept(kinds):
    data = minimal_post(
        kinds,
        **{f"q{kinds.multiple.pk}": [str(kinds.other.pk)], f"q{kinds.other_text.pk}": "Mine"},
    )
    form = form_for(kinds, data)
    assert form.is_valid(), form.errors
    assert form.answers[kinds.other_text.pk] == "Mine"


def test_conditional_blocks_tell_the_script_what_they_depend_on(kinds):
    blocks = {block.question.pk: block for block in AnswerForm(kinds.survey).blocks()}
    assert blocks[kinds.other_text.pk].controller_field == f"q{kinds.multiple.pk}"
    assert blocks[kinds.single.pk].controller_field == ""


# Queries


def test_building_the_form_takes_two_queries_whatever_the_survey_size(
    organisation, django_assert_num_queries
):
    survey = factories.SurveyFactory(organisation=organisation)
    for _ in range(20):
        question = factories.QuestionFactory(survey=survey, kind=Question.Kind.SINGLE_CHOICE)
        factories.ChoiceFactory.create_batch(3, question=question)
    with django_assert_num_queries(2):
        form = AnswerForm(survey)
        str(form.blocks()[0].field)


# Random input never breaks the form


@pytest.fixture
def ranking_only(organisation):
    survey = factories.SurveyFactory(organisation=organisation)
    ranking = factories.QuestionFactory(survey=survey, kind=Question.Kind.RANKING)
    choices = factories.ChoiceFactory.create_batch(4, question=ranking)
    scale = factories.QuestionFactory(survey=survey, kind=Question.Kind.SCORE)
    return survey, ranking, choices, scale


POST_VALUES = st.one_of(
    st.text(max_size=6),
    st.integers(min_value=-20, max_value=20).map(str),
    st.sampled_from(["", " 1", "1 ", "1.0", "１", "1e1", "0x1", "-0", "NaN"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ranks=st.lists(POST_VALUES, min_size=4, max_size=4), score=POST_VALUES)
def test_random_ranks_and_scores_are_either_refused_or_in_range(ranking_only, ranks, score):
    survey, ranking, choices, scale = ranking_only
    data = {
        f"q{ranking.pk}-rank-{choice.pk}": rank for choice, rank in zip(choices, ranks, strict=True)
    }
    data[f"q{scale.pk}"] = score
    form = AnswerForm(survey, data=data)
    if form.is_valid():
        given_ranks = form.answers[ranking.pk]
        assert given_ranks == {} or sorted(given_ranks.values()) == [1, 2, 3, 4]
        assert form.answers[scale.pk] is None or 0 <= form.answers[scale.pk] <= 10


def test_ranking_in_error_marks_its_selects_invalid(kinds):
    form = form_for(kinds, minimal_post(kinds, **ranks(kinds, "1", "1", "2")))
    form.is_valid()
    assert str(form[f"q{kinds.ranking.pk}"]).count('aria-invalid="true"') == 3


def test_a_scale_whose_help_states_its_ends_shows_no_generic_ends(kinds):
    kinds.likert.help_en = "1 = not at all satisfied, 5 = very satisfied."
    kinds.likert.save()
    kinds.score.help_en = "0 = not at all likely, 10 = absolutely certain."
    kinds.score.save()
    html = AnswerForm(kinds.survey).render("surveys/answering/questions.html")
    assert "1 = not at all satisfied, 5 = very satisfied." in html
    assert "strongly agree" not in html
    assert "extremely likely" not in html
    assert "0 = not at all … 5 = very much" in html
