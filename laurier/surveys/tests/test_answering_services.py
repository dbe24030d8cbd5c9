"""submit_response: one response per recipient, the last answers, nothing after closing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laurier.surveys.models import Answer, Response, Survey
from laurier.surveys.services.answers import submit_response
from laurier.testing import factories

from .test_answering_support import every_kind_survey


@pytest.fixture
def kinds(organisation):
    return every_kind_survey(organisation)


@pytest.fixture
def recipient(program, kinds):
    campaign = factories.CampaignFactory(program=program, survey=kinds.survey)
    return factories.RecipientFactory(campaign=campaign)


def answers(kinds, extra=None, likert=4):
    values = {kinds.single.pk: kinds.yes.pk, kinds.likert.pk: likert}
    values.update(extra or {})
    return values


def test_first_submission_creates_the_response_and_marks_the_recipient(recipient, kinds):
    response = submit_response(recipient=recipient, answers=answers(kinds))
    recipient.refresh_from_db()
    assert recipient.responded_at is not None
    assert response.recipient_id == recipient.pk
    assert response.campaign_id == recipient.campaign_id
    rows = Answer.objects.filter(response=response)
    assert set(rows.values_list("question", "choice", "number")) == {
        (kinds.single.pk, kinds.yes.pk, None),
        (kinds.likert.pk, None, 4),
    }


def test_every_kind_is_stored_in_its_column(recipient, kinds):
    first, second, third = kinds.ranked
    submit_response(
        recipient=recipient,
        answers=answers(
            kinds,
            {
                kinds.multiple.pk: [kinds.network.pk, kinds.other.pk],
                kinds.other_text.pk: "Because",
                kinds.ranking.pk: {first.pk: 3, second.pk: 1, third.pk: 2},
                kinds.score.pk: 0,
                kinds.long.pk: "Long",
            },
        ),
    )
    rows = Answer.objects.filter(response__recipient=recipient)
    assert set(rows.filter(question=kinds.multiple).values_list("choice", flat=True)) == {
        kinds.network.pk,
        kinds.other.pk,
    }
    assert dict(rows.filter(question=kinds.ranking).values_list("choice", "number")) == {
        first.pk: 3,
        second.pk: 1,
        third.pk: 2,
    }
    assert rows.get(question=kinds.score).number == 0
    assert rows.get(question=kinds.other_text).text == "Because"
    assert rows.get(question=kinds.long).text == "Long"


def test_second_submission_replaces_the_answers_in_the_same_response(recipient, kinds):
    first = submit_response(recipient=recipient, answers=answers(kinds, likert=2))
    second = submit_response(recipient=recipient, answers=answers(kinds, likert=5))
    assert first.pk == second.pk
    assert Response.objects.filter(recipient=recipient).count() == 1
    assert list(
        Answer.objects.filter(response=second, question=kinds.likert).values_list(
            "number", flat=True
        )
    ) == [5]


def test_second_submission_keeps_the_first_dates_and_moves_updated_at(recipient, kinds):
    first = submit_response(recipient=recipient, answers=answers(kinds))
    recipient.refresh_from_db()
    responded_at = recipient.responded_at
    second = submit_response(recipient=recipient, answers=answers(kinds, likert=1))
    recipient.refresh_from_db()
    second.refresh_from_db()
    assert recipient.responded_at == responded_at
    assert second.submitted_at == first.submitted_at
    assert second.updated_at >= first.updated_at


def test_closed_campaign_refuses_answers_and_changes_nothing(recipient, kinds):
    submit_response(recipient=recipient, answers=answers(kinds, likert=2))
    recipient.campaign.closed_at = timezone.now()
    recipient.campaign.save()
    with pytest.raises(ValidationError) as refused:
        submit_response(recipient=recipient, answers=answers(kinds, likert=5))
    assert refused.value.code == "closed"
    assert Answer.objects.get(question=kinds.likert).number == 2


def test_campaign_past_its_closing_date_refuses_answers(recipient, kinds):
    recipient.campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    recipient.campaign.save()
    with pytest.raises(ValidationError):
        submit_response(recipient=recipient, answers=answers(kinds))
    assert not Response.objects.exists()


def test_service_enforces_required_answers_itself(recipient, kinds):
    with pytest.raises(ValidationError) as refused:
        submit_response(recipient=recipient, answers={kinds.single.pk: kinds.yes.pk})
    assert f"q{kinds.likert.pk}" in refused.value.message_dict
    assert not Response.objects.exists()


@pytest.mark.parametrize("number", [0, 6, True, "3"])
def test_service_refuses_a_scale_value_out_of_range(recipient, kinds, number):
    with pytest.raises(ValidationError):
        submit_response(recipient=recipient, answers=answers(kinds, likert=number))
    assert not Answer.objects.exists()


def test_service_refuses_a_choice_of_another_survey(recipient, kinds, organisation):
    foreign = factories.ChoiceFactory(
        question=factories.QuestionFactory(
            survey=factories.SurveyFactory(organisation=organisation), kind="single"
        )
    )
    with pytest.raises(ValidationError):
        submit_response(recipient=recipient, answers=answers(kinds, {kinds.single.pk: foreign.pk}))


def test_service_refuses_a_ranking_that_is_not_a_permutation(recipient, kinds):
    first, second, third = kinds.ranked
    ranking = {first.pk: 1, second.pk: 1, third.pk: 3}
    with pytest.raises(ValidationError):
        submit_response(recipient=recipient, answers=answers(kinds, {kinds.ranking.pk: ranking}))


def test_service_drops_the_answer_of_a_hidden_question(recipient, kinds):
    submit_response(recipient=recipient, answers=answers(kinds, {kinds.other_text.pk: "Not asked"}))
    assert not Answer.objects.filter(question=kinds.other_text).exists()


def test_questions_of_another_survey_are_refused(recipient, kinds, organisation):
    elsewhere = factories.QuestionFactory(survey=factories.SurveyFactory(organisation=organisation))
    with pytest.raises(ValueError):
        submit_response(recipient=recipient, answers={}, questions=[elsewhere])


def test_a_subset_of_the_questions_is_refused_rather_than_skipping_required_ones(recipient, kinds):
    questions = list(kinds.survey.questions.prefetch_related("choices"))
    without_required = [question for question in questions if not question.required]
    with pytest.raises(ValueError):
        submit_response(recipient=recipient, answers={}, questions=without_required)
    assert not Response.objects.exists()


def test_the_surveys_own_questions_are_accepted(recipient, kinds):
    questions = list(kinds.survey.questions.prefetch_related("choices"))
    submit_response(recipient=recipient, answers=answers(kinds), questions=questions)
    assert Response.objects.filter(recipient=recipient).exists()


def test_submitting_locks_the_campaign_before_checking_it_is_open(recipient, kinds, monkeypatch):
    # SQLite ignores FOR UPDATE: the lock is seen where it is asked for. Locking the campaign
    # row makes a concurrent close_campaign (which locks it too) wait, or be waited for.
    from django.db.models import QuerySet

    from laurier.surveys.models import Campaign

    locked = []
    select_for_update = QuerySet.select_for_update

    def spy(queryset, *args, **kwargs):
        locked.append(queryset.model)
        return select_for_update(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    submit_response(recipient=recipient, answers=answers(kinds))
    assert locked[0] is Campaign


def test_a_campaign_closed_after_the_recipient_was_loaded_refuses_the_answer(recipient, kinds):
    from laurier.surveys.services.campaigns import close_campaign

    close_campaign(recipient.campaign, actor=None)
    # `recipient` still carries the campaign as it was before closing.
    assert recipient.campaign.is_open
    with pytest.raises(ValidationError):
        submit_response(recipient=recipient, answers=answers(kinds))
    assert not Response.objects.exists()


def test_answers_of_rows_decodes_what_answer_rows_encodes(kinds):
    from laurier.surveys.services.answers import answer_rows, answers_of_rows

    questions = list(kinds.survey.questions.prefetch_related("choices"))
    first, second, third = kinds.ranked
    values = {
        kinds.single.pk: kinds.yes.pk,
        kinds.multiple.pk: [kinds.network.pk],
        kinds.ranking.pk: {first.pk: 2, second.pk: 1, third.pk: 3},
        kinds.likert.pk: 4,
        kinds.rating.pk: 0,
        kinds.short.pk: "Yes",
    }
    rows = answer_rows(questions, values)
    assert answers_of_rows(questions, rows) == values


def test_answers_to_a_profile_survey_update_the_persons_profile(program):
    from laurier.profiles.models import CategoryPreference, MentorProfile

    survey = factories.SurveyFactory(
        organisation=program.organisation, purpose=Survey.Purpose.PROFILE, frozen=True
    )
    question = factories.QuestionFactory(
        survey=survey, kind="rating", key="category:certificate", required=True
    )
    campaign = factories.CampaignFactory(program=program, survey=survey)
    mentor = factories.MentorEnrolmentFactory(program=program).person
    recipient = factories.RecipientFactory(campaign=campaign, person=mentor)
    submit_response(recipient=recipient, answers={question.pk: 4})
    profile = MentorProfile.objects.get(person=recipient.person)
    assert CategoryPreference.objects.get(profile=profile, category="certificate").score == 4


def test_a_choice_sent_twice_is_stored_once(recipient, kinds):
    submit_response(
        recipient=recipient,
        answers=answers(kinds, {kinds.multiple.pk: [kinds.network.pk, kinds.network.pk]}),
    )
    assert Answer.objects.filter(question=kinds.multiple).count() == 1
