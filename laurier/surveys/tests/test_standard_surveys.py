"""The ready-made surveys: installed once per organisation, with the keys the profile reads."""

import pytest
from django.db import IntegrityError, transaction

from laurier.profiles.models import Motivation
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment
from laurier.surveys.models import Choice, EngagementFactor, Question, Survey
from laurier.surveys.services.editing import copy_survey
from laurier.surveys.standard import install_standard_surveys

pytestmark = pytest.mark.django_db

Kind = Question.Kind


def questions_by_key(survey):
    return {question.key: question for question in survey.questions.prefetch_related("choices")}


def choice_keys(question):
    return [choice.key for choice in question.choices.all()]


def test_installs_one_editable_standard_survey_per_purpose(organisation):
    surveys = install_standard_surveys(organisation)

    assert set(surveys) == {"profile", "pulse", "feedback"}
    for purpose, survey in surveys.items():
        assert survey.purpose == purpose
        assert survey.standard and not survey.frozen
        assert survey.organisation == organisation


def test_installing_twice_changes_nothing(organisation):
    first = install_standard_surveys(organisation)
    counts = {purpose: survey.questions.count() for purpose, survey in first.items()}

    second = install_standard_surveys(organisation)

    assert {p: s.pk for p, s in second.items()} == {p: s.pk for p, s in first.items()}
    assert Survey.objects.filter(organisation=organisation).count() == 3
    assert {p: s.questions.count() for p, s in second.items()} == counts


def test_installing_when_all_are_there_takes_one_query(organisation, django_assert_num_queries):
    install_standard_surveys(organisation)

    with django_assert_num_queries(1):
        install_standard_surveys(organisation)


def test_installing_is_a_handful_of_queries(organisation, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        install_standard_surveys(organisation)


def test_each_organisation_gets_its_own(organisation, other_organisation):
    ours = install_standard_surveys(organisation)
    theirs = install_standard_surveys(other_organisation)

    assert {s.pk for s in ours.values()}.isdisjoint({s.pk for s in theirs.values()})


def test_a_managers_edit_survives_installing_again(organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    pulse.title_en = "Our own pulse"
    pulse.save()
    question = pulse.questions.get(key="intention")
    question.text_en = "Will you stay with us?"
    question.save()

    install_standard_surveys(organisation)

    pulse.refresh_from_db()
    question.refresh_from_db()
    assert pulse.title_en == "Our own pulse"
    assert question.text_en == "Will you stay with us?"


def test_a_frozen_copy_does_not_count_as_the_standard_survey(organisation):
    profile = install_standard_surveys(organisation)["profile"]
    copy_survey(profile, frozen=True)

    assert install_standard_surveys(organisation)["profile"] == profile


def test_the_database_refuses_a_second_standard_survey_of_a_purpose(organisation):
    install_standard_surveys(organisation)

    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(
            organisation=organisation, purpose="pulse", standard=True, title_fr="x", title_en="x"
        )


def test_profile_survey_has_every_key_of_the_contract(organisation):
    profile = install_standard_surveys(organisation)["profile"]
    questions = questions_by_key(profile)

    assert not profile.anonymous
    assert questions["motivations"].kind == Kind.MULTIPLE_CHOICE
    assert choice_keys(questions["motivations"]) == list(Motivation.values)
    assert questions["motivation_other"].kind == Kind.SHORT_TEXT
    for category in RecognitionCategory.values:
        question = questions[f"category:{category}"]
        assert (question.kind, question.required) == (Kind.RATING, True)
    assert questions["public_consent"].kind == Kind.SINGLE_CHOICE
    assert questions["public_consent"].required
    assert choice_keys(questions["public_consent"]) == ["yes", "no", "ask"]
    assert questions["interests"].kind == Kind.LONG_TEXT
    for key in ("diet", "accessibility", "availability"):
        assert questions[key].kind == Kind.SHORT_TEXT
    assert questions["moments"].kind == Kind.MULTIPLE_CHOICE
    assert choice_keys(questions["moments"]) == list(RecognitionMoment.values)
    assert len(questions) == 2 + 12 + 1 + 4 + 1


def test_other_reason_is_shown_only_when_other_is_picked(organisation):
    questions = questions_by_key(install_standard_surveys(organisation)["profile"])

    condition = questions["motivation_other"].shown_if_choice
    assert condition.key == Motivation.OTHER
    assert condition.question == questions["motivations"]


def test_pulse_survey_has_every_key_of_the_contract(organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    questions = questions_by_key(pulse)

    assert pulse.anonymous
    for factor in EngagementFactor.values:
        assert (questions[f"factor:{factor}"].kind, questions[f"factor:{factor}"].required) == (
            Kind.LIKERT,
            True,
        )
        assert (questions[f"comment:{factor}"].kind, questions[f"comment:{factor}"].required) == (
            Kind.LONG_TEXT,
            False,
        )
    assert (questions["intention"].kind, questions["intention"].required) == (Kind.SCORE, True)
    assert len(questions) == 11


def test_feedback_survey_has_every_key_of_the_contract(organisation):
    feedback = install_standard_surveys(organisation)["feedback"]
    questions = questions_by_key(feedback)

    assert not feedback.anonymous
    assert questions["satisfaction"].kind == Kind.LIKERT
    assert questions["relevance"].kind == Kind.LIKERT
    assert questions["expectations"].kind == Kind.SINGLE_CHOICE
    assert choice_keys(questions["expectations"]) == ["yes", "partly", "no"]
    assert questions["comment"].kind == Kind.LONG_TEXT
    assert len(questions) == 4


def test_positions_follow_the_order_of_the_survey(organisation):
    for survey in install_standard_surveys(organisation).values():
        positions = list(survey.questions.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))


def test_every_text_is_stored_in_both_languages(organisation):
    surveys = install_standard_surveys(organisation)

    for survey in surveys.values():
        assert survey.title_fr and survey.title_en and survey.introduction_en
    assert not Question.objects.filter(survey__organisation=organisation, text_fr="").exists()
    assert not Choice.objects.filter(
        question__survey__organisation=organisation, text_en=""
    ).exists()


def test_choice_texts_reuse_the_vocabulary_labels(organisation):
    profile = install_standard_surveys(organisation)["profile"]

    ask = Choice.objects.get(question__survey=profile, key=PublicConsent.ASK)
    assert ask.text_en == "Ask me each time"
    badge = profile.questions.get(key="category:badge")
    assert badge.text_en == "Mentoring badge"


def test_an_install_that_loses_a_race_returns_the_winners_surveys(organisation, monkeypatch):
    from laurier.surveys import standard

    winners = install_standard_surveys(organisation)
    real_installed = standard._installed
    calls = []

    def stale_then_real(organisation):
        # The first look finds nothing, as if another request were installing at that moment.
        calls.append(1)
        return {} if len(calls) == 1 else real_installed(organisation)

    monkeypatch.setattr(standard, "_installed", stale_then_real)

    assert install_standard_surveys(organisation) == winners
    assert Survey.objects.filter(organisation=organisation).count() == 3
