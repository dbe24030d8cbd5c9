"""The ready-made surveys speak French, and `refresh_standard_surveys` brings the texts nobody
edited up to date with the catalogue, leaving managers' wording alone."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurier.surveys.models import Choice, Question, Survey
from laurier.surveys.services.editing import copy_survey
from laurier.surveys.standard import install_standard_surveys, refresh_standard_surveys

pytestmark = pytest.mark.django_db

INTENTION_EN = "How likely are you to keep mentoring in the next cycle?"
PULSE_TITLE_EN = "How is mentoring going for you?"


def test_every_ready_made_survey_has_a_french_title(organisation):
    for survey in install_standard_surveys(organisation).values():
        assert survey.title_fr != survey.title_en


def test_questions_are_stored_in_french(organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    intention = pulse.questions.get(key="intention")
    assert intention.text_en == INTENTION_EN
    assert intention.text_fr != INTENTION_EN
    assert "mentorat" in intention.text_fr


def as_installed_before_the_french_catalogue(survey):
    """Put English on the French side of `survey`'s texts, as an install without the
    French catalogue stored them."""
    Survey.objects.filter(pk=survey.pk).update(title_fr=survey.title_en)
    for question in survey.questions.all():
        Question.objects.filter(pk=question.pk).update(
            text_fr=question.text_en, help_fr=question.help_en
        )
    for choice in Choice.objects.filter(question__survey=survey):
        Choice.objects.filter(pk=choice.pk).update(text_fr=choice.text_en)


@pytest.fixture
def old_pulse(organisation):
    pulse = install_standard_surveys(organisation)["pulse"]
    as_installed_before_the_french_catalogue(pulse)
    return pulse


@pytest.fixture
def old_profile(organisation):
    profile = install_standard_surveys(organisation)["profile"]
    as_installed_before_the_french_catalogue(profile)
    return profile


def test_untouched_texts_get_the_current_french(old_pulse):
    refresh_standard_surveys()
    old_pulse.refresh_from_db()
    assert old_pulse.title_fr not in ("", PULSE_TITLE_EN) and old_pulse.title_en == PULSE_TITLE_EN
    intention = old_pulse.questions.get(key="intention")
    assert intention.text_fr != INTENTION_EN and intention.help_fr != intention.help_en


def test_untouched_choices_get_the_current_french(old_profile):
    refresh_standard_surveys()
    ask = Choice.objects.get(question__survey=old_profile, key="ask")
    assert ask.text_en == "Ask me each time" and ask.text_fr != ask.text_en


def test_a_managers_wording_is_kept_in_each_language(old_pulse):
    intention = old_pulse.questions.get(key="intention")
    Question.objects.filter(pk=intention.pk).update(
        text_fr="Resterez-vous avec nous ?", text_en=INTENTION_EN
    )
    Survey.objects.filter(pk=old_pulse.pk).update(title_en="Our pulse")
    refresh_standard_surveys()
    intention.refresh_from_db()
    old_pulse.refresh_from_db()
    assert intention.text_fr == "Resterez-vous avec nous ?"
    assert old_pulse.title_en == "Our pulse" and old_pulse.title_fr != PULSE_TITLE_EN


def test_a_frozen_copy_a_campaign_sent_is_left_alone(old_pulse):
    old_pulse.refresh_from_db()
    sent = copy_survey(old_pulse, frozen=True)
    refresh_standard_surveys()
    sent.refresh_from_db()
    assert sent.title_fr == PULSE_TITLE_EN
    assert sent.questions.get(key="intention").text_fr == INTENTION_EN


def test_questions_a_manager_added_are_left_alone(old_pulse):
    added = Question.objects.create(
        survey=old_pulse, position=99, kind="short_text", text_fr=INTENTION_EN, text_en="Extra?"
    )
    refresh_standard_surveys()
    added.refresh_from_db()
    assert added.text_fr == INTENTION_EN


def test_refreshing_up_to_date_surveys_changes_nothing(organisation):
    install_standard_surveys(organisation)
    assert refresh_standard_surveys() == 0


def test_the_command_refreshes_one_organisation_or_all(old_pulse, other_organisation):
    other_pulse = install_standard_surveys(other_organisation)["pulse"]
    as_installed_before_the_french_catalogue(other_pulse)
    out = StringIO()
    call_command("refresh_standard_surveys", "--organisation", other_organisation.slug, stdout=out)
    assert "refreshed" in out.getvalue()
    assert Survey.objects.get(pk=old_pulse.pk).title_fr == PULSE_TITLE_EN
    assert Survey.objects.get(pk=other_pulse.pk).title_fr != PULSE_TITLE_EN
    call_command("refresh_standard_surveys", stdout=StringIO())
    assert Survey.objects.get(pk=old_pulse.pk).title_fr != PULSE_TITLE_EN


def test_the_command_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("refresh_standard_surveys", "--organisation", "nowhere", stdout=StringIO())
