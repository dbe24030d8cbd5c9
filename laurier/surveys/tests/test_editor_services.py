"""The editor's services hold their rules whatever calls them, not only behind the forms."""

import pytest
from django.core.exceptions import ValidationError

from laurier.surveys.models import Question, Survey
from laurier.surveys.services.editing import (
    ChoiceEdit,
    copy_survey,
    copy_survey_to_edit,
    create_question,
    create_survey,
    delete_question,
    move_question,
    update_question,
    update_survey,
)
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.django_db

Kind = Question.Kind


@pytest.fixture
def profile(organisation):
    return install_standard_surveys(organisation)["profile"]


def wording(question, **changes):
    return {
        "kind": question.kind,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "help_fr": question.help_fr,
        "help_en": question.help_en,
        "required": question.required,
        **changes,
    }


def test_a_keyed_question_cannot_change_type(profile, admin_user):
    question = profile.questions.get(key="diet")
    with pytest.raises(ValidationError):
        update_question(question, actor=admin_user, **wording(question, kind=Kind.LONG_TEXT))
    question.refresh_from_db()
    assert question.kind == Kind.SHORT_TEXT


def test_a_keyed_question_cannot_be_deleted(profile, admin_user):
    question = profile.questions.get(key="diet")
    with pytest.raises(ValidationError):
        delete_question(question, actor=admin_user)
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_keyed_choice_cannot_be_deleted(profile, admin_user):
    question = profile.questions.get(key="public_consent")
    ask = question.choices.get(key="ask")
    with pytest.raises(ValidationError):
        update_question(
            question,
            actor=admin_user,
            choices=[ChoiceEdit(choice=ask, delete=True)],
            **wording(question),
        )
    assert question.choices.filter(key="ask").exists()


def test_a_keyed_choice_can_be_reworded(profile, admin_user):
    question = profile.questions.get(key="public_consent")
    ask = question.choices.get(key="ask")
    update_question(
        question,
        actor=admin_user,
        choices=[ChoiceEdit(choice=ask, text_fr="Demandez-moi", text_en="Ask me")],
        **wording(question),
    )
    ask.refresh_from_db()
    assert (ask.key, ask.text_en, ask.position) == ("ask", "Ask me", 1)
    assert question.choices.count() == 3


def test_the_condition_is_kept_when_the_question_is_reworded(profile, admin_user):
    other = profile.questions.get(key="motivation_other")
    condition = other.shown_if_choice
    update_question(
        other,
        actor=admin_user,
        shown_if_choice=condition,
        **wording(other, text_en="Your other reason?"),
    )
    other.refresh_from_db()
    assert other.shown_if_choice == condition


def test_a_condition_from_another_survey_is_refused(survey_with_choice, organisation, admin_user):
    survey, _question = survey_with_choice
    foreign = factories.ChoiceFactory(question__survey__organisation=organisation)
    with pytest.raises(ValidationError):
        create_question(
            survey,
            actor=admin_user,
            shown_if_choice=foreign,
            kind=Kind.SHORT_TEXT,
            text_fr="Pourquoi ?",
            text_en="Why?",
        )
    assert survey.questions.count() == 1


@pytest.fixture
def survey_with_choice(organisation):
    survey = factories.SurveyFactory(organisation=organisation)
    question = factories.QuestionFactory(survey=survey, position=1, kind=Kind.SINGLE_CHOICE)
    factories.ChoiceFactory.create_batch(2, question=question)
    return survey, question


def test_a_condition_on_a_question_itself_is_refused(survey_with_choice, admin_user):
    _survey, question = survey_with_choice
    with pytest.raises(ValidationError):
        update_question(
            question,
            actor=admin_user,
            shown_if_choice=question.choices.first(),
            choices=None,
            **wording(question),
        )


def test_a_frozen_survey_cannot_be_changed(survey_with_choice, admin_user):
    survey, _question = survey_with_choice
    frozen = copy_survey(survey, frozen=True)
    with pytest.raises(ValidationError):
        update_survey(frozen, actor=admin_user, title_en="Changed")
    with pytest.raises(ValidationError):
        delete_question(frozen.questions.get(), actor=admin_user)


def test_a_ready_made_survey_keeps_its_purpose(profile, admin_user):
    with pytest.raises(ValidationError):
        update_survey(profile, actor=admin_user, purpose=Survey.Purpose.OTHER)


def test_a_pulse_survey_cannot_be_created_with_names(organisation, admin_user):
    fields = {"title_fr": "Pouls", "title_en": "Pulse", "purpose": "pulse", "anonymous": False}
    with pytest.raises(ValidationError) as refused:
        create_survey(organisation=organisation, actor=admin_user, **fields)
    assert "anonymous" in refused.value.message_dict
    assert not Survey.objects.filter(organisation=organisation).exists()


def test_a_pulse_survey_stays_anonymous(organisation, admin_user):
    pulse = install_standard_surveys(organisation)["pulse"]
    with pytest.raises(ValidationError):
        update_survey(pulse, actor=admin_user, anonymous=False)
    pulse.refresh_from_db()
    assert pulse.anonymous


def test_a_named_survey_cannot_become_a_pulse(organisation, admin_user):
    survey = factories.SurveyFactory(organisation=organisation, anonymous=False)
    with pytest.raises(ValidationError):
        update_survey(survey, actor=admin_user, purpose=Survey.Purpose.PULSE)


def test_a_new_survey_cannot_take_an_existing_title(organisation, admin_user):
    fields = {"title_fr": "Bilan", "title_en": "Review", "purpose": "other"}
    create_survey(organisation=organisation, actor=admin_user, **fields)
    with pytest.raises(ValidationError):
        create_survey(organisation=organisation, actor=admin_user, **{**fields, "title_en": "X"})


def test_an_editable_copy_keeps_its_conditions(profile, admin_user):
    copy, created = copy_survey_to_edit(profile, actor=admin_user)

    other = copy.questions.get(key="motivation_other")
    assert created
    assert other.shown_if_choice.key == "other"
    assert other.shown_if_choice.question == copy.questions.get(key="motivations")
    assert copy.questions.count() == profile.questions.count()


def test_copying_again_gives_the_same_copy(profile, admin_user):
    first, _created = copy_survey_to_edit(profile, actor=admin_user)
    second, created = copy_survey_to_edit(profile, actor=admin_user)
    assert (second, created) == (first, False)


def test_a_copy_of_a_long_title_shortens_the_title_not_the_copy_mark(
    survey_with_choice, admin_user
):
    survey, _question = survey_with_choice
    Survey.objects.filter(pk=survey.pk).update(title_en="W" * 200)
    survey.refresh_from_db()

    copy, _created = copy_survey_to_edit(survey, actor=admin_user)

    assert len(copy.title_en) == 200 and copy.title_en.endswith("W… (copy)")


def test_copying_again_after_renaming_makes_another_copy(profile, admin_user):
    first, _created = copy_survey_to_edit(profile, actor=admin_user)
    update_survey(first, actor=admin_user, title_fr="Profil court", title_en="Short profile")
    second, created = copy_survey_to_edit(profile, actor=admin_user)
    assert created and second != first


def test_a_survey_already_titled_like_the_copy_is_not_overwritten(
    survey_with_choice, organisation, admin_user
):
    survey, _question = survey_with_choice
    factories.SurveyFactory(
        organisation=organisation, title_fr="x", title_en=f"{survey.title_en} (copy)"
    )
    with pytest.raises(ValidationError):
        copy_survey_to_edit(survey, actor=admin_user)


def test_positions_stay_contiguous_through_adds_moves_and_deletes(survey_with_choice, admin_user):
    survey, first = survey_with_choice
    added = [
        create_question(
            survey, actor=admin_user, kind=Kind.LONG_TEXT, text_fr=f"Q{n} ?", text_en=f"Q{n}?"
        )
        for n in range(3)
    ]
    move_question(added[2], "up", actor=admin_user)
    delete_question(added[0], actor=admin_user)

    positions = list(survey.questions.order_by("position").values_list("pk", "position"))
    assert positions == [(first.pk, 1), (added[2].pk, 2), (added[1].pk, 3)]


def test_a_move_from_a_stale_position_does_nothing(survey_with_choice, admin_user):
    survey, first = survey_with_choice
    create_question(survey, actor=admin_user, kind=Kind.LONG_TEXT, text_fr="Q ?", text_en="Q?")
    assert not move_question(first, "down", actor=admin_user, from_position=2)
    assert move_question(first, "down", actor=admin_user, from_position=1)
